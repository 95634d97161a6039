// The rule-pack checks behind `leakproof rules check` (see rules_check.h).
#include "leakproof/scanner/rules_check.h"

#include "scan/blob_scanner.h"

#include <algorithm>
#include <set>
#include <unordered_set>

namespace leakproof::scanner {

std::size_t RuleCheckReport::errors() const {
  return static_cast<std::size_t>(
      std::count_if(issues.begin(), issues.end(), [](const RuleCheckIssue& i) { return i.error; }));
}
std::size_t RuleCheckReport::warnings() const { return issues.size() - errors(); }

std::vector<Finding> ScanBytesForTest(const Engine& engine, std::string_view bytes,
                                      const std::string& name) {
  ScanOptions options;
  BlobScanner scanner(engine, options);
  FileResult out;
  scanner.ScanTopLevel(Blob::FromView(bytes, nullptr, Provenance(name)), out);
  return std::move(out.findings);
}

RuleCheckReport CheckRules(const Engine& engine) {
  RuleCheckReport report;
  const auto& rules = engine.rules().rules();
  report.rules = rules.size();
  std::set<std::string> providers;
  auto scratch = engine.NewScratch();
  if (Status st = engine.CompileAll(); !st.ok()) {
    report.issues.push_back({"", "", st.message(), true});
  }
  for (const auto& p : engine.problems()) {
    if (p.unusable) {
      const Rule* r = engine.rules().FindRule(p.rule_id);
      report.issues.push_back(
          {p.rule_id, r ? r->source_file : "", "regex unusable: " + p.message, true});
    } else if (!p.prefilter) {
      const Rule* r = engine.rules().FindRule(p.rule_id);
      report.issues.push_back({p.rule_id,
                               r ? r->source_file + ":" + std::to_string(r->source_line) : "",
                               "Hyperscan cannot compile this regex even as a prefilter (" +
                                   p.message + "); RE2 scans whole blobs for it, which is slow",
                               !r || !r->user_rule});
    }
  }
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const Rule& r = rules[i];
    providers.insert(r.provider);
    const std::string where = r.source_file + ":" + std::to_string(r.source_line);
    auto issue = [&](std::string msg, bool error = true) {
      report.issues.push_back({r.id, where, std::move(msg), error});
    };
    // The schema asks every rule for examples, --rules files included: a rule nobody
    // showed a match for is untested. gitleaks configs have none, so there it warns.
    const bool examples_required = !r.from_gitleaks;
    if (r.examples.size() < 2) issue("needs at least 2 examples", examples_required);
    if (r.negative_examples.size() < 2) {
      issue("needs at least 2 negative_examples", examples_required);
    }
    if (!r.user_rule) {
      if (r.advice.empty()) issue("no advice (the one-line fix hint)", false);
      if (r.rule_class == RuleClass::kConditional && r.decides.empty()) {
        issue("conditional rule without 'decides'");
      }
      if (!r.pair.empty() && engine.rules().FindRule(r.pair) == nullptr) {
        issue("pair '" + r.pair + "' is not a rule id");
      }
    }
    for (const std::string& ex : r.examples) {
      ++report.examples;
      const auto findings = ScanBytesForTest(engine, ex);
      const bool found = std::any_of(findings.begin(), findings.end(),
                                     [&](const Finding& f) { return f.rule == &r; });
      if (!found) issue("example not found by the engine: " + ex.substr(0, 120));
      // Stage 1 must report the rule wherever RE2 alone matches.
      if (!engine.MatchWithRe2Only(ex, i).empty()) {
        std::vector<std::size_t> hit_rules;
        Status st = engine.Stage1Rules(ex, *scratch, hit_rules);
        if (!st.ok() || !std::binary_search(hit_rules.begin(), hit_rules.end(), i)) {
          issue("stage 1 (Hyperscan) misses a match RE2 finds: " + ex.substr(0, 120));
        }
      }
    }
    for (const std::string& neg : r.negative_examples) {
      ++report.negative_examples;
      const auto findings = ScanBytesForTest(engine, neg);
      if (std::any_of(findings.begin(), findings.end(),
                      [&](const Finding& f) { return f.rule == &r; })) {
        issue("negative example produces a finding: " + neg.substr(0, 120));
      }
    }
  }
  report.providers = providers.size();
  return report;
}

}  // namespace leakproof::scanner
