// The coverage ("complete" or not) and baseline blocks every report format carries,
// built in one place from ScanResult::Completeness() so the formats cannot disagree.
#include "report/report_json.h"

namespace leakproof::scanner {
namespace {

std::string ReasonList(const Coverage& c) {
  std::string out;
  for (const auto& [code, count] : c.reasons) {
    out += (out.empty() ? "" : ", ") + code + " " + std::to_string(count);
  }
  return out;
}

const char* SarifNotificationLevel(DiagnosticLevel l) {
  switch (l) {
    case DiagnosticLevel::kInfo:
      return "note";
    case DiagnosticLevel::kWarning:
      return "warning";
    case DiagnosticLevel::kError:
      return "error";
  }
  return "warning";
}

}  // namespace

void AddCoverageJson(const ScanResult& r, nlohmann::json& doc) {
  const Coverage c = r.Completeness();
  doc["complete"] = c.complete;
  doc["incomplete"] = {{"reasons", c.reasons}};
  if (!r.baseline.used) return;
  nlohmann::json stale = nlohmann::json::array();
  for (const BaselineEntry& e : r.baseline.stale) {
    stale.push_back({{"fingerprint", e.fingerprint},
                     {"rule_id", e.rule_id},
                     {"path", e.path},
                     {"reason", e.reason}});
  }
  doc["baseline"] = {{"entries", r.baseline.entries},
                     {"matched", r.baseline.matched},
                     {"findings_hidden", r.stats.baselined},
                     {"stale", stale}};
}

void AddCoverageSarif(const ScanResult& r, nlohmann::json& run) {
  const Coverage c = r.Completeness();
  nlohmann::json notes = nlohmann::json::array();
  for (const Diagnostic& d : r.diagnostics) {
    notes.push_back({{"level", SarifNotificationLevel(d.level)},
                     {"message", {{"text", d.location + ": " + d.message}}},
                     {"descriptor", {{"id", StatusCodeName(d.code)}}}});
  }
  // executionSuccessful is false when something was not scanned: a clean SARIF from a
  // partial scan must not read as "no secrets here".
  run["invocations"] = {
      {{"executionSuccessful", c.complete}, {"toolExecutionNotifications", notes}}};
  nlohmann::json props = {{"complete", c.complete}, {"incomplete", {{"reasons", c.reasons}}}};
  run["properties"] = props;
}

std::string CoverageSentence(const ScanResult& r) {
  const Coverage c = r.Completeness();
  if (c.complete) return "";
  return "INCOMPLETE: " + std::to_string(c.lost) + " input" + (c.lost == 1 ? "" : "s") +
         " or parts not fully scanned (" + ReasonList(c) + "); see the diagnostics";
}

std::string BaselineSentence(const ScanResult& r) {
  if (!r.baseline.used) return "";
  std::string s = "baseline: " + std::to_string(r.stats.baselined) + " finding" +
                  (r.stats.baselined == 1 ? "" : "s") + " hidden by " +
                  std::to_string(r.baseline.matched) + " of " + std::to_string(r.baseline.entries) +
                  " entries";
  if (!r.baseline.stale.empty()) {
    s += "; " + std::to_string(r.baseline.stale.size()) + " stale (matched nothing this run)";
  }
  return s;
}

}  // namespace leakproof::scanner
