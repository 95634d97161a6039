// Usage monitoring (issue 16): the anomaly detector's moving per-session baseline, the
// [monitoring] and [rate_limit] config sections, and end to end through a real proxy:
// one session far above the others -> an `anomaly` audit line and metric, per-session-
// bucket counters and upstream histograms in /metrics, and no secret or session id in
// the audit.
#include "server/usage_monitor.h"

#include "leakproof/proxy/config.h"

#include "proxy/support/proxy_harness.h"
#include "proxy/support/test_config.h"
#include "server/runtime.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <regex>
#include <set>
#include <sstream>
#include <thread>

namespace leakproof::testing {
namespace {

using proxy::MonitoringConfig;
using proxy::UsageMonitor;
using std::chrono::milliseconds;
using std::chrono::seconds;

MonitoringConfig Anomaly(double factor, int window, int min_requests) {
  MonitoringConfig m;
  m.anomaly = true;
  m.anomaly_factor = factor;
  m.anomaly_window_seconds = window;
  m.anomaly_min_requests = min_requests;
  return m;
}

}  // namespace

TEST_CASE("UsageMonitor flags one session far above the route's moving baseline", "[proxy]") {
  UsageMonitor mon;
  const MonitoringConfig cfg = Anomaly(5, 60, 10);
  const auto t0 = UsageMonitor::Clock::time_point{} + seconds(1000);
  // Window 1: 10 sessions x 4 requests; no baseline yet, so even a busy session is not flagged.
  for (int s = 0; s < 10; ++s) {
    for (int i = 0; i < 4; ++i) {
      CHECK_FALSE(mon.Observe("r", "s" + std::to_string(s), 0, cfg, t0 + seconds(s)));
    }
  }
  for (int i = 0; i < 50; ++i) CHECK_FALSE(mon.Observe("r", "early", 0, cfg, t0 + seconds(30)));
  // Window 2 opens: the baseline is window 1's per-session average, the early burst included
  // (it was not flagged): (40 + 50) / 11.
  const auto t1 = t0 + seconds(61);
  CHECK_FALSE(mon.Observe("r", "s0", 0, cfg, t1));
  CHECK(mon.Baseline("r") == Approx(90.0 / 11));
  // 5 x 8.18 = 40.9: the 41st request of one session is the first anomalous one, once.
  std::optional<proxy::AnomalyRecord> hit;
  int at = 0;
  for (int i = 1; i <= 60; ++i) {
    auto ev = mon.Observe("r", "mallory", 3, cfg, t1 + seconds(1));
    if (ev) {
      CHECK_FALSE(hit);
      hit = ev;
      at = i;
    }
  }
  REQUIRE(hit);
  CHECK(at == 41);
  CHECK(hit->route == "r");
  CHECK(hit->session == "mallory");
  CHECK(hit->session_bucket == 3);
  CHECK(hit->requests == 41);
  CHECK(hit->factor == 5);
  // Another route has its own baseline (none yet).
  for (int i = 0; i < 100; ++i) CHECK_FALSE(mon.Observe("other", "mallory", 0, cfg, t1));

  // Window 3: the flagged session is left out of the baseline (EWMA of 1 and 8.18).
  const auto t2 = t0 + seconds(125);
  CHECK_FALSE(mon.Observe("r", "s1", 0, cfg, t2));
  CHECK(mon.Baseline("r") == Approx(0.3 * 1 + 0.7 * (90.0 / 11)));
}

TEST_CASE("UsageMonitor: min_requests guards quiet routes; idle windows keep the baseline",
          "[proxy]") {
  UsageMonitor mon;
  const MonitoringConfig cfg = Anomaly(2, 10, 20);
  const auto t0 = UsageMonitor::Clock::time_point{} + seconds(5);
  CHECK_FALSE(mon.Observe("r", "a", 0, cfg, t0));  // baseline 1 after this window
  // Hours later (many idle windows): baseline unchanged, 2x1 = 2 but min_requests = 20.
  const auto t1 = t0 + seconds(7200);
  for (int i = 1; i < 20; ++i) CHECK_FALSE(mon.Observe("r", "b", 0, cfg, t1));
  CHECK(mon.Baseline("r") == Approx(1));
  CHECK(mon.Observe("r", "b", 0, cfg, t1));
}

TEST_CASE("SessionBucket spreads hashed sessions over a bounded range", "[proxy]") {
  std::set<int> seen;
  for (int i = 0; i < 1000; ++i) {
    const int b = proxy::SessionBucket(proxy::HashId("session-" + std::to_string(i)), 16);
    CHECK(b >= 0);
    CHECK(b < 16);
    seen.insert(b);
  }
  CHECK(seen.size() == 16);
  CHECK(proxy::SessionBucket("ffffffff", 1) == 0);
}

TEST_CASE("[rate_limit] and [monitoring] config sections", "[proxy]") {
  const std::string route =
      "\n[[routes]]\nname = \"r\"\nupstream = \"https://api.example\"\npaths = [\"/x\"]\n"
      "[routes.credential]\nsource = \"env:K\"\nauth = \"bearer\"\n";
  const std::string session = "[session]\njwt_secret = \"env:S\"\n";
  auto parse = [&](const std::string& head) {
    return proxy::ParseConfig(session + head + route, "t.toml");
  };

  auto def = parse("");
  REQUIRE(def.ok());
  CHECK_FALSE(def->budget_store.redis);
  CHECK_FALSE(def->budget_store.global_fail_open);
  CHECK(def->budget_store.per_client_fail_open);
  CHECK_FALSE(def->monitoring.anomaly);

  auto redis = parse(
      "[rate_limit]\nstore = \"redis://redis.budgets.svc:6380/2\"\ncommand_timeout_ms = 3\n"
      "on_store_error = \"open\"\non_store_error_per_client = \"closed\"\n"
      "[monitoring]\nanomaly = true\nanomaly_factor = 8\nsession_buckets = 32\n");
  REQUIRE(redis.ok());
  CHECK(redis->budget_store.redis);
  CHECK(redis->budget_store.redis_host == "redis.budgets.svc");
  CHECK(redis->budget_store.redis_port == 6380);
  CHECK(redis->budget_store.redis_db == 2);
  CHECK(redis->budget_store.command_timeout_ms == 3);
  CHECK(redis->budget_store.global_fail_open);
  CHECK_FALSE(redis->budget_store.per_client_fail_open);
  CHECK(redis->monitoring.anomaly);
  CHECK(redis->monitoring.anomaly_factor == 8);
  CHECK(redis->monitoring.session_buckets == 32);

  auto error = [&](const std::string& head) {
    auto c = parse(head);
    return c.ok() ? std::string("accepted") : c.status().message();
  };
  CHECK(error("[rate_limit]\nstore = \"memcached://x\"\n").find("t.toml: rate_limit.store") == 0);
  CHECK(error("[rate_limit]\nstore = \"redis://user:pw@x\"\n").find("credentials") !=
        std::string::npos);
  CHECK(error("[rate_limit]\nstore = \"redis://x:99999\"\n").find("bad port") != std::string::npos);
  CHECK(error("[rate_limit]\non_store_error = \"maybe\"\n").find("rate_limit.on_store_error") !=
        std::string::npos);
  CHECK(error("[rate_limit]\ncommand_timout_ms = 5\n").find("unknown key") != std::string::npos);
  CHECK(error("[monitoring]\nanomaly_factor = 1\n").find("monitoring.anomaly_factor") !=
        std::string::npos);
  CHECK(error("[monitoring]\nsession_buckets = 100000\n").find("monitoring.session_buckets") !=
        std::string::npos);
}

TEST_CASE("One session far above the others: anomaly audit line and metric, no ids", "[proxy]") {
  const std::string config = R"toml(
[session]
cookie = "lp_session"
jwt_secret = "env:LP_TEST_SESSION_KEY"
issuer = "https://app.test"
audience = "leakproof"

[csrf]
allowed_origins = ["https://app.test"]

[monitoring]
session_buckets = 8
anomaly = true
anomaly_factor = 5
anomaly_window_seconds = 2
anomaly_min_requests = 10

[[routes]]
name = "paid"
upstream = "http://127.0.0.1:{UPSTREAM_PORT}"
paths = ["/echo/**"]
[routes.credential]
source = "env:LP_TEST_BEARER"
auth = "bearer"
)toml";
  ProxyFixture f(config, TestSecretsEnv());
  auto call = [&](const std::string& subject) {
    return f.Send(ProxyFixture::Request("GET", "/api/paid/echo/x", {}, "", subject)).status;
  };
  // Window 1: six ordinary sessions, two calls each (baseline 2).
  int total = 0;
  for (int s = 0; s < 6; ++s) {
    for (int i = 0; i < 2; ++i, ++total) REQUIRE(call("user-" + std::to_string(s)) == 200);
  }
  // Wait until the window closed and a fresh one is well under way.
  std::this_thread::sleep_for(milliseconds(2300));
  // Window 2: ordinary sessions go on as usual, one session makes 30 calls (15x).
  for (int s = 0; s < 6; ++s, ++total) REQUIRE(call("user-" + std::to_string(s)) == 200);
  for (int i = 0; i < 30; ++i, ++total) REQUIRE(call("mallory-subject") == 200);
  // One unauthenticated call: counted per route, not per session bucket.
  CHECK(f.Send(ProxyFixture::Request("GET", "/api/paid/echo/x", {{"Cookie", ""}})).status == 401);

