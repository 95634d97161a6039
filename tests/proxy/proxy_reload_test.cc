// Integration: SIGHUP while a secret file is briefly missing (issue 13). The reload must
// keep the last good value (as docs/proxy.md promises), say so in the log instead of
// "reload ok", and show the stale secret in /readyz and /metrics until the file is back.
#include "proxy/support/proxy_harness.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cctype>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <thread>

namespace leakproof::testing {
namespace {

const char* kConfig = R"toml(
[session]
cookie = "lp_session"
jwt_secret = "env:LP_TEST_SESSION_KEY"
issuer = "https://app.test"
audience = "leakproof"

[csrf]
allowed_origins = ["https://app.test"]

[[routes]]
name = "filesecret"
upstream = "http://127.0.0.1:{UPSTREAM_PORT}"
paths = ["/echo/**"]
[routes.credential]
source = "file:{DIR}/api-key.txt"
auth = "bearer"
)toml";

// The Authorization value the upstream saw, or "<status>" when the proxy did not forward.
std::string SeenAuthorization(const ProxyFixture& f) {
  HttpResponse r = f.Send(ProxyFixture::Request("GET", "/api/filesecret/echo/x"));
  if (r.status != 200) return "<" + std::to_string(r.status) + ">";
  const nlohmann::json echo = nlohmann::json::parse(r.body);
  for (const auto& h : echo["headers"]) {
    std::string name = h[0];
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (name == "authorization") return h[1];
  }
  return "<none>";
}

template <class Pred>
bool Eventually(Pred pred, std::chrono::milliseconds limit = std::chrono::seconds(5)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return pred();
}

std::string Get(const ProxyFixture& f, const std::string& target) {
  return f.Send("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n").body;
}

}  // namespace

TEST_CASE("SIGHUP while the secret file is missing keeps the last good value, visibly", "[proxy]") {
  ProxyFixture f(kConfig, {});
  f.WriteFile("api-key.txt", "FAKESECRET-reload-v1\n");
  REQUIRE(Eventually([&] { return SeenAuthorization(f) == "Bearer FAKESECRET-reload-v1"; }));

  // The file disappears (a secret manager mid-swap) and a SIGHUP arrives right then.
  REQUIRE(std::remove((f.dir() + "/api-key.txt").c_str()) == 0);
  REQUIRE(::kill(f.proxy_pid(), SIGHUP) == 0);
  REQUIRE(
      Eventually([&] { return f.ReadProxyStderr().find("SIGHUP reload") != std::string::npos; }));
  const std::string log = f.ReadProxyStderr();
  INFO(log);
  CHECK(log.find("reload ok") == std::string::npos);
  CHECK(log.find("api-key.txt: cannot open file; serving its last good value") !=
        std::string::npos);
  CHECK(log.find("FAKESECRET") == std::string::npos);

  // Still served with the old value, and reported as stale.
  CHECK(SeenAuthorization(f) == "Bearer FAKESECRET-reload-v1");
  HttpResponse ready = f.Send("GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(ready.status == 200);
  CHECK(ready.body.find("stale: filesecret") != std::string::npos);
  CHECK(Get(f, "/metrics").find("leakproof_proxy_secret_stale{route=\"filesecret\"} 1") !=
        std::string::npos);

  // The file comes back with a new value: picked up, and no longer stale.
  f.WriteFile("api-key.txt", "FAKESECRET-reload-v2\n");
  CHECK(Eventually([&] { return SeenAuthorization(f) == "Bearer FAKESECRET-reload-v2"; }));
  CHECK(Get(f, "/readyz").find("stale") == std::string::npos);
  CHECK(Get(f, "/metrics").find("leakproof_proxy_secret_stale{route=\"filesecret\"} 0") !=
        std::string::npos);

  // A clean reload says so.
  REQUIRE(::kill(f.proxy_pid(), SIGHUP) == 0);
  CHECK(Eventually(
      [&] { return f.ReadProxyStderr().find("SIGHUP reload ok") != std::string::npos; }));
  CHECK(SeenAuthorization(f) == "Bearer FAKESECRET-reload-v2");
}

}  // namespace leakproof::testing
