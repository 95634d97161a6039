// One JSON line per proxied request. The record type has no field that could carry a
// secret, cookie, Authorization value or query value, so "never log a secret" holds by
// construction rather than by care at each call site. Thread-safe (one mutex per line).
#pragma once

#include "leakproof/scanner/status.h"

#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace leakproof::proxy {

struct AuditRecord {
  std::string route;  // route name, "" for non-API paths
  std::string method;
  std::string path;         // path + query parameter *names* only
  int status = 0;           // what the client got
  int upstream_status = 0;  // 0 when the upstream was not called
  double latency_ms = 0;
  uint64_t bytes_in = 0;   // request body bytes
  uint64_t bytes_out = 0;  // response body bytes
  std::string session;     // hashed session id
  std::string client_ip;
  std::string reason;  // why the proxy refused, e.g. "csrf", "rate-limit:session"
};

// The `anomaly` audit event (see usage_monitor.h): one session far above its route's
// moving per-session baseline. Like AuditRecord it has no field that could hold a secret;
// the session appears only hashed.
struct AnomalyRecord {
  std::string route;
  std::string session;  // hashed session id, as in every audit line
  int session_bucket = 0;
  uint64_t requests = 0;  // this session's requests in the current window
  double baseline = 0;    // the route's moving per-session average per window
  double factor = 0;
  int window_seconds = 0;
};

// {"event":"anomaly", ...every field of `r`..., "ts":...}\n
std::string FormatAnomalyLine(const AnomalyRecord& r, std::string_view ts);

// One audit line: a JSON object with every field of `r` (`reason` only when set) and `ts`,
// terminated by "\n". Control characters and invalid UTF-8 in strings are escaped or
// replaced, so the result is always exactly one line of valid JSON.
std::string FormatAuditLine(const AuditRecord& r, std::string_view ts);

class AuditLog {
 public:
  // "stderr" or a file path opened for append. A path that cannot be opened is an error
  // (naming the path and the OS reason), never a silent fallback: an operator who
  // configured a file expects the audit trail there.
  static scanner::Result<std::unique_ptr<AuditLog>> Open(const std::string& path);
  ~AuditLog();
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  void Write(const AuditRecord& r);
  void Write(const AnomalyRecord& r);

 private:
  AuditLog(std::FILE* out, bool owned) : out_(out), owned_(owned) {}
  void WriteLine(const std::string& line);
  std::mutex mu_;
  std::FILE* out_;
  bool owned_;
};

}  // namespace leakproof::proxy
