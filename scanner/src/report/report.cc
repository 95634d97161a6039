// Report dispatch, sorting, and the JSON/JSONL writers.
#include "report/report_json.h"

#include <algorithm>
#include <cctype>
#include <tuple>

namespace leakproof::scanner {

Result<ReportFormat> ParseReportFormat(std::string_view given) {
  std::string name(given);
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (name == "text") return ReportFormat::kText;
  if (name == "json") return ReportFormat::kJson;
  if (name == "jsonl") return ReportFormat::kJsonl;
  if (name == "sarif") return ReportFormat::kSarif;
  if (name == "junit") return ReportFormat::kJunit;
  if (name == "html") return ReportFormat::kHtml;
  return Status::InvalidArgument("unknown format '" + std::string(given) +
                                 "' (text, json, jsonl, sarif, junit, html)");
}

void SortResult(ScanResult& r) {
  // The commit breaks ties in a git scan: two versions of one file hold different keys
  // at the same offset.
  auto commit_of = [](const Finding& f) -> const std::string& {
    static const std::string kNone;
    return f.location.commit ? f.location.commit->id : kNone;
  };
  std::sort(r.findings.begin(), r.findings.end(), [&](const Finding& a, const Finding& b) {
    return std::tie(a.location.path, a.location.offset, a.rule->id, commit_of(a)) <
           std::tie(b.location.path, b.location.offset, b.rule->id, commit_of(b));
  });
  std::sort(r.diagnostics.begin(), r.diagnostics.end(),
            [](const Diagnostic& a, const Diagnostic& b) {
              return std::tie(a.location, a.message) < std::tie(b.location, b.message);
            });
}

std::string ShownSecret(const Finding& f, const ReportOptions& options) {
  return options.redact ? Redact(f.secret) : f.secret;
}

bool FailsRun(const Finding& f, const ReportOptions& options) {
  return options.fails ? options.fails(f) : EffectiveClass(f) == RuleClass::kSecret;
}

nlohmann::json VerificationJson(const Verification& v) {
  nlohmann::json j = {{"state", VerificationStateName(v.state)},
                      {"http_status", v.http_status},
                      {"identity", v.identity},
                      {"evidence", v.evidence}};
  if (v.settled_class) j["settled_class"] = RuleClassName(*v.settled_class);
  return j;
}

nlohmann::json FindingJson(const Finding& f, const RuleSet& rules, const ReportOptions& options) {
  const Rule& r = *f.rule;
  const ProviderFacts facts = rules.EffectiveFacts(r);
  const std::string shown = ShownSecret(f, options);
  nlohmann::json j = {
      {"rule_id", r.id},
      {"rule_name", r.name},
      {"provider", r.provider},
      {"provider_name", facts.name},
      {"class", RuleClassName(EffectiveClass(f))},
      {"severity", SeverityName(r.severity)},
      {"confidence", ConfidenceName(f.confidence)},
      {"secret", shown},
      {"secret_length", f.secret.size()},
      {"location",
       {{"path", f.location.path},
        {"provenance", f.location.provenance},
        {"detail", f.location.detail},
        {"line", f.location.line},
        {"column", f.location.column},
        {"offset", f.location.offset}}},
      {"fingerprint", f.fingerprint},
      {"secret_hash", f.secret_hash},
      {"entropy", static_cast<double>(static_cast<int>(f.entropy * 100)) / 100.0},
      {"snippet", f.snippet_before + shown + f.snippet_after},
      {"context_urls", f.context_urls},
      {"env_var", facts.env_var},
      {"advice", r.advice},
      {"rotate_url", facts.rotate_url},
      {"decides", r.decides},
  };
  if (f.location.commit) j["commit"] = CommitJson(*f.location.commit);
  // Omitted unless --verify checked it (the contract in docs/report-format.md).
  if (f.verification.state != Verification::State::kNotChecked) {
    j["verification"] = VerificationJson(f.verification);
  }
  return j;
}

nlohmann::json DiagnosticJson(const Diagnostic& d) {
  nlohmann::json j = {{"level", DiagnosticLevelName(d.level)},
                      {"code", StatusCodeName(d.code)},
                      {"location", d.location},
                      {"message", d.message},
                      {"count", d.count}};
  // An aggregated line (see scan/diagnostic_list.h): where the first few occurred.
  if (d.count > 1) j["examples"] = d.examples;
  return j;
}

nlohmann::json StatsJson(const ScanStats& s, std::size_t findings) {
  return {{"bytes", s.bytes},         {"scanned_bytes", s.scanned_bytes},
          {"files", s.files},         {"blobs", s.blobs},
          {"findings", findings},     {"suppressed", s.suppressed},
          {"baselined", s.baselined}, {"seconds", s.seconds}};
}

nlohmann::json JsonDocument(const ScanResult& r, const RuleSet& rules, const ReportOptions& o) {
  nlohmann::json doc;
  doc["version"] = 1;
  doc["tool"] = {{"name", "leakproof"}, {"version", o.version}};
  doc["secret_hash_key"] = r.secret_hash_key;
  doc["findings"] = nlohmann::json::array();
  for (const Finding& f : r.findings) doc["findings"].push_back(FindingJson(f, rules, o));
  doc["diagnostics"] = nlohmann::json::array();
  for (const Diagnostic& d : r.diagnostics) doc["diagnostics"].push_back(DiagnosticJson(d));
  doc["stats"] = StatsJson(r.stats, r.findings.size());
  AddCoverageJson(r, doc);
  AddGitJson(r, doc);
  return doc;
}

void WriteJson(const ScanResult& r, const RuleSet& rules, const ReportOptions& o,
               std::ostream& out) {
  // Invalid UTF-8 from binary inputs (snippets, member names) is replaced, not fatal.
  out << JsonDocument(r, rules, o).dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
      << '\n';
}

void WriteJsonl(const ScanResult& r, const RuleSet& rules, const ReportOptions& o,
                std::ostream& out) {
  for (const Finding& f : r.findings) {
    nlohmann::json j = FindingJson(f, rules, o);
    j["type"] = "finding";
    out << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  }
  for (const Diagnostic& d : r.diagnostics) {
    nlohmann::json j = DiagnosticJson(d);
    j["type"] = "diagnostic";
    out << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  }
  nlohmann::json s = StatsJson(r.stats, r.findings.size());
  s["type"] = "summary";
  AddCoverageJson(r, s);
  AddGitJson(r, s);
  s["secret_hash_key"] = r.secret_hash_key;
  out << s.dump() << '\n';
}

void WriteReport(ReportFormat format, const ScanResult& result, const RuleSet& rules,
                 const ReportOptions& options, std::ostream& out) {
  switch (format) {
    case ReportFormat::kText:
      WriteText(result, rules, options, out);
      return;
    case ReportFormat::kJson:
      WriteJson(result, rules, options, out);
      return;
    case ReportFormat::kJsonl:
      WriteJsonl(result, rules, options, out);
      return;
    case ReportFormat::kSarif:
      WriteSarif(result, rules, options, out);
      return;
    case ReportFormat::kJunit:
      WriteJunit(result, rules, options, out);
      return;
    case ReportFormat::kHtml:
      WriteHtmlReport(JsonDocument(result, rules, options)
                          .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                      out);
      return;
  }
}

}  // namespace leakproof::scanner
