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

void Metrics::CountSessionBucket(const std::string& route, int bucket) {
  std::lock_guard lock(mu_);
  ++session_buckets_[{route, bucket}];
}

void Metrics::ObserveUpstream(const std::string& route, int status, double seconds) {
  std::lock_guard lock(mu_);
  ++upstream_status_[{route, status}];
  Histogram& h = upstream_latency_[route];
  ++h.count;
  h.sum += seconds;
  for (size_t i = 0; i < kUpstreamBuckets.size(); ++i) {
    if (seconds <= kUpstreamBuckets[i]) {
      ++h.le[i];
      break;
    }
  }
}

void Metrics::CountAnomaly(const std::string& route) {
  std::lock_guard lock(mu_);
  ++anomalies_[route];
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
  out << "# HELP leakproof_proxy_session_requests_total Authenticated requests by route and "
         "session bucket (a hash of the session, never the session id).\n"
         "# TYPE leakproof_proxy_session_requests_total counter\n";
  for (const auto& [key, n] : session_buckets_) {
    out << "leakproof_proxy_session_requests_total{route=\"" << key.first << "\",bucket=\""
        << key.second << "\"} " << n << "\n";
  }
  out << "# HELP leakproof_proxy_upstream_responses_total Upstream responses by route and "
         "upstream status.\n"
         "# TYPE leakproof_proxy_upstream_responses_total counter\n";
  for (const auto& [key, n] : upstream_status_) {
    out << "leakproof_proxy_upstream_responses_total{route=\"" << key.first << "\",status=\""
        << key.second << "\"} " << n << "\n";
  }
  out << "# HELP leakproof_proxy_upstream_duration_seconds Upstream exchange time (connect, "
         "request, response relay).\n"
         "# TYPE leakproof_proxy_upstream_duration_seconds histogram\n";
  for (const auto& [route, h] : upstream_latency_) {
    uint64_t cumulative = 0;
    for (size_t i = 0; i < kUpstreamBuckets.size(); ++i) {
      cumulative += h.le[i];
      out << "leakproof_proxy_upstream_duration_seconds_bucket{route=\"" << route << "\",le=\""
          << kUpstreamBuckets[i] << "\"} " << cumulative << "\n";
    }
    out << "leakproof_proxy_upstream_duration_seconds_bucket{route=\"" << route
        << "\",le=\"+Inf\"} " << h.count << "\n"
        << "leakproof_proxy_upstream_duration_seconds_sum{route=\"" << route << "\"} " << h.sum
        << "\n"
        << "leakproof_proxy_upstream_duration_seconds_count{route=\"" << route << "\"} " << h.count
        << "\n";
  }
  out << "# HELP leakproof_proxy_anomalies_total Sessions flagged by the anomaly detector.\n"
         "# TYPE leakproof_proxy_anomalies_total counter\n";
  for (const auto& [route, n] : anomalies_) {
    out << "leakproof_proxy_anomalies_total{route=\"" << route << "\"} " << n << "\n";
  }
  out << "# HELP leakproof_proxy_rate_limit_store_errors_total Shared budget store errors, by "
         "what the proxy did (open: this replica's own budget; closed: 503).\n"
         "# TYPE leakproof_proxy_rate_limit_store_errors_total counter\n"
      << "leakproof_proxy_rate_limit_store_errors_total{mode=\"open\"} " << store_open_ << "\n"
      << "leakproof_proxy_rate_limit_store_errors_total{mode=\"closed\"} " << store_closed_ << "\n";
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