  const std::string audit = f.ReadAuditLog();
  std::vector<nlohmann::json> anomalies;
  std::istringstream lines(audit);
  for (std::string line; std::getline(lines, line);) {
    auto j = nlohmann::json::parse(line);
    if (j.value("event", "") == "anomaly") anomalies.push_back(j);
  }
  INFO(audit);
  REQUIRE(anomalies.size() == 1);
  const auto& a = anomalies[0];
  CHECK(a["route"] == "paid");
  CHECK(a["session"] == proxy::HashId("sub:mallory-subject"));
  CHECK(a["requests"] == 10);  // max(min_requests 10, 5 x baseline 2)
  CHECK(a["baseline"] == 2.0);
  CHECK(a["factor"] == 5.0);
  CHECK(a["window_seconds"] == 2);
  CHECK(a["session_bucket"].get<int>() >= 0);
  CHECK(a["session_bucket"].get<int>() < 8);
  CHECK(a.contains("ts"));
  // Never a session id (the subject or the JWT), never a secret.
  CHECK(audit.find("mallory") == std::string::npos);
  CHECK(audit.find("user-") == std::string::npos);
  CHECK(audit.find(ProxyFixture::SessionToken("mallory-subject").substr(0, 40)) ==
        std::string::npos);
  for (const auto& [name, value] : TestSecretsEnv()) CHECK(audit.find(value) == std::string::npos);

