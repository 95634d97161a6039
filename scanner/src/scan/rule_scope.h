// RuleScope: a rule's allowlist regexes and path scoping (Rule::allow_regexes, paths,
// allow_paths, from gitleaks configs), applied to confirmed matches.
//
// Thread-safety: one per BlobScanner (worker); patterns are compiled on first use and
// cached per rule, so rules without these fields cost one branch.
#pragma once

#include "leakproof/scanner/rule.h"

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace re2 {
class RE2;
}

namespace leakproof::scanner {

class RuleScope {
 public:
  RuleScope();
  ~RuleScope();
  RuleScope(const RuleScope&) = delete;
  RuleScope& operator=(const RuleScope&) = delete;

  // False when `rule` says this secret at `path` ("app.apk!assets/a.js") is not to be
  // reported: an allowlist regex matches the secret, the path is allowlisted, or the
  // rule is scoped to paths that do not match.
  bool Reports(const Rule& rule, std::string_view secret, std::string_view path);

 private:
  struct Compiled {
    std::vector<std::unique_ptr<re2::RE2>> allow_regexes, paths, allow_paths;
  };
  const Compiled& For(const Rule& rule);
  std::unordered_map<const Rule*, Compiled> cache_;
};

// Checks that every scoping pattern of `rule` compiles; the message names the pattern.
Status CheckRuleScope(const Rule& rule);

}  // namespace leakproof::scanner
