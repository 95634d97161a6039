// JSON audit lines (see audit_log.h). nlohmann::json escapes control characters, so a
// hostile path cannot forge extra lines; each line is flushed so `tail -f` and tests see
// it immediately.
#include "leakproof/proxy/audit_log.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <ctime>

namespace leakproof::proxy {
namespace {

std::string Iso8601Now() {
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof(out), "%s.%03dZ", buf, static_cast<int>(ms.count()));
  return out;
}

}  // namespace

AuditLog::AuditLog(const std::string& path) : out_(stderr) {
  if (path != "stderr" && !path.empty()) {
    if (std::FILE* f = std::fopen(path.c_str(), "a")) {
      out_ = f;
      owned_ = true;
    }
  }
}

AuditLog::~AuditLog() {
  if (owned_) std::fclose(out_);
}

void AuditLog::Write(const AuditRecord& r) {
  nlohmann::json j = {
      {"ts", Iso8601Now()},
      {"route", r.route},
      {"method", r.method},
      {"path", r.path},
      {"status", r.status},
      {"upstream_status", r.upstream_status},
      {"latency_ms", static_cast<double>(static_cast<int64_t>(r.latency_ms * 1000)) / 1000},
      {"bytes_in", r.bytes_in},
      {"bytes_out", r.bytes_out},
      {"session", r.session},
      {"client_ip", r.client_ip},
  };
  if (!r.reason.empty()) j["reason"] = r.reason;
  std::string line = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::lock_guard lock(mu_);
  std::fwrite(line.data(), 1, line.size(), out_);
  std::fflush(out_);
}

}  // namespace leakproof::proxy
