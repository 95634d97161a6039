// Integration: the credential reaches the upstream exactly as each provider expects
// (bearer, basic in both roles, custom header with prefix, query, path), and what the
// browser sent that must not reach an upstream (cookies, Authorization, spoofable
// forwarding headers) is gone. Real proxy process + fake upstream on 127.0.0.1.
#include "leakproof/proxy/injection.h"

#include "proxy/support/proxy_harness.h"
#include "proxy/support/test_config.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>

namespace leakproof::testing {
namespace {

ProxyFixture& Fixture() {
  static ProxyFixture f(TestRoutesConfig(), TestSecretsEnv());
  return f;
}

// Header values (all occurrences) the upstream saw for `name`.
std::vector<std::string> SeenHeader(const nlohmann::json& echo, const std::string& name) {
  std::vector<std::string> out;
  for (const auto& h : echo["headers"]) {
    std::string k = h[0];
    if (k.size() == name.size() && std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) {
          return std::tolower(a) == std::tolower(b);
        })) {
      out.push_back(h[1]);
    }
  }
  return out;
}

nlohmann::json Echo(const std::string& raw) {
  HttpResponse r = Fixture().Send(raw);
  INFO(r.body);
  REQUIRE(r.status == 200);
  return nlohmann::json::parse(r.body);
}

}  // namespace

TEST_CASE("bearer: Authorization: Bearer <key> plus extra headers", "[proxy]") {
  auto echo = Echo(ProxyFixture::Request("GET", "/api/bearer/echo/v1/models?limit=2",
                                         {{"Authorization", "Bearer browser-supplied-token"},
                                          {"X-Forwarded-For", "6.6.6.6"},
                                          {"OpenAI-Beta", "browser-value"}}));
  CHECK(echo["path"] == "/echo/v1/models");
  CHECK(echo["query"] == "limit=2");
  CHECK(SeenHeader(echo, "Authorization") ==
        std::vector<std::string>{"Bearer FAKESECRET-bearer-7f3a9c"});
  CHECK(SeenHeader(echo, "OpenAI-Beta") == std::vector<std::string>{"assistants=v2"});
  // Stripped: cookies (session and others), spoofable forwarding, the CSRF header.
  CHECK(SeenHeader(echo, "Cookie").empty());
  CHECK(SeenHeader(echo, "X-Forwarded-For").empty());
  CHECK(SeenHeader(echo, "X-Requested-With").empty());
  CHECK(SeenHeader(echo, "Host") ==
        std::vector<std::string>{"127.0.0.1:" + std::to_string(Fixture().upstream_port())});
}

TEST_CASE("basic, key as username (Stripe style): base64(key:)", "[proxy]") {
  auto echo = Echo(ProxyFixture::Request("GET", "/api/basicuser/echo/balance"));
  CHECK(SeenHeader(echo, "Authorization") ==
        std::vector<std::string>{"Basic " + proxy::Base64Encode("FAKESECRET-basicuser-51d2:")});
}

TEST_CASE("basic, key as password with fixed user (Mailgun style): base64(api:key)", "[proxy]") {
  auto echo = Echo(ProxyFixture::Request("GET", "/api/basicpass/echo/domains"));
  CHECK(SeenHeader(echo, "Authorization") ==
        std::vector<std::string>{"Basic " + proxy::Base64Encode("api:FAKESECRET-basicpass-9e07")});
}

TEST_CASE("basic from two secrets (Twilio SID:token): base64(sid:token)", "[proxy]") {
  auto echo = Echo(ProxyFixture::Request("GET", "/api/basicpair/echo/Messages.json"));
  CHECK(
      SeenHeader(echo, "Authorization") ==
      std::vector<std::string>{"Basic " + proxy::Base64Encode("ACfake0000000000000000000000000001:"
                                                              "FAKESECRET-pairtoken-3b71")});
}

TEST_CASE("header:<Name> with auth_prefix; an inbound copy of the header is replaced", "[proxy]") {
  auto echo =
      Echo(ProxyFixture::Request("GET", "/api/header/models", {{"x-api-key", "attacker-chosen"}}));
  CHECK(echo["path"] == "/echo/models");
  CHECK(SeenHeader(echo, "x-api-key") == std::vector<std::string>{"Key FAKESECRET-header-c4b8"});
  CHECK(SeenHeader(echo, "Authorization").empty());
}

TEST_CASE("query:<name> appends the key, keeps allowed params, refuses a smuggled copy",
          "[proxy]") {
  auto echo = Echo(ProxyFixture::Request("GET", "/api/query/echo/maps?q=berlin"));
  CHECK(echo["query"] == "q=berlin&key=FAKESECRET-query-2a6f");
  CHECK(SeenHeader(echo, "Authorization").empty());
  HttpResponse r = Fixture().Send(ProxyFixture::Request("GET", "/api/query/echo/maps?key=mine"));
  CHECK(r.status == 404);
}

TEST_CASE("path: the key is placed in the upstream path (Telegram style)", "[proxy]") {
  auto echo = Echo(ProxyFixture::Request("GET", "/api/path/echo/getMe"));
  CHECK(echo["path"] == "/bot123456:FAKESECRET-path-88e1/echo/getMe");
  CHECK(SeenHeader(echo, "Authorization").empty());
}

