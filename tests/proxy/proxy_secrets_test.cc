// Integration: secret sources and rotation without restart (file re-read on change,
// Vault KV v2 re-read on its refresh interval), and the audit/diagnostic output never
// containing a secret, cookie or Authorization value. The Vault side is the KV v2
// emulation in support/fake_upstream.py: Debian ships no Vault/OpenBao server package.
#include "leakproof/proxy/injection.h"

#include "proxy/support/proxy_harness.h"
#include "proxy/support/test_config.h"

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

// Polls the route until the upstream sees `want` as the Authorization value (5 s bound).
bool EventuallyAuthorization(const std::string& route, const std::string& want) {
  std::string last;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < deadline) {
    HttpResponse r = Fixture().Send(ProxyFixture::Request("GET", "/api/" + route + "/echo/x"));
    last = std::to_string(r.status) + " " + r.body.substr(0, 300);
    if (r.status == 200) {
      // Named: a range-for over parse(...)["headers"] would iterate a destroyed temporary.
      const nlohmann::json echo = nlohmann::json::parse(r.body);
      for (const auto& h : echo["headers"]) {
        // Header names are case-insensitive (RFC 9110); the proxy may send either case.
        std::string name = h[0];
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (name == "authorization" && h[1] == want) return true;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  UNSCOPED_INFO("last response from /api/" << route << ": " << last);
  return false;
}

}  // namespace

TEST_CASE("file secret: picked up when created and after rotation, no restart", "[proxy]") {
  CHECK(Fixture().Send(ProxyFixture::Request("GET", "/api/filesecret/echo/x")).status == 503);
  Fixture().WriteFile("api-key.txt", "FAKESECRET-file-v1\n");
  CHECK(EventuallyAuthorization("filesecret", "Bearer FAKESECRET-file-v1"));
  Fixture().WriteFile("api-key.txt", "FAKESECRET-file-v2-rotated\n");
  CHECK(EventuallyAuthorization("filesecret", "Bearer FAKESECRET-file-v2-rotated"));
}

TEST_CASE("Vault KV v2: read, then a new version is used after the refresh", "[proxy]") {
  REQUIRE(Fixture()
              .UpstreamGet("/kv/set?path=bff/app&field=api_key&value=FAKESECRET-vault-v1")
              .status == 200);
  CHECK(EventuallyAuthorization("vault", "Bearer FAKESECRET-vault-v1"));
  REQUIRE(Fixture()
              .UpstreamGet("/kv/set?path=bff/app&field=api_key&value=FAKESECRET-vault-v2")
              .status == 200);
  CHECK(EventuallyAuthorization("vault", "Bearer FAKESECRET-vault-v2"));
}

TEST_CASE("no secret, cookie or Authorization value in audit lines or stderr", "[proxy]") {
  // Traffic that touches every route and refusal path first.
  for (const std::string route : {"bearer", "basicuser", "basicpass", "query", "path", "missing"}) {
    Fixture().Send(ProxyFixture::Request("GET", "/api/" + route + "/echo/x?q=private-query-value",
                                         {{"Authorization", "Bearer FAKESECRET-inbound-auth"}}));
  }
  Fixture().Send(ProxyFixture::Request("GET", "/api/header/x", {{"Cookie", "lp_session=garbage"}}));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));

  const std::string audit = Fixture().ReadAuditLog();
  const std::string diag = Fixture().ReadProxyStderr();
  REQUIRE(!audit.empty());
  std::vector<std::string> needles = {
      "FAKESECRET", "fake-vault-token",    ProxyFixture::kSessionKey,
      "lp_session", "private-query-value", "Bearer",
      "Basic "};
  needles.push_back(ProxyFixture::SessionToken("alice").substr(0, 30));  // JWT header+claims
  needles.push_back(proxy::Base64Encode("FAKESECRET-basicuser-51d2:"));
  for (const auto& n : needles) {
    INFO(n);
    CHECK(audit.find(n) == std::string::npos);
    CHECK(diag.find(n) == std::string::npos);
  }
  // Every line is JSON with the documented fields.
  size_t lines = 0;
  size_t start = 0;
  while (start < audit.size()) {
    size_t eol = audit.find('\n', start);
    auto line = nlohmann::json::parse(audit.substr(start, eol - start));
    for (const char* k : {"ts", "route", "method", "path", "status", "upstream_status",
                          "latency_ms", "bytes_in", "bytes_out", "session", "client_ip"}) {
      CHECK(line.contains(k));
    }
    ++lines;
    start = eol + 1;
  }
  CHECK(lines >= 7);
}

}  // namespace leakproof::testing
