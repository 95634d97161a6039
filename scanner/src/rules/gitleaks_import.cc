// Imports a gitleaks TOML configuration so teams keep their custom rules.
//
// Mapped: [[rules]] id, description, regex, secretGroup, entropy, keywords, path (the
// rule then reports only in matching paths), and the rule's allowlist(s) (`regexes`,
// `stopwords`, `paths`) plus the global [allowlist]/[[allowlists]]. Path regexes are
// matched against the finding's location (see scan/rule_scope.h). Rules that only
// match file paths (`path` without `regex`) have no meaning for byte content, and
// allowlist options we cannot honour (`condition = "AND"`, `regexTarget`, `commits`)
// are reported, not silently dropped. Imported rules are class "secret", severity
// "high", and carry no examples (gitleaks configs have none).
#include "leakproof/scanner/rule.h"

#include "rules/toml_parse.h"
#include "scan/rule_scope.h"

#include <toml++/toml.h>

#include <string>

namespace leakproof::scanner {
namespace {

struct Allowlist {
  std::vector<std::string> regexes;
  std::vector<std::string> stopwords;
  std::vector<std::string> paths;
};

void ReadStrings(const toml::table& t, const char* key, std::vector<std::string>& out) {
  if (const toml::array* a = t[key].as_array()) {
    for (const auto& n : *a) {
      if (auto v = n.value<std::string>()) out.push_back(*v);
    }
  }
}

// Adds one allowlist table to `into`; what cannot be honoured goes to `unsupported`.
void ReadAllowlist(const toml::table& t, const std::string& where, Allowlist& into,
                   std::vector<std::string>& unsupported) {
  ReadStrings(t, "regexes", into.regexes);
  ReadStrings(t, "stopwords", into.stopwords);
  ReadStrings(t, "paths", into.paths);
  if (auto cond = t["condition"].value<std::string>(); cond && *cond == "AND") {
    unsupported.push_back(where + ": allowlist condition = \"AND\" (applied as OR)");
  }
  if (auto target = t["regexTarget"].value<std::string>(); target && *target != "secret") {
    unsupported.push_back(where + ": allowlist regexTarget = \"" + *target +
                          "\" (regexes are matched against the secret)");
  }
  if (t.contains("commits")) unsupported.push_back(where + ": allowlist commits (no git history)");
}

void Append(std::vector<std::string>& to, const std::vector<std::string>& from) {
  to.insert(to.end(), from.begin(), from.end());
}

}  // namespace

Status RuleSet::AddGitleaksToml(std::string_view text, const std::string& source_name) {
  toml::table doc;
  if (Status s = ParseToml(text, source_name, doc); !s.ok()) return s;
  std::vector<std::string> unsupported;
  Allowlist global;
  if (const toml::table* g = doc["allowlist"].as_table()) {
    ReadAllowlist(*g, "[allowlist]", global, unsupported);
  }
  if (const toml::array* gs = doc["allowlists"].as_array()) {
    for (const auto& a : *gs) {
      if (const toml::table* at = a.as_table()) {
        ReadAllowlist(*at, "[[allowlists]]", global, unsupported);
      }
    }
  }
  const toml::array* rules = doc["rules"].as_array();
  if (rules == nullptr)
    return Status::InvalidArgument(source_name + ": no [[rules]] in gitleaks config");
  // Our own schema read as gitleaks would lose class, severity and examples silently.
  bool ours = doc.contains("provider");
  for (const toml::node& n : *rules) {
    if (const toml::table* t = n.as_table()) ours = ours || t->contains("class");
  }
  if (ours) {
    return Status::InvalidArgument(source_name +
                                   ": this is a leakproof rules file ([provider], 'class'), not a "
                                   "gitleaks config: pass it with --rules");
  }
  std::vector<Rule> parsed;
  std::string skipped;
  for (const toml::node& n : *rules) {
    const toml::table* t = n.as_table();
    if (t == nullptr) continue;
    const int line = static_cast<int>(n.source().begin.line);
    const std::string where = source_name + ":" + std::to_string(line);
    auto id = (*t)["id"].value<std::string>();
    if (!id) return Status::InvalidArgument(where + ": rule without 'id'");
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
    ReadStrings(*t, "keywords", r.keywords);
    if (auto path = (*t)["path"].value<std::string>()) r.paths.push_back(*path);
    Allowlist own;
    if (const toml::table* al = (*t)["allowlist"].as_table()) {
      ReadAllowlist(*al, where + " rule " + *id, own, unsupported);
    }
    if (const toml::array* als = (*t)["allowlists"].as_array()) {
      for (const auto& a : *als) {
        if (const toml::table* at = a.as_table()) {
          ReadAllowlist(*at, where + " rule " + *id, own, unsupported);
        }
      }
    }
    for (const Allowlist* al : {&own, &global}) {
      Append(r.allow_regexes, al->regexes);
      Append(r.stopwords, al->stopwords);
      Append(r.allow_paths, al->paths);
    }
    r.source_file = source_name;
    r.source_line = line;
    r.user_rule = true;
    r.from_gitleaks = true;
    if (Status s = CheckRuleScope(r); !s.ok()) {
      return Status::InvalidArgument(where + ": rule '" + *id + "': " + s.message());
    }
    if (FindRule(r.id) != nullptr) {
      return Status::InvalidArgument(where + ": duplicate rule id '" + *id + "'");
    }
    parsed.push_back(std::move(r));
  }
  if (!skipped.empty() && parsed.empty()) {
    return Status::Unsupported(source_name + ": only path-based rules, none usable: " + skipped);
  }
  for (Rule& r : parsed) rules_.push_back(std::move(r));
  // Reported to the caller as a non-fatal warning through the Status message.
  std::string notes;
  if (!skipped.empty()) {
    notes = "path-only rules cannot match content and were not imported: " + skipped;
  }
  for (const std::string& u : unsupported) notes += (notes.empty() ? "" : "; ") + u;
  if (!notes.empty()) return Status::Unsupported(source_name + ": " + notes);
  return Status::Ok();
}

}  // namespace leakproof::scanner
