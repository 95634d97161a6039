// Audit lines are assembled by hand on the data path (FormatAuditLine): each must be
// exactly one line of valid JSON with the documented fields, whatever bytes a client put
// in the path, and identical to what a JSON library would write for ordinary records.
#include "leakproof/proxy/audit_log.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>

namespace leakproof::testing {
namespace {

proxy::AuditRecord Ordinary() {
  proxy::AuditRecord r;
  r.route = "openai";
  r.method = "POST";
  r.path = "/api/openai/chat/completions?limit";
  r.status = 200;
  r.upstream_status = 200;
  r.latency_ms = 4.1079;
  r.bytes_in = 123;
  r.bytes_out = 45678;
  r.session = "63ede8ec811e917d";
  r.client_ip = "127.0.0.1";
  return r;
}

// The line as the previous nlohmann::json-based writer produced it.
std::string Reference(const proxy::AuditRecord& r, const std::string& ts) {
  nlohmann::json j = {
      {"ts", ts},
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
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace

TEST_CASE("audit line: same bytes as a JSON library for ordinary records", "[audit]") {
  const std::string ts = "2026-11-29T18:55:21.282Z";
  proxy::AuditRecord r = Ordinary();
  CHECK(proxy::FormatAuditLine(r, ts) == Reference(r, ts));
  for (double ms : {0.0, 0.08, 0.1, 1.0, 12.0, 12.5, 999.999, 60000.0}) {
    INFO(ms);
    r.latency_ms = ms;
    CHECK(proxy::FormatAuditLine(r, ts) == Reference(r, ts));
  }
  r.reason = "rate-limit:session";
  r.status = 429;
  r.upstream_status = 0;
  CHECK(proxy::FormatAuditLine(r, ts) == Reference(r, ts));
}

TEST_CASE("audit line: hostile bytes in the path stay inside one valid JSON line", "[audit]") {
  proxy::AuditRecord r = Ordinary();
  r.path = std::string("/api/x/a\r\n{\"forged\":true}\"\\\t\x01\x7f/caf\xc3\xa9/\xff\xfe", 39);
  const std::string line = proxy::FormatAuditLine(r, "2026-11-29T18:55:21.282Z");
  REQUIRE(!line.empty());
  CHECK(line.back() == '\n');
  CHECK(line.find('\n') == line.size() - 1);
  CHECK(line.find('\r') == std::string::npos);
  auto j = nlohmann::json::parse(line);
  CHECK(!j.contains("forged"));
  const std::string path = j["path"];
  CHECK(path.find("\r\n{\"forged\":true}\"\\\t\x01") != std::string::npos);
  CHECK(path.find("caf\xc3\xa9") != std::string::npos);   // valid UTF-8 kept as is
  CHECK(path.find("\xef\xbf\xbd") != std::string::npos);  // invalid bytes -> U+FFFD
  CHECK(line == Reference(r, "2026-11-29T18:55:21.282Z"));
}

}  // namespace leakproof::testing
