// Per-route moving per-session baseline and the anomaly flag (see usage_monitor.h).
#include "usage_monitor.h"

namespace leakproof::proxy {

std::optional<AnomalyRecord> UsageMonitor::Observe(const std::string& route,
                                                   const std::string& session, int session_bucket,
                                                   const MonitoringConfig& cfg,
                                                   Clock::time_point now) {
  const auto window = std::chrono::seconds(cfg.anomaly_window_seconds);
  std::lock_guard lock(mu_);
  RouteWindow& w = routes_[route];
  if (!w.started) {
    w.start = now;
    w.started = true;
  }
  if (now - w.start >= window) {
    // Close the window: its per-session average (without flagged sessions) feeds the EWMA.
    uint64_t total = 0, counted = 0;
    for (const auto& [id, c] : w.sessions) {
      if (c.flagged) continue;
      total += c.requests;
      ++counted;
    }
    if (counted > 0) {
      const double avg = static_cast<double>(total) / static_cast<double>(counted);
      w.baseline = w.has_baseline ? kAlpha * avg + (1 - kAlpha) * w.baseline : avg;
      w.has_baseline = true;
    }
    w.sessions.clear();
    // Windows stay aligned to the first one; idle windows leave the baseline as it was.
    w.start += (now - w.start) / window * window;
  }
  auto it = w.sessions.find(session);
  if (it == w.sessions.end()) {
    if (w.sessions.size() >= kMaxSessionsPerRoute) return std::nullopt;
    it = w.sessions.emplace(session, SessionCount{}).first;
  }
  SessionCount& c = it->second;
  ++c.requests;
  if (c.flagged || !w.has_baseline) return std::nullopt;
  if (c.requests < static_cast<uint64_t>(cfg.anomaly_min_requests) ||
      static_cast<double>(c.requests) < cfg.anomaly_factor * w.baseline) {
    return std::nullopt;
  }
  c.flagged = true;
  return AnomalyRecord{route,
                       session,
                       session_bucket,
                       c.requests,
                       w.baseline,
                       cfg.anomaly_factor,
                       cfg.anomaly_window_seconds};
}

double UsageMonitor::Baseline(const std::string& route) const {
  std::lock_guard lock(mu_);
  auto it = routes_.find(route);
  return it == routes_.end() ? 0 : it->second.baseline;
}

int SessionBucket(const std::string& hashed_session, int buckets) {
  if (buckets <= 1) return 0;
  uint32_t v = 0;
  for (size_t i = 0; i < hashed_session.size() && i < 8; ++i) {
    const char c = hashed_session[i];
    const uint32_t d = c >= '0' && c <= '9' ? static_cast<uint32_t>(c - '0')
                       : c >= 'a' && c <= 'f'
                           ? static_cast<uint32_t>(c - 'a' + 10)
                           : static_cast<uint32_t>(static_cast<unsigned char>(c));
    v = v * 16 + d;
  }
  return static_cast<int>(v % static_cast<uint32_t>(buckets));
}

}  // namespace leakproof::proxy
