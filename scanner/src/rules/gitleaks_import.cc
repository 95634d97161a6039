// Imports a gitleaks TOML configuration so teams keep their custom rules.
//
// Mapped: [[rules]] id, description, regex, secretGroup, entropy, keywords, and the
// rule's allowlist(s) (`regexes`, `stopwords`) plus the global [allowlist]. Rules that
// only match file paths (`path` without `regex`) have no meaning for byte content and
// are reported, not silently dropped. Imported rules are class "secret", severity
// "high", and carry no examples (gitleaks configs have none).
#include "leakproof/scanner/rule.h"

#include "rules/toml_parse.h"

#include <toml++/toml.h>

#include <string>

namespace leakproof::scanner {
namespace {

void ReadAllowlist(const toml::table& t, std::vector<std::string>& regexes,
                   std::vector<std::string>& stopwords) {
  if (const toml::array* a = t["regexes"].as_array()) {
    for (const auto& n : *a) {
      if (auto v = n.value<std::string>()) regexes.push_back(*v);
    }
  }
  if (const toml::array* a = t["stopwords"].as_array()) {
    for (const auto& n : *a) {
      if (auto v = n.value<std::string>()) stopwords.push_back(*v);
    }
  }
}

}  // namespace

Status RuleSet::AddGitleaksToml(std::string_view text, const std::string& source_name) {
  toml::table doc;
  if (Status s = ParseToml(text, source_name, doc); !s.ok()) return s;
  std::vector<std::string> global_regexes;
  std::vector<std::string> global_stopwords;
  if (const toml::table* g = doc["allowlist"].as_table()) {
    ReadAllowlist(*g, global_regexes, global_stopwords);
  }
  const toml::array* rules = doc["rules"].as_array();
  if (rules == nullptr)
    return Status::InvalidArgument(source_name + ": no [[rules]] in gitleaks config");
  std::vector<Rule> parsed;
  std::string skipped;
  for (const toml::node& n : *rules) {
    const toml::table* t = n.as_table();
    if (t == nullptr) continue;
    const int line = static_cast<int>(n.source().begin.line);
    auto id = (*t)["id"].value<std::string>();
    if (!id) {
      return Status::InvalidArgument(source_name + ":" + std::to_string(line) +
                                     ": rule without 'id'");
    }
    auto regex = (*t)["regex"].value<std::string>();
    if (!regex) {
      skipped += (skipped.empty() ? "" : ", ") + *id;
      continue;
    }
    Rule r;
    r.id = "gitleaks." + *id;
    r.name = (*t)["description"].value_or(*id);
    r.provider = "custom";
    r.rule_class = RuleClass::kSecret;
    r.severity = Severity::kHigh;
    r.regex = *regex;
    r.secret_group = static_cast<int>((*t)["secretGroup"].value_or(int64_t{-1}));
    r.min_entropy = (*t)["entropy"].value_or(0.0);
    if (const toml::array* kw = (*t)["keywords"].as_array()) {
      for (const auto& k : *kw) {
        if (auto v = k.value<std::string>()) r.keywords.push_back(*v);
      }
    }
    if (const toml::table* al = (*t)["allowlist"].as_table())
      ReadAllowlist(*al, r.allow_regexes, r.stopwords);
    if (const toml::array* als = (*t)["allowlists"].as_array()) {
      for (const auto& a : *als) {
        if (const toml::table* at = a.as_table()) ReadAllowlist(*at, r.allow_regexes, r.stopwords);
      }
    }
    r.allow_regexes.insert(r.allow_regexes.end(), global_regexes.begin(), global_regexes.end());
    r.stopwords.insert(r.stopwords.end(), global_stopwords.begin(), global_stopwords.end());
    r.source_file = source_name;
    r.source_line = line;
    r.user_rule = true;
    if (FindRule(r.id) != nullptr) {
      return Status::InvalidArgument(source_name + ":" + std::to_string(line) +
                                     ": duplicate rule id '" + *id + "'");
    }
    parsed.push_back(std::move(r));
  }
  if (!skipped.empty() && parsed.empty()) {
    return Status::Unsupported(source_name + ": only path-based rules, none usable: " + skipped);
  }
  for (Rule& r : parsed) rules_.push_back(std::move(r));
  if (!skipped.empty()) {
    // Reported to the caller as a non-fatal note through the Status message.
    return Status::Unsupported(
        source_name + ": path-only rules cannot match content and were not imported: " + skipped);
  }
  return Status::Ok();
}

}  // namespace leakproof::scanner
