// Prometheus exposition (text format 0.0.4) for the proxy's counters (see metrics.h).
#include "leakproof/proxy/metrics.h"

#include <sstream>

namespace leakproof::proxy {

void Metrics::CountRequest(const std::string& route, int status, double latency_ms,
                           uint64_t bytes_out) {
  std::lock_guard lock(mu_);
  ++requests_[{route, status}];
  RouteStats& s = routes_[route];
  s.latency_ms_sum += latency_ms;
  ++s.count;
  s.bytes_out += bytes_out;
}

std::string Metrics::Render(const std::string& extra) const {
  std::ostringstream out;
  out << "# HELP leakproof_proxy_requests_total Requests by route and response status.\n"
         "# TYPE leakproof_proxy_requests_total counter\n";
  std::lock_guard lock(mu_);
  for (const auto& [key, n] : requests_) {
    out << "leakproof_proxy_requests_total{route=\"" << key.first << "\",status=\"" << key.second
        << "\"} " << n << "\n";
  }
  out << "# HELP leakproof_proxy_request_duration_ms Request latency (sum and count).\n"
         "# TYPE leakproof_proxy_request_duration_ms summary\n";
  for (const auto& [route, s] : routes_) {
    out << "leakproof_proxy_request_duration_ms_sum{route=\"" << route << "\"} " << s.latency_ms_sum
        << "\n"
        << "leakproof_proxy_request_duration_ms_count{route=\"" << route << "\"} " << s.count
        << "\n";
  }
  out << "# TYPE leakproof_proxy_response_bytes_total counter\n";
  for (const auto& [route, s] : routes_) {
    out << "leakproof_proxy_response_bytes_total{route=\"" << route << "\"} " << s.bytes_out
        << "\n";
  }
  out << "# TYPE leakproof_proxy_active_connections gauge\n"
      << "leakproof_proxy_active_connections " << active_connections_ << "\n"
      << "# TYPE leakproof_proxy_connections_total counter\n"
      << "leakproof_proxy_connections_total " << connections_total_ << "\n"
      << "# TYPE leakproof_proxy_connections_rejected_total counter\n"
      << "leakproof_proxy_connections_rejected_total " << connections_rejected_ << "\n"
      << extra;
  return out.str();
}

}  // namespace leakproof::proxy
