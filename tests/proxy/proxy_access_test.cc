// Integration: who may call what. Session (401), anti-CSRF header and Origin (403),
// allowlists (404), body and JSON caps (413/400), rate limits (429 + Retry-After),
// missing credential (503, /readyz), malformed and oversized headers, slowloris.
#include "leakproof/proxy/jwt.h"

#include "proxy/support/proxy_harness.h"
#include "proxy/support/test_config.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

namespace leakproof::testing {
namespace {

using std::chrono::milliseconds;

ProxyFixture& Fixture() {
  static ProxyFixture f(TestRoutesConfig(), TestSecretsEnv());
  return f;
}

int Status(const std::string& raw) { return Fixture().Send(raw).status; }

}  // namespace

TEST_CASE("no or bad session -> 401", "[proxy]") {
  CHECK(Status(ProxyFixture::Request("GET", "/api/bearer/echo/x", {{"Cookie", "theme=dark"}})) ==
        401);
  const std::string expired = ProxyFixture::SessionToken("alice", -3600);
  CHECK(Status(ProxyFixture::Request("GET", "/api/bearer/echo/x",
                                     {{"Cookie", "lp_session=" + expired}})) == 401);
  const std::string forged = proxy::SignHs256(
      R"({"sub":"mallory","iss":"https://app.test","aud":"leakproof","exp":4102444800})",
      "some-other-key-that-is-long-enough-000");
  CHECK(Status(ProxyFixture::Request("GET", "/api/bearer/echo/x",
                                     {{"Cookie", "lp_session=" + forged}})) == 401);
  const std::string none_alg = proxy::Base64UrlEncode(R"({"alg":"none"})") + "." +
                               proxy::Base64UrlEncode(R"({"sub":"x","exp":4102444800})") + ".";
  CHECK(Status(ProxyFixture::Request("GET", "/api/bearer/echo/x",
                                     {{"Cookie", "lp_session=" + none_alg}})) == 401);
}

TEST_CASE("missing anti-CSRF header or foreign Origin -> 403", "[proxy]") {
  CHECK(Status(ProxyFixture::Request("GET", "/api/bearer/echo/x", {{"X-Requested-With", ""}})) ==
        403);
  CHECK(Status(ProxyFixture::Request("GET", "/api/bearer/echo/x",
                                     {{"X-Requested-With", "XMLHttpRequest"}})) == 403);
  CHECK(Status(ProxyFixture::Request("POST", "/api/bearer/echo/x",
                                     {{"Origin", "https://evil.test"}}, "{}")) == 403);
  CHECK(Status(ProxyFixture::Request("POST", "/api/bearer/echo/x", {{"Origin", ""}}, "{}")) == 403);
  // GET does not need an Origin.
  CHECK(Status(ProxyFixture::Request("GET", "/api/bearer/echo/x", {{"Origin", ""}})) == 200);
}

TEST_CASE("anything not allowlisted -> 404", "[proxy]") {
  CHECK(Status(ProxyFixture::Request("GET", "/api/nosuchroute/echo/x")) == 404);
  CHECK(Status(ProxyFixture::Request("GET", "/not-api")) == 404);
  CHECK(Status(ProxyFixture::Request("GET", "/api/bearer/admin/keys")) == 404);
  CHECK(Status(ProxyFixture::Request("DELETE", "/api/bearer/echo/x")) == 404);
  CHECK(Status(ProxyFixture::Request("GET", "/api/bearer/echo/x?limit=1&admin=1")) == 404);
  CHECK(Status(ProxyFixture::Request("GET", "/api/bearer/echo/../admin")) == 404);
  CHECK(Status(ProxyFixture::Request("GET", "/api/bearer/echo/%2e%2e/admin")) == 404);
  CHECK(Status(ProxyFixture::Request("GET", "/api/bearer/echo//x")) == 404);
}

TEST_CASE("body over max_body_bytes -> 413; JSON cap exceeded -> 400", "[proxy]") {
  const std::string big(200, 'a');
  CHECK(Status(ProxyFixture::Request("POST", "/api/capped/echo/x", {{"Content-Type", "text/plain"}},
                                     big)) == 413);
  // Chunked body (no Content-Length) over the cap is caught while reading.
  std::string raw =
      ProxyFixture::Request("POST", "/api/capped/echo/x", {{"Transfer-Encoding", "chunked"}}, "");
  raw = raw.substr(0, raw.find("Content-Length")) + "\r\n";
  raw += "c8\r\n" + big + "\r\n0\r\n\r\n";
  CHECK(Status(raw) == 413);
  CHECK(Status(ProxyFixture::Request("POST", "/api/capped/echo/x",
                                     {{"Content-Type", "application/json"}},
                                     R"({"max_tokens": 5000})")) == 400);
  CHECK(Status(ProxyFixture::Request("POST", "/api/capped/echo/x",
                                     {{"Content-Type", "application/json"}},
                                     R"({"max_tokens": 50})")) == 200);
}

TEST_CASE("per-session rate limit -> 429 with Retry-After; other sessions unaffected", "[proxy]") {
  CHECK(Status(ProxyFixture::Request("GET", "/api/limited/echo/1", {}, "", "bob")) == 200);
  CHECK(Status(ProxyFixture::Request("GET", "/api/limited/echo/2", {}, "", "bob")) == 200);
  HttpResponse r =
      Fixture().Send(ProxyFixture::Request("GET", "/api/limited/echo/3", {}, "", "bob"));
  CHECK(r.status == 429);
  CHECK(std::atoi(r.Header("Retry-After").c_str()) >= 1);
  CHECK(Status(ProxyFixture::Request("GET", "/api/limited/echo/1", {}, "", "carol")) == 200);
}

TEST_CASE("a route whose secret is missing -> 503 and /readyz fails; /healthz ok", "[proxy]") {
  HttpResponse r = Fixture().Send(ProxyFixture::Request("GET", "/api/missing/echo/x"));
  CHECK(r.status == 503);
  CHECK(r.body.find("never-written") == std::string::npos);
  HttpResponse ready = Fixture().Send("GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(ready.status == 503);
  CHECK(ready.body.find("missing") != std::string::npos);
  CHECK(Fixture().Send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").status == 200);
  HttpResponse metrics = Fixture().Send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(metrics.status == 200);
  CHECK(metrics.body.find("leakproof_proxy_requests_total{route=\"missing\",status=\"503\"}") !=
        std::string::npos);
  CHECK(metrics.body.find("leakproof_proxy_route_ready{route=\"missing\"} 0") != std::string::npos);
}

TEST_CASE("/readyz and /healthz with Connection: close, repeatedly, keep the proxy up", "[proxy]") {
  // Regression: GCC 12 destroyed a std::string temporary in a co_await expression twice
  // (PR 99576); two such probes in a row aborted the process.
  for (int i = 0; i < 3; ++i) {
    CHECK(Status("GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n") == 503);
    CHECK(Status("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n") == 200);
  }
  CHECK(Status(ProxyFixture::Request("GET", "/api/bearer/echo/alive")) == 200);
}

TEST_CASE("CRLF / bare LF injection and oversized headers are rejected", "[proxy]") {
  std::string ok = ProxyFixture::Request("GET", "/api/bearer/echo/x");
  std::string crlf = ok;
  crlf.insert(crlf.find("\r\n") + 2, "X-Evil: a\rInjected: b\r\n");
  CHECK(Status(crlf) == 400);
  std::string nul = ok;
  nul.insert(nul.find("\r\n") + 2, std::string("X-Evil: a\0b\r\n", 13));
  CHECK(Status(nul) == 400);
  std::string huge = ok;
  huge.insert(huge.find("\r\n") + 2, "X-Big: " + std::string(20000, 'a') + "\r\n");
  CHECK(Status(huge) == 431);
  // The connection-level checks did not break normal service.
  CHECK(Status(ok) == 200);
}

TEST_CASE("slowloris: a client trickling its header is cut off", "[proxy]") {
  Connection c(Fixture().proxy_port());
  REQUIRE(c.ok());
  const std::string head = ProxyFixture::Request("GET", "/api/bearer/echo/x");
  auto start = std::chrono::steady_clock::now();
  bool cut_off = false;
  // header_timeout_ms is 1000 in the test config; bound the loop at 8 s / 80 bytes.
  for (size_t i = 0; i < 80 && i < head.size() - 4; ++i) {
    if (!c.Write(head.substr(i, 1))) {
      cut_off = true;
      break;
    }
    c.ReadSome(milliseconds(100));
    if (c.closed()) {
      cut_off = true;
      break;
    }
  }
  auto elapsed = std::chrono::steady_clock::now() - start;
  CHECK(cut_off);
  CHECK(elapsed < std::chrono::seconds(4));
}

}  // namespace leakproof::testing
