// SARIF 2.1.0 for GitHub code scanning: rules in tool.driver.rules, one result per
// finding with a physical location on the outermost file (GitHub can only annotate
// files in the repository; the archive member path is in the message) and
// partialFingerprints so alerts stay stable across runs.
#include "report/report_json.h"

#include <map>

namespace leakproof::scanner {
namespace {

const char* SarifLevel(const Rule& r) {
  if (r.rule_class == RuleClass::kPublishable) return "note";
  if (r.rule_class == RuleClass::kConditional) return "warning";
  return r.severity >= Severity::kHigh ? "error" : "warning";
}

// GitHub maps security-severity (0-10) to critical/high/medium/low.
const char* SecuritySeverity(Severity s) {
  switch (s) {
    case Severity::kCritical:
      return "9.5";
    case Severity::kHigh:
      return "8.0";
    case Severity::kMedium:
      return "5.5";
    case Severity::kLow:
      return "3.0";
    case Severity::kInfo:
      return "1.0";
  }
  return "5.5";
}

}  // namespace

void WriteSarif(const ScanResult& r, const RuleSet& rules, const ReportOptions& o,
                std::ostream& out) {
  std::map<std::string, std::size_t> rule_index;
  nlohmann::json sarif_rules = nlohmann::json::array();
  for (const Finding& f : r.findings) {
    const Rule& rule = *f.rule;
    if (rule_index.count(rule.id) != 0) continue;
    rule_index[rule.id] = sarif_rules.size();
    const ProviderFacts facts = rules.EffectiveFacts(rule);
    std::string help =
        rule.advice.empty() ? "Remove the credential from the artifact." : rule.advice;
    if (!facts.rotate_url.empty()) help += " Rotate: " + facts.rotate_url;
    nlohmann::json jr = {
        {"id", rule.id},
        {"name", rule.name},
        {"shortDescription", {{"text", rule.name}}},
        {"fullDescription", {{"text", rule.name + " (" + RuleClassName(rule.rule_class) + ")"}}},
        {"help", {{"text", help}}},
        {"defaultConfiguration", {{"level", SarifLevel(rule)}}},
        {"properties",
         {{"tags", {"security", "secret", RuleClassName(rule.rule_class)}},
          {"security-severity", SecuritySeverity(rule.severity)}}},
    };
    if (!facts.docs_url.empty()) jr["helpUri"] = facts.docs_url;
    sarif_rules.push_back(std::move(jr));
  }
  nlohmann::json results = nlohmann::json::array();
  for (const Finding& f : r.findings) {
    const Rule& rule = *f.rule;
    std::string where = f.location.path;
    if (!f.location.detail.empty()) where += " (" + f.location.detail + ")";
    nlohmann::json phys = {
        {"artifactLocation",
         {{"uri",
           f.location.provenance.empty() ? f.location.path : f.location.provenance.front()}}}};
    // Lines only make sense when the finding is in the file itself, not in a member.
    if (f.location.line > 0 && f.location.provenance.size() <= 1) {
      phys["region"] = {{"startLine", f.location.line}, {"startColumn", f.location.column}};
    }
    results.push_back({
        {"ruleId", rule.id},
        {"ruleIndex", rule_index[rule.id]},
        {"level", SarifLevel(rule)},
        {"rank", ConfidenceRank(f.confidence)},
        {"message",
         {{"text", rule.name + " " + ShownSecret(f, o) + " in " + where +
                       (rule.advice.empty() ? "" : ". " + rule.advice)}}},
        {"locations", {{{"physicalLocation", phys}}}},
        {"partialFingerprints", {{"leakproof/v1", f.fingerprint}}},
    });
  }
  nlohmann::json doc = {
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs",
       {{{"tool",
          {{"driver",
            {{"name", "leakproof"},
             {"version", o.version},
             {"informationUri", "https://github.com/leakproof/leakproof"},
             {"rules", sarif_rules}}}}},
         {"results", results}}}},
  };
  out << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

}  // namespace leakproof::scanner