TEST_CASE("POST body is forwarded with its length", "[proxy]") {
  auto echo = Echo(ProxyFixture::Request(
      "POST", "/api/bearer/echo/chat", {{"Content-Type", "application/json"}}, R"({"model":"x"})"));
  CHECK(echo["method"] == "POST");
  CHECK(echo["body"] == R"({"model":"x"})");
}

TEST_CASE("upstream redirect is returned unchanged and never followed", "[proxy]") {
  HttpResponse r = Fixture().Send(ProxyFixture::Request("GET", "/api/bearer/redirect"));
  CHECK(r.status == 302);
  CHECK(r.Header("Location") == "https://elsewhere.invalid/steal");
}

TEST_CASE("upstream Set-Cookie is dropped", "[proxy]") {
  HttpResponse r = Fixture().Send(ProxyFixture::Request("GET", "/api/bearer/setcookie"));
  CHECK(r.status == 200);
  CHECK(r.Header("Set-Cookie").empty());
}

// Issue 13 (header allowlist defect): client identity, fingerprint and tenant-selector
// headers must not reach the provider unless the route opts in.
TEST_CASE("request headers are an allowlist: defaults plus the route's forward_headers",
          "[proxy]") {
  const std::vector<std::pair<std::string, std::string>> sent = {
      {"User-Agent", "Mozilla/5.0 (victim)"},
      {"X-Real-IP", "6.6.6.6"},
      {"CF-Connecting-IP", "6.6.6.6"},
      {"Sec-Fetch-Site", "same-origin"},
      {"sec-ch-ua-platform", "\"Android\""},
      {"X-Custom-Debug", "1"},
      {"Stripe-Account", "acct_from_client"},
      {"Accept", "application/json"},
      {"Accept-Language", "de"}};
  // "bearer" lists Stripe-Account in forward_headers; "basicuser" does not.
  auto echo = Echo(ProxyFixture::Request("GET", "/api/bearer/echo/x", sent));
  for (const char* gone : {"User-Agent", "X-Real-IP", "CF-Connecting-IP", "Sec-Fetch-Site",
                           "sec-ch-ua-platform", "X-Custom-Debug", "Origin"}) {
    INFO(gone);
    CHECK(SeenHeader(echo, gone).empty());
  }
  CHECK(SeenHeader(echo, "Stripe-Account") == std::vector<std::string>{"acct_from_client"});
  CHECK(SeenHeader(echo, "Accept") == std::vector<std::string>{"application/json"});
  CHECK(SeenHeader(echo, "Accept-Language") == std::vector<std::string>{"de"});
  auto other = Echo(ProxyFixture::Request("GET", "/api/basicuser/echo/x", sent));
  CHECK(SeenHeader(other, "Stripe-Account").empty());
}

TEST_CASE("response headers are an allowlist: upstream CORS, HSTS, Alt-Svc never pass back",
          "[proxy]") {
  HttpResponse r = Fixture().Send(ProxyFixture::Request("GET", "/api/bearer/cors"));
  REQUIRE(r.status == 200);
  for (const char* gone : {"Access-Control-Allow-Origin", "Access-Control-Allow-Credentials",
                           "Strict-Transport-Security", "Alt-Svc", "X-Internal-Debug", "Server"}) {
    INFO(gone);
    CHECK(r.Header(gone).empty());
  }
  CHECK(r.Header("Cache-Control") == "no-store");
  CHECK(r.Header("Content-Type") == "application/json");
}

TEST_CASE("upstream timeout: a stalled upstream gets 504 within the route's timeout_ms",
          "[proxy]") {
  const auto start = std::chrono::steady_clock::now();
  HttpResponse r = Fixture().Send(ProxyFixture::Request("GET", "/api/slow/slow"));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  CHECK(r.status == 504);
  CHECK(r.body.find("upstream-timeout") != std::string::npos);
  CHECK(elapsed < std::chrono::milliseconds(2500));  // route timeout_ms = 300; upstream: 3 s
}

TEST_CASE("keep-alive: several requests on one connection", "[proxy]") {
  Connection c(Fixture().proxy_port());
  for (int i = 0; i < 5; ++i) {
    REQUIRE(c.Write(ProxyFixture::Request("GET", "/api/bearer/echo/" + std::to_string(i))));
    HttpResponse r = c.ReadResponse();
    REQUIRE(r.status == 200);
    CHECK(nlohmann::json::parse(r.body)["path"] == "/echo/" + std::to_string(i));
  }
  REQUIRE(c.Write(ProxyFixture::Request("HEAD", "/api/bearer/echo/head")));
  HttpResponse head = c.ReadResponse(std::chrono::seconds(10), /*no_body=*/true);
  CHECK(head.status == 200);
  CHECK(head.body.empty());
  REQUIRE(c.Write(ProxyFixture::Request("GET", "/api/bearer/echo/after-head")));
  CHECK(c.ReadResponse().status == 200);
}

}  // namespace leakproof::testing
