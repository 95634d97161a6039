// Integration: upstream responses are streamed, not buffered. The fake upstream sends
// one SSE event and then blocks until the test calls /release; the test must see the
// first event through the proxy *before* it releases the second. A large response is
// relayed in several pieces without losing or adding a byte.
#include "proxy/support/proxy_harness.h"
#include "proxy/support/test_config.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <string>

namespace leakproof::testing {

TEST_CASE("SSE events arrive incrementally through the proxy", "[proxy]") {
  ProxyFixture f(TestRoutesConfig(), TestSecretsEnv());
  Connection c(f.proxy_port());
  REQUIRE(
      c.Write(ProxyFixture::Request("GET", "/api/bearer/sse", {{"Accept", "text/event-stream"}})));
  std::string seen;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (seen.find("data: first") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline && !c.closed()) {
    seen += c.ReadSome(std::chrono::milliseconds(200));
  }
  REQUIRE(seen.find("data: first") != std::string::npos);
  CHECK(seen.find("text/event-stream") != std::string::npos);
  CHECK(seen.find("data: second") == std::string::npos);  // upstream has not sent it yet

  REQUIRE(f.UpstreamGet("/release").status == 200);
  deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (seen.find("data: second") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline && !c.closed()) {
    seen += c.ReadSome(std::chrono::milliseconds(200));
  }
  CHECK(seen.find("data: second") != std::string::npos);
  // The upstream closed (no length): the proxy ends the chunked body properly.
  deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (seen.find("\r\n0\r\n\r\n") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline && !c.closed()) {
    seen += c.ReadSome(std::chrono::milliseconds(200));
  }
  CHECK(seen.find("\r\n0\r\n\r\n") != std::string::npos);
}

TEST_CASE("a response larger than one relay buffer arrives intact, then keep-alive", "[proxy]") {
  // The echo of a 100 KB body spans several 16 KiB relay reads; the first piece leaves
  // with the head, the rest as it arrives. The next request on the same connection
  // must then parse cleanly (no stray or missing body bytes).
  ProxyFixture f(TestRoutesConfig(), TestSecretsEnv());
  std::string big(100 * 1000, 'x');
  for (size_t i = 0; i < big.size(); i += 997) big[i] = static_cast<char>('a' + i % 26);
  Connection c(f.proxy_port());
  REQUIRE(c.Write(ProxyFixture::Request("POST", "/api/bearer/echo/big",
                                        {{"Content-Type", "text/plain"}}, big)));
  HttpResponse r = c.ReadResponse();
  REQUIRE(r.status == 200);
  CHECK(nlohmann::json::parse(r.body)["body"] == big);
  REQUIRE(c.Write(ProxyFixture::Request("GET", "/api/bearer/echo/after")));
  HttpResponse next = c.ReadResponse();
  REQUIRE(next.status == 200);
  CHECK(nlohmann::json::parse(next.body)["path"] == "/echo/after");
}

}  // namespace leakproof::testing