  const std::string metrics = f.Send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n").body;
  INFO(metrics);
  CHECK(metrics.find("leakproof_proxy_anomalies_total{route=\"paid\"} 1\n") != std::string::npos);
  // Per-session-bucket counters: at most 8 buckets, summing to the authenticated calls.
  const std::regex bucket_line(
      "leakproof_proxy_session_requests_total[{]route=\"paid\","
      "bucket=\"([0-9]+)\"[}] ([0-9]+)");
  int sum = 0;
  std::set<int> buckets;
  for (std::sregex_iterator it(metrics.begin(), metrics.end(), bucket_line), end; it != end; ++it) {
    buckets.insert(std::stoi((*it)[1]));
    sum += std::stoi((*it)[2]);
  }
  CHECK(sum == total);
  CHECK(!buckets.empty());
  CHECK(*buckets.rbegin() < 8);
  CHECK(metrics.find("mallory") == std::string::npos);
  CHECK(metrics.find(proxy::HashId("sub:mallory-subject")) == std::string::npos);
  // Upstream status counter and latency histogram.
  CHECK(metrics.find("leakproof_proxy_upstream_responses_total{route=\"paid\",status=\"200\"} " +
                     std::to_string(total) + "\n") != std::string::npos);
  CHECK(
      metrics.find("leakproof_proxy_upstream_duration_seconds_bucket{route=\"paid\",le=\"+Inf\"} " +
                   std::to_string(total) + "\n") != std::string::npos);
  CHECK(metrics.find("leakproof_proxy_upstream_duration_seconds_count{route=\"paid\"} " +
                     std::to_string(total) + "\n") != std::string::npos);
}

}  // namespace leakproof::testing
