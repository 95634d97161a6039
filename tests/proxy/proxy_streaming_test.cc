// Integration: upstream responses are streamed, not buffered. The fake upstream sends
// one SSE event and then blocks until the test calls /release; the test must see the
// first event through the proxy *before* it releases the second.
#include "proxy/support/proxy_harness.h"
#include "proxy/support/test_config.h"

#include <catch2/catch.hpp>

#include <chrono>

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

}  // namespace leakproof::testing
