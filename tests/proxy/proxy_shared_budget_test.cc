// Integration: two proxy replicas share one route budget through a real redis-server on
// loopback (issue 16). 3B requests spread over both replicas must let at most B reach the
// upstream; with Redis slow or gone, global budgets fail closed (503, /readyz not ready)
// and per-session budgets fail open to the replica's own budget, as configured; Redis keys
// never hold a session id or client IP.
#include "proxy/support/proxy_harness.h"
#include "proxy/support/test_config.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <chrono>
#include <memory>
#include <netinet/in.h>
#include <regex>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace leakproof::testing {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr int kBudget = 10;  // B requests per minute, shared

// A free loopback port (bound, read, released; the small race is acceptable in tests).
int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

template <class Pred>
bool Eventually(Pred pred, milliseconds limit = std::chrono::seconds(10)) {
  const auto deadline = Clock::now() + limit;
  while (Clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(milliseconds(50));
  }
  return pred();
}

// One RESP command on a fresh connection; the raw reply ("" when none within 2 s).
std::string RedisCommand(int port, const std::string& inline_command) {
  Connection c(port);
  if (!c.ok() || !c.Write(inline_command + "\r\n")) return "";
  return c.ReadSome(milliseconds(2000));
}

std::unique_ptr<ChildProcess> StartRedis(int port, const std::string& dir) {
  auto redis = std::make_unique<ChildProcess>(
      std::vector<std::string>{"redis-server", "--port", std::to_string(port), "--bind",
                               "127.0.0.1", "--save", "", "--appendonly", "no",
                               "--enable-debug-command", "yes", "--dir", dir},
      std::vector<std::pair<std::string, std::string>>{}, dir + "/redis.out", dir + "/redis.err");
  if (!Eventually([&] { return RedisCommand(port, "PING").starts_with("+PONG"); })) {
    throw std::runtime_error("redis-server did not start: " + ReadWholeFile(dir + "/redis.out"));
  }
  return redis;
}

// A second replica on the first fixture's config (same routes, Redis and audit file).
class SecondReplica {
 public:
  explicit SecondReplica(const ProxyFixture& f) {
    std::vector<std::pair<std::string, std::string>> env = TestSecretsEnv();
    env.emplace_back("LP_TEST_SESSION_KEY", ProxyFixture::kSessionKey);
    const std::string err = f.dir() + "/proxy2.err";
    proc_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{LEAKPROOF_BINARY, "proxy", "--config", f.dir() + "/bff.toml"}, env,
        f.dir() + "/proxy2.out", err);
    const std::string marker = "listening on port ";
    Eventually([&] {
      const std::string log = ReadWholeFile(err);
      const size_t p = log.find(marker);
      if (p == std::string::npos || log.find('\n', p) == std::string::npos) return false;
      port_ = std::atoi(log.c_str() + p + marker.size());
      return true;
    });
    if (port_ == 0) throw std::runtime_error("second proxy did not start: " + ReadWholeFile(err));
  }
  int port() const { return port_; }

 private:
  std::unique_ptr<ChildProcess> proc_;
  int port_ = 0;
};

HttpResponse SendTo(int port, const std::string& raw) {
  Connection c(port);
  c.Write(raw);
  return c.ReadResponse();
}

std::string Routes(int redis_port, const std::string& extra_rate_limit) {
  return R"toml(
[session]
cookie = "lp_session"
jwt_secret = "env:LP_TEST_SESSION_KEY"
issuer = "https://app.test"
audience = "leakproof"

[csrf]
allowed_origins = ["https://app.test"]

[rate_limit]
store = "redis://127.0.0.1:)toml" +
         std::to_string(redis_port) + R"toml("
retry_after_ms = 200
)toml" + extra_rate_limit +
         R"toml(
[[routes]]
name = "paid"
upstream = "http://127.0.0.1:{UPSTREAM_PORT}"
paths = ["/echo/**"]
[routes.rate_limit]
global_per_minute = )toml" +
         std::to_string(kBudget) + R"toml(
