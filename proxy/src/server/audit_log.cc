// JSON audit lines (see audit_log.h). Each line is flushed so `tail -f` and tests see it
// immediately. The line is assembled by hand rather than through a JSON DOM because it is
// written once per proxied request; strings that are not plain printable ASCII still go
// through nlohmann's escaper, so a hostile path cannot forge extra lines.
#include "leakproof/proxy/audit_log.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstring>
#include <ctime>

namespace leakproof::proxy {
namespace {

// "2026-11-29T18:55:21.282Z". The seconds part is formatted once per second per thread.
std::string Iso8601Now() {
  const auto ms_since_epoch = std::chrono::duration_cast<std::chrono::milliseconds>(
                                  std::chrono::system_clock::now().time_since_epoch())
                                  .count();
  const std::time_t t = static_cast<std::time_t>(ms_since_epoch / 1000);
  thread_local std::time_t cached_t = -1;
  thread_local char cached[24] = {};
  if (t != cached_t) {
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::strftime(cached, sizeof(cached), "%Y-%m-%dT%H:%M:%S", &tm);
    cached_t = t;
  }
  const int ms = static_cast<int>(ms_since_epoch % 1000);
  std::string out(cached);
  out += '.';
  out += static_cast<char>('0' + ms / 100);
  out += static_cast<char>('0' + ms / 10 % 10);
  out += static_cast<char>('0' + ms % 10);
  out += 'Z';
  return out;
}

// Route names, methods, hashed sessions, IPs and nearly every path are plain printable
// ASCII and are copied as they are. Anything else goes through nlohmann's escaper, which
// escapes control characters and replaces invalid UTF-8.
void AppendString(std::string& out, std::string_view s) {
  const bool plain = std::all_of(
      s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\'; });
  if (plain) {
    out += '"';
    out += s;
    out += '"';
    return;
  }
  out +=
      nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

template <class Int>
void AppendInt(std::string& out, Int v) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof(buf), v);
  out.append(buf, res.ptr);
}

// Milliseconds truncated to microseconds, printed the way nlohmann prints that double:
// shortest fraction, at least one digit ("4.107", "0.08", "12.0").
void AppendMillis(std::string& out, double ms) {
  const int64_t us = ms > 0 ? static_cast<int64_t>(ms * 1000) : 0;
  AppendInt(out, us / 1000);
  int frac = static_cast<int>(us % 1000);
  char digits[3] = {static_cast<char>('0' + frac / 100), static_cast<char>('0' + frac / 10 % 10),
                    static_cast<char>('0' + frac % 10)};
  size_t n = 3;
  while (n > 1 && digits[n - 1] == '0') --n;
  out += '.';
  out.append(digits, n);
}

}  // namespace

std::string FormatAuditLine(const AuditRecord& r, std::string_view ts) {
  // Keys in lexicographic order, as the first (nlohmann::json) version wrote them.
  std::string line;
  line.reserve(256 + r.path.size());
  line += "{\"bytes_in\":";
  AppendInt(line, r.bytes_in);
  line += ",\"bytes_out\":";
  AppendInt(line, r.bytes_out);
  line += ",\"client_ip\":";
  AppendString(line, r.client_ip);
  line += ",\"latency_ms\":";
  AppendMillis(line, r.latency_ms);
  line += ",\"method\":";
  AppendString(line, r.method);
  line += ",\"path\":";
  AppendString(line, r.path);
  if (!r.reason.empty()) {
    line += ",\"reason\":";
    AppendString(line, r.reason);
  }
  line += ",\"route\":";
  AppendString(line, r.route);
  line += ",\"session\":";
  AppendString(line, r.session);
  line += ",\"status\":";
  AppendInt(line, r.status);
  line += ",\"ts\":";
  AppendString(line, ts);
  line += ",\"upstream_status\":";
  AppendInt(line, r.upstream_status);
  line += "}\n";
  return line;
}

std::string FormatAnomalyLine(const AnomalyRecord& r, std::string_view ts) {
  // Rare, so a JSON DOM is fine here; dump() escapes whatever the route name holds.
  nlohmann::json j = {{"event", "anomaly"},     {"route", r.route},
                      {"session", r.session},   {"session_bucket", r.session_bucket},
                      {"requests", r.requests}, {"baseline", std::round(r.baseline * 100) / 100},
                      {"factor", r.factor},     {"window_seconds", r.window_seconds},
                      {"ts", std::string(ts)}};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

scanner::Result<std::unique_ptr<AuditLog>> AuditLog::Open(const std::string& path) {
  if (path == "stderr") return std::unique_ptr<AuditLog>(new AuditLog(stderr, false));
  if (path.empty()) {
    return scanner::Status::InvalidArgument("audit.path: empty (use \"stderr\" or a file path)");
  }
  std::FILE* f = std::fopen(path.c_str(), "a");
  if (f == nullptr) {
    return scanner::Status::IOError("audit.path: cannot open " + path +
                                    " for append: " + std::strerror(errno));
  }
  return std::unique_ptr<AuditLog>(new AuditLog(f, true));
}

AuditLog::~AuditLog() {
  if (owned_) std::fclose(out_);
}

void AuditLog::Write(const AuditRecord& r) { WriteLine(FormatAuditLine(r, Iso8601Now())); }

void AuditLog::Write(const AnomalyRecord& r) { WriteLine(FormatAnomalyLine(r, Iso8601Now())); }

void AuditLog::WriteLine(const std::string& line) {
  std::lock_guard lock(mu_);
  std::fwrite(line.data(), 1, line.size(), out_);
  std::fflush(out_);
}

}  // namespace leakproof::proxy
