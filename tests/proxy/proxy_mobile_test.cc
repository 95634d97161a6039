// Integration: bearer sessions for mobile clients (issue 13, "Sessions"). On a route with
// `mobile = true` the session JWT may come as "Authorization: Bearer <jwt>", verified
// exactly like the cookie; it is never forwarded (the upstream sees the route's own
// credential), and such a request needs no CSRF header or Origin because a bearer token
// is not ambient. Web routes refuse it. Real proxy process + fake upstream on 127.0.0.1.
#include "proxy/support/proxy_harness.h"
#include "proxy/support/test_config.h"
#include "server/runtime.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cctype>
#include <chrono>
#include <thread>

namespace leakproof::testing {
namespace {

ProxyFixture& Fixture() {
  static ProxyFixture f(TestRoutesConfig(), TestSecretsEnv());
  return f;
}

// A request as a mobile app sends it: bearer session, no cookie, no CSRF header, no Origin.
std::string MobileRequest(const std::string& method, const std::string& target,
                          const std::string& authorization, const std::string& body = "") {
  return ProxyFixture::Request(method, target,
                               {{"Cookie", ""},
                                {"X-Requested-With", ""},
                                {"Origin", ""},
                                {"Authorization", authorization},
                                {"Content-Type", "application/json"}},
                               body);
}

std::vector<std::string> SeenHeaderValues(const nlohmann::json& echo) {
  std::vector<std::string> out;
  for (const auto& h : echo["headers"]) out.push_back(h[1]);
  return out;
}

}  // namespace

TEST_CASE("BearerToken: scheme case-insensitive, other schemes and empty tokens refused",
          "[proxy]") {
  CHECK(proxy::BearerToken("Bearer abc.def.ghi") == "abc.def.ghi");
  CHECK(proxy::BearerToken("bEaReR  abc ") == "abc");
  CHECK(proxy::BearerToken("Bearer ").empty());
  CHECK(proxy::BearerToken("Bearer    ").empty());
  CHECK(proxy::BearerToken("Basic abc").empty());
  CHECK(proxy::BearerToken("Bearerabc").empty());
  CHECK(proxy::BearerToken("").empty());
}

TEST_CASE("mobile route: a bearer session is accepted without CSRF header or Origin", "[proxy]") {
  const std::string token = ProxyFixture::SessionToken("mobile-user");
  for (const std::string method : {"GET", "POST"}) {
    INFO(method);
    HttpResponse r =
        Fixture().Send(MobileRequest(method, "/api/mobile/echo/x", "Bearer " + token, "{}"));
    REQUIRE(r.status == 200);
    const nlohmann::json echo = nlohmann::json::parse(r.body);
    // The upstream sees the route's credential and nothing of the session token.
    bool injected = false;
    for (const auto& h : echo["headers"]) {
      std::string name = h[0];
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (name == "authorization") {
        CHECK(h[1] == "Bearer FAKESECRET-bearer-7f3a9c");
        injected = true;
      }
    }
    CHECK(injected);
    for (const auto& v : SeenHeaderValues(echo)) CHECK(v.find(token) == std::string::npos);
    CHECK(echo["path"].get<std::string>().find(token) == std::string::npos);
    CHECK(echo["query"].get<std::string>().find(token) == std::string::npos);
  }
  // The scheme is case-insensitive (RFC 6750 2.1 via RFC 9110 11.1).
  CHECK(Fixture().Send(MobileRequest("GET", "/api/mobile/echo/x", "bearer " + token)).status ==
        200);
}

TEST_CASE("mobile route: a bad or expired bearer session is 401", "[proxy]") {
  CHECK(Fixture().Send(MobileRequest("GET", "/api/mobile/echo/x", "Bearer not.a.jwt")).status ==
        401);
  const std::string expired = ProxyFixture::SessionToken("mobile-user", -3600);
  CHECK(Fixture().Send(MobileRequest("GET", "/api/mobile/echo/x", "Bearer " + expired)).status ==
        401);
  // Another scheme is not a bearer session; without a cookie the CSRF rule applies again.
  CHECK(Fixture().Send(MobileRequest("GET", "/api/mobile/echo/x", "Basic Zm9vOmJhcg==")).status ==
        403);
}

TEST_CASE("mobile route: cookie sessions keep the CSRF rule", "[proxy]") {
  CHECK(Fixture().Send(ProxyFixture::Request("GET", "/api/mobile/echo/x")).status == 200);
  CHECK(Fixture()
            .Send(ProxyFixture::Request("GET", "/api/mobile/echo/x", {{"X-Requested-With", ""}}))
            .status == 403);
  CHECK(Fixture()
            .Send(ProxyFixture::Request("POST", "/api/mobile/echo/x", {{"Origin", ""}}, "{}"))
            .status == 403);
}

TEST_CASE("web route: a bearer session is refused (401, audited as bearer-on-web-route)",
          "[proxy]") {
  const std::string token = ProxyFixture::SessionToken("mobile-user");
  // With the CSRF header, so the refusal is about the session, not CSRF.
  HttpResponse r =
      Fixture().Send(ProxyFixture::Request("GET", "/api/bearer/echo/web-bearer",
                                           {{"Cookie", ""}, {"Authorization", "Bearer " + token}}));
  CHECK(r.status == 401);
  // Without the CSRF header the web route stops at the CSRF check.
  CHECK(Fixture()
            .Send(MobileRequest("GET", "/api/bearer/echo/web-bearer", "Bearer " + token))
            .status == 403);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK(Fixture().ReadAuditLog().find("\"reason\":\"bearer-on-web-route\"") != std::string::npos);
}

}  // namespace leakproof::testing
