// RuleSet bookkeeping and the names of classes and severities.
#include "leakproof/rules/builtin.h"
#include "leakproof/scanner/rule.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

namespace leakproof::scanner {

const char* RuleClassName(RuleClass c) {
  switch (c) {
    case RuleClass::kSecret:
      return "secret";
    case RuleClass::kConditional:
      return "conditional";
    case RuleClass::kPublishable:
      return "publishable";
  }
  return "secret";
}

const char* SeverityName(Severity s) {
  switch (s) {
    case Severity::kInfo:
      return "info";
    case Severity::kLow:
      return "low";
    case Severity::kMedium:
      return "medium";
    case Severity::kHigh:
      return "high";
    case Severity::kCritical:
      return "critical";
  }
  return "high";
}

Result<RuleClass> ParseRuleClass(std::string_view s) {
  if (s == "secret") return RuleClass::kSecret;
  if (s == "conditional") return RuleClass::kConditional;
  if (s == "publishable") return RuleClass::kPublishable;
  return Status::InvalidArgument("class must be secret, conditional or publishable, not '" +
                                 std::string(s) + "'");
}

Result<Severity> ParseSeverity(std::string_view s) {
  if (s == "info") return Severity::kInfo;
  if (s == "low") return Severity::kLow;
  if (s == "medium") return Severity::kMedium;
  if (s == "high") return Severity::kHigh;
  if (s == "critical") return Severity::kCritical;
  return Status::InvalidArgument("severity must be info, low, medium, high or critical, not '" +
                                 std::string(s) + "'");
}

const ProviderFacts* RuleSet::FindProvider(std::string_view id) const {
  auto it = providers_.find(std::string(id));
  return it == providers_.end() ? nullptr : &it->second;
}

const Rule* RuleSet::FindRule(std::string_view id) const {
  for (const Rule& r : rules_) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

Status RuleSet::Add(Rule rule) {
  if (FindRule(rule.id) != nullptr) {
    return Status::InvalidArgument(rule.source_file + ":" + std::to_string(rule.source_line) +
                                   ": duplicate rule id '" + rule.id + "'");
  }
  rules_.push_back(std::move(rule));
  return Status::Ok();
}

void RuleSet::AddProvider(ProviderFacts facts) {
  std::string id = facts.id;
  providers_[id] = std::move(facts);
}

ProviderFacts RuleSet::EffectiveFacts(const Rule& rule) const {
  ProviderFacts f;
  if (const ProviderFacts* p = FindProvider(rule.provider)) f = *p;
  if (f.id.empty()) f.id = rule.provider;
  if (f.name.empty()) f.name = rule.provider;
  if (!rule.env_var.empty()) f.env_var = rule.env_var;
  if (!rule.auth.empty()) f.auth = rule.auth;
  if (!rule.base_url.empty()) f.base_url = rule.base_url;
  return f;
}

Status RuleSet::AddFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError("cannot read rules file '" + path + "'");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  // A gitleaks config has [[rules]] with `regex` and camelCase keys like secretGroup, or
  // a top-level [allowlist]/[extend]; ours has a [provider] table or `class` per rule.
  const bool looks_gitleaks =
      text.find("[provider]") == std::string::npos &&
      (text.find("secretGroup") != std::string::npos ||
       text.find("[extend]") != std::string::npos ||
       (text.find("[[rules]]") != std::string::npos && text.find("class") == std::string::npos));
  if (looks_gitleaks) return AddGitleaksToml(text, path);
  return AddToml(text, path, /*user_rules=*/true);
}

// toml++ parses the ~660 KB pack at ~25 MB/s: on one core that was half of the start-up of
// a small scan (what a pre-commit hook pays on every commit). The files are independent,
// so contiguous runs of them are parsed on a few threads and merged in file order: the
// same rules, providers and first error as adding them one by one.
Result<RuleSet> LoadBuiltinRules() {
  const auto files = rules::BuiltinRuleFiles();
  const std::size_t workers = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1,
                                                      std::min<std::size_t>(8, files.size() + 1));
  std::vector<RuleSet> parts(workers);
  std::vector<Status> errors(workers, Status::Ok());
  auto parse = [&](std::size_t w) {
    const std::size_t begin = files.size() * w / workers;
    const std::size_t end = files.size() * (w + 1) / workers;
    for (std::size_t i = begin; i < end; ++i) {
      errors[w] = parts[w].AddToml(files[i].text, std::string(files[i].path), /*user_rules=*/false);
      if (!errors[w].ok()) return;
    }
  };
  std::vector<std::thread> threads;
  for (std::size_t w = 1; w < workers; ++w) threads.emplace_back(parse, w);
  parse(0);
  for (std::thread& t : threads) t.join();

  RuleSet set;
  for (std::size_t w = 0; w < workers; ++w) {
    if (!errors[w].ok()) return errors[w];
    for (const auto& [id, facts] : parts[w].providers()) set.AddProvider(facts);
    for (const Rule& r : parts[w].rules()) {
      if (Status s = set.Add(r); !s.ok()) return s;
    }
  }
  return set;
}

}  // namespace leakproof::scanner
