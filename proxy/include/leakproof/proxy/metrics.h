// Prometheus text-format counters for /metrics. Request counters are per (route, status);
// labels are route names from the config, never request data, so cardinality is bounded.
// Thread-safe.
#pragma once

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
  void ConnectionOpened() {
    ++active_connections_;
    ++connections_total_;
  }
  void ConnectionClosed() { --active_connections_; }
  void ConnectionRejected() { ++connections_rejected_; }
  int64_t active_connections() const { return active_connections_; }

  // Renders everything plus `extra` (already formatted lines, e.g. readiness gauges).
  std::string Render(const std::string& extra) const;

 private:
  struct RouteStats {
    double latency_ms_sum = 0;
    uint64_t count = 0;
    uint64_t bytes_out = 0;
  };
  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, uint64_t> requests_;
  std::map<std::string, RouteStats> routes_;
  std::atomic<int64_t> active_connections_{0};
  std::atomic<uint64_t> connections_total_{0};
  std::atomic<uint64_t> connections_rejected_{0};
};

}  // namespace leakproof::proxy
