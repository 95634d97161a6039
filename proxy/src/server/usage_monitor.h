// Usage anomaly detection: flags one session making far more calls to a route than the
// route's sessions usually do (a stolen session or a scripted abuser running up the
// provider bill).
//
// Algorithm, per route: time is cut into fixed windows of `anomaly_window_seconds`.
// Within a window each (hashed) session's requests are counted. When a window closes,
// its per-session average (requests / distinct sessions) updates the route's baseline, an
// exponentially weighted moving average (EWMA, weight kAlpha for the newest window;
// sessions flagged in that window are left out, so an abuser does not teach the baseline
// to accept him). A session is flagged, once per window, when its count in the current
// window reaches both `anomaly_min_requests` and `anomaly_factor` x the baseline. No
// flag before the first window with traffic has closed (there is no baseline yet).
//
// Memory is bounded: at most kMaxSessionsPerRoute sessions are counted per route and
// window (later new sessions in that window are not tracked). Thread-safe.
#pragma once

#include "leakproof/proxy/audit_log.h"
#include "leakproof/proxy/config.h"

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace leakproof::proxy {

class UsageMonitor {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr double kAlpha = 0.3;
  static constexpr size_t kMaxSessionsPerRoute = 100000;

  // Counts one request of `session` (a hashed id) on `route`; returns an event when this
  // request makes the session anomalous (at most once per session and window).
  std::optional<AnomalyRecord> Observe(const std::string& route, const std::string& session,
                                       int session_bucket, const MonitoringConfig& cfg,
                                       Clock::time_point now = Clock::now());

  // The route's current baseline (0 before the first window closed); for tests.
  double Baseline(const std::string& route) const;

 private:
  struct SessionCount {
    uint64_t requests = 0;
    bool flagged = false;
  };
  struct RouteWindow {
    Clock::time_point start{};
    bool started = false;
    std::unordered_map<std::string, SessionCount> sessions;
    double baseline = 0;
    bool has_baseline = false;
  };
  mutable std::mutex mu_;
  std::map<std::string, RouteWindow, std::less<>> routes_;
};

// Bucket of a hashed session id (hex) for /metrics: its first 8 hex digits modulo `buckets`.
int SessionBucket(const std::string& hashed_session, int buckets);

}  // namespace leakproof::proxy
