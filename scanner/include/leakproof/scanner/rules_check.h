// Rule-pack quality checks shared by `leakproof rules check` and the test suite:
// ids unique (enforced at load), every rule compiles in Hyperscan (exactly or as a
// prefilter) and RE2, has >= 2 examples and >= 2 negative examples, every example
// produces a finding of its rule through the full engine (stage 1, stage 2, filters),
// stage 1 reports the rule wherever RE2 alone matches (never under-reports), and no
// negative example produces a finding of its rule.
#pragma once

#include "leakproof/scanner/engine.h"

#include <string>
#include <vector>

namespace leakproof::scanner {

struct RuleCheckIssue {
  std::string rule_id;
  std::string where;  // "rules/builtin/stripe.toml:12"
  std::string message;
  bool error = true;  // false: warning
};

struct RuleCheckReport {
  std::size_t rules = 0;
  std::size_t providers = 0;
  std::size_t examples = 0;
  std::size_t negative_examples = 0;
  std::vector<RuleCheckIssue> issues;
  std::size_t errors() const;
  std::size_t warnings() const;
};

RuleCheckReport CheckRules(const Engine& engine);

// Findings of the full pipeline (extractors included, placeholders suppressed) on an
// in-memory input: what `leakproof scan -` would report for these bytes.
std::vector<Finding> ScanBytesForTest(const Engine& engine, std::string_view bytes,
                                      const std::string& name = "example");

}  // namespace leakproof::scanner
