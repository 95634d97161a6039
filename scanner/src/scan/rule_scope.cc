// Allowlist regexes and path scoping for (imported gitleaks) rules.
#include "scan/rule_scope.h"

#include <re2/re2.h>

namespace leakproof::scanner {
namespace {

std::vector<std::unique_ptr<re2::RE2>> CompileAll(const std::vector<std::string>& patterns) {
  std::vector<std::unique_ptr<re2::RE2>> out;
  re2::RE2::Options opts;
  opts.set_log_errors(false);
  for (const std::string& p : patterns) {
    auto re = std::make_unique<re2::RE2>(p, opts);
    if (re->ok()) out.push_back(std::move(re));  // CheckRuleScope rejected bad ones at load
  }
  return out;
}

bool AnyFinds(const std::vector<std::unique_ptr<re2::RE2>>& res, std::string_view text) {
  for (const auto& re : res) {
    if (re2::RE2::PartialMatch(text, *re)) return true;
  }
  return false;
}

// The innermost member name: "app.apk!assets/a.js" -> "assets/a.js". gitleaks paths are
// written for files in a repository, which inside an archive is the member path.
std::string_view Innermost(std::string_view path) {
  const std::size_t bang = path.rfind('!');
  return bang == std::string_view::npos ? path : path.substr(bang + 1);
}

}  // namespace

RuleScope::RuleScope() = default;
RuleScope::~RuleScope() = default;

const RuleScope::Compiled& RuleScope::For(const Rule& rule) {
  auto it = cache_.find(&rule);
  if (it != cache_.end()) return it->second;
  Compiled c;
  c.allow_regexes = CompileAll(rule.allow_regexes);
  c.paths = CompileAll(rule.paths);
  c.allow_paths = CompileAll(rule.allow_paths);
  return cache_.emplace(&rule, std::move(c)).first->second;
}

bool RuleScope::Reports(const Rule& rule, std::string_view secret, std::string_view path) {
  if (rule.allow_regexes.empty() && rule.paths.empty() && rule.allow_paths.empty()) return true;
  const Compiled& c = For(rule);
  if (AnyFinds(c.allow_regexes, secret)) return false;
  const std::string_view inner = Innermost(path);
  auto path_matches = [&](const std::vector<std::unique_ptr<re2::RE2>>& res) {
    return AnyFinds(res, path) || (inner.size() != path.size() && AnyFinds(res, inner));
  };
  if (!rule.paths.empty() && !path_matches(c.paths)) return false;
  return !path_matches(c.allow_paths);
}

Status CheckRuleScope(const Rule& rule) {
  re2::RE2::Options opts;
  opts.set_log_errors(false);
  for (const auto* list : {&rule.allow_regexes, &rule.paths, &rule.allow_paths}) {
    for (const std::string& p : *list) {
      re2::RE2 re(p, opts);
      if (!re.ok()) {
        return Status::InvalidArgument("pattern '" + p + "' does not compile: " + re.error());
      }
    }
  }
  return Status::Ok();
}

}  // namespace leakproof::scanner
