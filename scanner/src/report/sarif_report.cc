// SARIF 2.1.0 for GitHub code scanning: rules in tool.driver.rules, one result per
// finding with a physical location on the outermost file (GitHub can only annotate
// files in the repository; the archive member path is in the message and in
// logicalLocations, see sarif_location.h) and partialFingerprints (the per-location
// fingerprint, never the secret_hash) so alerts stay stable across runs. Valid against
// the official 2.1.0 schema (tests/sarif/validate.mjs checks every SARIF the suite writes).
#include "report/report_json.h"
#include "report/sarif_location.h"

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

// Tags are a set in SARIF (uniqueItems): "secret" once, the class only when it adds to it.
nlohmann::json RuleTags(const Rule& rule) {
  nlohmann::json tags = {"security", "secret"};
  const std::string cls = RuleClassName(rule.rule_class);
  if (cls != "security" && cls != "secret") tags.push_back(cls);
  return tags;
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
         {{"tags", RuleTags(rule)}, {"security-severity", SecuritySeverity(rule.severity)}}},
    };
    if (!facts.docs_url.empty()) jr["helpUri"] = facts.docs_url;
    sarif_rules.push_back(std::move(jr));
  }
  const std::string base_dir = o.base_dir.empty() ? CurrentDirectory() : o.base_dir;
  nlohmann::json results = nlohmann::json::array();
  for (const Finding& f : r.findings) {
    const Rule& rule = *f.rule;
    nlohmann::json properties = {{"class", RuleClassName(EffectiveClass(f))},
                                 {"provider", rule.provider}};
    std::string in_commit;
    if (const auto& c = f.location.commit) {
      properties["commit"] = c->id;
      properties["author"] = c->author + " <" + c->email + ">";
      properties["date"] = c->date;
      in_commit = " (" + CommitText(*c) + ")";
    }
    results.push_back({
        {"ruleId", rule.id},
        {"ruleIndex", rule_index[rule.id]},
        {"level", SarifLevel(rule)},
        {"rank", ConfidenceRank(f.confidence)},
        {"message",
         {{"text", rule.name + " " + ShownSecret(f, o) + " in " + WhereText(f.location) +
                       in_commit + (rule.advice.empty() ? "" : ". " + rule.advice)}}},
        {"locations", nlohmann::json::array({SarifLocation(f, base_dir)})},
        {"partialFingerprints", {{"leakproofLocation/v2", f.fingerprint}}},
        {"properties", std::move(properties)},
    });
    if (f.verification.state != Verification::State::kNotChecked) {
      results.back()["properties"]["verification"] = VerificationJson(f.verification);
    }
  }
  // No informationUri: the project has no public home page yet, and the schema wants an
  // absolute URI; docs/report-format.md is the reference for this output.
  nlohmann::json run = {
      {"tool",
       {{"driver", {{"name", "leakproof"}, {"version", o.version}, {"rules", sarif_rules}}}}},
      {"results", results},
  };
  // Coverage and diagnostics (invocations, properties.complete): one builder for all formats.
  AddCoverageSarif(r, run);
  AddGitSarif(r, run);
  if (!base_dir.empty() && base_dir.front() == '/') {
    run["originalUriBaseIds"] = {{kSrcRoot, {{"uri", FileDirectoryUri(base_dir)}}}};
  }
  nlohmann::json doc = {
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs", nlohmann::json::array({std::move(run)})},
  };
  out << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

}  // namespace leakproof::scanner
