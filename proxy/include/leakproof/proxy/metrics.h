// Prometheus text-format counters for /metrics. Every label value is bounded: route names
// come from the config, never from request data; sessions appear only as a bucket number
// (a hash of the hashed session id modulo [monitoring] session_buckets); upstream statuses
// are HTTP codes (at most a few hundred). Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace leakproof::proxy {

class Metrics {
 public:
  void CountRequest(const std::string& route, int status, double latency_ms, uint64_t bytes_out);
  // One request of an authenticated session, by session bucket.
  void CountSessionBucket(const std::string& route, int bucket);
  // One upstream exchange (connect + request + response relay) that got a status.
  void ObserveUpstream(const std::string& route, int status, double seconds);
  void CountAnomaly(const std::string& route);
  // A shared budget store error resolved by failing open (the replica's own budget) or
  // closed (503).
  void CountBudgetStoreError(bool failed_open) { ++(failed_open ? store_open_ : store_closed_); }

  void ConnectionOpened() {
    ++active_connections_;
    ++connections_total_;
  }
  void ConnectionClosed() { --active_connections_; }
  void ConnectionRejected() { ++connections_rejected_; }
  int64_t active_connections() const { return active_connections_; }

  // Renders everything plus `extra` (already formatted lines, e.g. readiness gauges).
  std::string Render(const std::string& extra) const;

  // Upper bounds (seconds) of the upstream latency histogram; +Inf is implied.
  static constexpr std::array<double, 11> kUpstreamBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                              0.5,   1,    2.5,   5,    10};

 private:
  struct RouteStats {
    double latency_ms_sum = 0;
    uint64_t count = 0;
    uint64_t bytes_out = 0;
  };
  struct Histogram {
    std::array<uint64_t, kUpstreamBuckets.size()> le{};  // non-cumulative; summed on render
    uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, uint64_t> requests_;
  std::map<std::string, RouteStats> routes_;
  std::map<std::pair<std::string, int>, uint64_t> session_buckets_;
  std::map<std::pair<std::string, int>, uint64_t> upstream_status_;
  std::map<std::string, Histogram> upstream_latency_;
  std::map<std::string, uint64_t> anomalies_;
  std::atomic<int64_t> active_connections_{0};
  std::atomic<uint64_t> connections_total_{0};
  std::atomic<uint64_t> connections_rejected_{0};
  std::atomic<uint64_t> store_open_{0};
  std::atomic<uint64_t> store_closed_{0};
};

}  // namespace leakproof::proxy