[routes.credential]
source = "env:LP_TEST_BEARER"
auth = "bearer"

[[routes]]
name = "chat"
upstream = "http://127.0.0.1:{UPSTREAM_PORT}"
paths = ["/echo/**"]
[routes.rate_limit]
per_session_per_minute = 1000
[routes.credential]
source = "env:LP_TEST_BEARER"
auth = "bearer"
)toml";
}

int UpstreamHits(const ProxyFixture& f) {
  return nlohmann::json::parse(f.UpstreamGet("/hits").body)["echo"].get<int>();
}

std::string Get(int port, const std::string& target) {
  return SendTo(port, "GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n").body;
}

}  // namespace

TEST_CASE("Two replicas share one budget through Redis, and fail closed/open without it",
          "[proxy]") {
  const int redis_port = FreePort();
  ProxyFixture f(Routes(redis_port, ""), TestSecretsEnv());
  auto redis = StartRedis(redis_port, f.dir());
  SecondReplica b(f);
  const int ports[2] = {f.proxy_port(), b.port()};

  // /readyz on both replicas: ready, and says where the budgets live.
  for (int port : ports) {
    HttpResponse r = SendTo(port, "GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n");
    INFO(r.body);
    CHECK(r.status == 200);
    CHECK(r.body.find("rate-limit store: redis 127.0.0.1:" + std::to_string(redis_port) + " up") !=
          std::string::npos);
  }

  // 3B requests from 3B different sessions, alternating replicas: each replica sees 1.5B,
  // so per-replica budgets would let 2B through in total; the shared one lets B.
  int ok = 0, limited = 0, ok_per_replica[2] = {0, 0};
  for (int i = 0; i < 3 * kBudget; ++i) {
    HttpResponse r = SendTo(ports[i % 2], ProxyFixture::Request("GET", "/api/paid/echo/x", {}, "",
                                                                "user-" + std::to_string(i)));
    if (r.status == 200) {
      ++ok;
      ++ok_per_replica[i % 2];
    } else if (r.status == 429) {
      ++limited;
      CHECK(r.body.find("rate-limit:global") != std::string::npos);
      CHECK(std::atoi(r.Header("Retry-After").c_str()) >= 1);
    }
  }
  const int hits = UpstreamHits(f);
  INFO("ok=" << ok << " limited=" << limited << " upstream hits=" << hits);
  CHECK(hits <= kBudget);
  CHECK(hits == ok);
  CHECK(ok + limited == 3 * kBudget);
  CHECK(ok >= kBudget - 1);  // the budget is really usable, not refused wholesale
  CHECK(ok_per_replica[0] > 0);
  CHECK(ok_per_replica[1] > 0);

  // Keys in Redis: prefixed hashes only; no session subject, no IP, no route key in clear.
  for (int i = 0; i < 3; ++i) {
    SendTo(ports[0], ProxyFixture::Request("GET", "/api/chat/echo/x", {}, "", "carol-subject"));
  }
  const std::string keys = RedisCommand(redis_port, "KEYS *");
  INFO(keys);
  CHECK(keys.find("leakproof:rl:") != std::string::npos);
  CHECK(keys.find("carol") == std::string::npos);
  CHECK(keys.find("user-") == std::string::npos);
  CHECK(keys.find("127.0.0.1") == std::string::npos);
  CHECK(keys.find("paid") == std::string::npos);
  CHECK(std::regex_search(keys, std::regex("leakproof:rl:[0-9a-f]{16}\r\n")));

  // A slow Redis (blocked for 1 s) must not stall a request for longer than the command
  // timeout: the global budget fails closed at once.
  {
    Connection blocker(redis_port);
    REQUIRE(blocker.Write("DEBUG SLEEP 1\r\n"));
    std::this_thread::sleep_for(milliseconds(50));
    const auto start = Clock::now();
    HttpResponse r =
        SendTo(ports[0], ProxyFixture::Request("GET", "/api/paid/echo/x", {}, "", "slow-redis"));
    const auto took = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
    INFO("took " << took.count() << " ms");
    CHECK(r.status == 503);
    CHECK(took < milliseconds(300));
    blocker.ReadResponse(milliseconds(2000));  // let the sleep finish
  }
  REQUIRE(Eventually([&] { return Get(ports[0], "/readyz").starts_with("ready"); }));

  // Redis goes away.
  redis.reset();
  for (int port : ports) {
    // Global budget: fail closed (default) -> 503 naming the reason, nothing reaches upstream.
    const int before = UpstreamHits(f);
    HttpResponse paid =
        SendTo(port, ProxyFixture::Request("GET", "/api/paid/echo/x", {}, "", "after-redis-died"));
    INFO(paid.body);
    CHECK(paid.status == 503);
    CHECK(paid.body.find("rate-limit-store-unavailable") != std::string::npos);
    CHECK(paid.Header("Retry-After") == "1");
    CHECK(UpstreamHits(f) == before);
    // Per-session budget: fail open (default) -> served under this replica's own budget.
    HttpResponse chat =
        SendTo(port, ProxyFixture::Request("GET", "/api/chat/echo/x", {}, "", "after-redis-died"));
    CHECK(chat.status == 200);
    // /readyz: not ready, and why.
    HttpResponse ready = SendTo(port, "GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n");
    INFO(ready.body);
    CHECK(ready.status == 503);
    CHECK(ready.body.find("not ready: rate-limit-store") != std::string::npos);
    CHECK(ready.body.find("unreachable") != std::string::npos);
    CHECK(ready.body.find("fail closed (503)") != std::string::npos);
    const std::string metrics = Get(port, "/metrics");
    CHECK(metrics.find("leakproof_proxy_rate_limit_store_up 0") != std::string::npos);
    CHECK(std::regex_search(
        metrics,
        std::regex(R"(leakproof_proxy_rate_limit_store_errors_total[{]mode="closed"[}] [1-9])")));
    CHECK(std::regex_search(
        metrics,
        std::regex(R"(leakproof_proxy_rate_limit_store_errors_total[{]mode="open"[}] [1-9])")));
  }

  // Redis comes back: both replicas recover on their own (after retry_after_ms).
  redis = StartRedis(redis_port, f.dir());
  for (int port : ports) {
    CHECK(Eventually([&] { return Get(port, "/readyz").starts_with("ready"); }));
    CHECK(Get(port, "/metrics").find("leakproof_proxy_rate_limit_store_up 1") != std::string::npos);
  }

  // Nothing in either replica's logs or the audit holds a secret or a session subject.
  const std::string logs =
      f.ReadAuditLog() + f.ReadProxyStderr() + ReadWholeFile(f.dir() + "/proxy2.err");
  for (const auto& [name, value] : TestSecretsEnv()) CHECK(logs.find(value) == std::string::npos);
  CHECK(logs.find("user-1") == std::string::npos);
  CHECK(logs.find("after-redis-died") == std::string::npos);
}

TEST_CASE("on_store_error = \"open\": without Redis a global budget falls back to the replica's",
          "[proxy]") {
  const int redis_port = FreePort();  // nothing listens here
  ProxyFixture f(Routes(redis_port, "on_store_error = \"open\"\n"), TestSecretsEnv());
  int ok = 0, limited = 0;
  for (int i = 0; i < kBudget + 3; ++i) {
    HttpResponse r =
        f.Send(ProxyFixture::Request("GET", "/api/paid/echo/x", {}, "", "u" + std::to_string(i)));
    ok += r.status == 200;
    limited += r.status == 429;
  }
  // This replica's own budget of B still applies.
  CHECK(ok == kBudget);
  CHECK(limited == 3);
  HttpResponse ready = f.Send("GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n");
  INFO(ready.body);
  CHECK(ready.status == 200);
  CHECK(ready.body.find("unreachable") != std::string::npos);
  CHECK(ready.body.find("fail open") != std::string::npos);
}

}  // namespace leakproof::testing
