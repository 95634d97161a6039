// Parses provider rule files (rules/README.md) with toml++ into a RuleSet.
//
// Errors name the file, the line and the rule id, and unknown keys are errors: a typo
// such as `negative_example` would otherwise silently disable a test of the rule.
#include "leakproof/scanner/rule.h"

#include "rules/toml_parse.h"

#include <toml++/toml.h>

#include <set>
#include <string>

namespace leakproof::scanner {
namespace {

std::string Where(const std::string& file, const toml::node& node) {
  return file + ":" + std::to_string(node.source().begin.line);
}

class TableReader {
 public:
  TableReader(const toml::table& table, std::string file, std::string what)
      : table_(table), file_(std::move(file)), what_(std::move(what)) {}

  Status String(const char* key, std::string& out, bool required) {
    seen_.insert(key);
    const toml::node* n = table_.get(key);
    if (n == nullptr) {
      return required ? Error(table_, std::string("missing required key '") + key + "'")
                      : Status::Ok();
    }
    auto v = n->value<std::string>();
    if (!v) return Error(*n, std::string("'") + key + "' must be a string");
    out = *v;
    return Status::Ok();
  }

  Status Int(const char* key, int& out) {
    seen_.insert(key);
    const toml::node* n = table_.get(key);
    if (n == nullptr) return Status::Ok();
    auto v = n->value<int64_t>();
    if (!v || *v < 0 || *v > 99) return Error(*n, std::string("'") + key + "' must be 0..99");
    out = static_cast<int>(*v);
    return Status::Ok();
  }

  Status Bool(const char* key, bool& out) {
    seen_.insert(key);
    const toml::node* n = table_.get(key);
    if (n == nullptr) return Status::Ok();
    auto v = n->value<bool>();
    if (!v) return Error(*n, std::string("'") + key + "' must be true or false");
    out = *v;
    return Status::Ok();
  }

  Status Double(const char* key, double& out) {
    seen_.insert(key);
    const toml::node* n = table_.get(key);
    if (n == nullptr) return Status::Ok();
    auto v = n->value<double>();
    if (!v || *v < 0 || *v > 8) return Error(*n, std::string("'") + key + "' must be 0..8");
    out = *v;
    return Status::Ok();
  }

  Status Strings(const char* key, std::vector<std::string>& out) {
    seen_.insert(key);
    const toml::node* n = table_.get(key);
    if (n == nullptr) return Status::Ok();
    const toml::array* arr = n->as_array();
    if (arr == nullptr) return Error(*n, std::string("'") + key + "' must be an array of strings");
    for (const toml::node& item : *arr) {
      auto v = item.value<std::string>();
      if (!v) return Error(item, std::string("'") + key + "' must contain only strings");
      out.push_back(*v);
    }
    return Status::Ok();
  }

  Status StringMap(const char* key, std::map<std::string, std::string>& out) {
    seen_.insert(key);
    const toml::node* n = table_.get(key);
    if (n == nullptr) return Status::Ok();
    const toml::table* t = n->as_table();
    if (t == nullptr) return Error(*n, std::string("'") + key + "' must be a table of strings");
    for (const auto& [k, v] : *t) {
      auto s = v.value<std::string>();
      if (!s)
        return Error(v, std::string("'") + key + "." + std::string(k.str()) + "' must be a string");
      out[std::string(k.str())] = *s;
    }
    return Status::Ok();
  }

  const toml::table* SubTable(const char* key) {
    seen_.insert(key);
    const toml::node* n = table_.get(key);
    return n == nullptr ? nullptr : n->as_table();
  }

  // Every key must have been read by one of the accessors above.
  Status NoUnknownKeys() {
    for (const auto& [k, v] : table_) {
      if (seen_.count(std::string(k.str())) == 0) {
        return Error(v, "unknown key '" + std::string(k.str()) + "'");
      }
    }
    return Status::Ok();
  }

  Status Error(const toml::node& at, const std::string& message) const {
    return Status::InvalidArgument(Where(file_, at) + ": " + what_ + ": " + message);
  }

 private:
  const toml::table& table_;
  std::string file_;
  std::string what_;
  std::set<std::string> seen_;
};

Status ReadProvider(const toml::table& t, const std::string& file, ProviderFacts& p) {
  TableReader r(t, file, "[provider]");
  Status s;
  if (!(s = r.String("id", p.id, true)).ok()) return s;
  if (!(s = r.String("name", p.name, true)).ok()) return s;
  if (!(s = r.String("base_url", p.base_url, false)).ok()) return s;
  if (!(s = r.String("auth", p.auth, false)).ok()) return s;
  if (!(s = r.String("basic_role", p.basic_role, false)).ok()) return s;
  if (!(s = r.String("basic_username", p.basic_username, false)).ok()) return s;
  if (!(s = r.String("auth_prefix", p.auth_prefix, false)).ok()) return s;
  if (!(s = r.String("env_var", p.env_var, false)).ok()) return s;
  if (!(s = r.String("rotate_url", p.rotate_url, false)).ok()) return s;
  if (!(s = r.String("docs_url", p.docs_url, false)).ok()) return s;
  if (!(s = r.StringMap("extra_headers", p.extra_headers)).ok()) return s;
  if (const toml::table* live = r.SubTable("liveness")) {
    TableReader lr(*live, file, "[provider.liveness]");
    if (!(s = lr.String("method", p.liveness_method, true)).ok()) return s;
    if (!(s = lr.String("path", p.liveness_path, true)).ok()) return s;
    if (!(s = lr.NoUnknownKeys()).ok()) return s;
  }
  p.source_file = file;
  return r.NoUnknownKeys();
}

Status ReadRule(const toml::table& t, const std::string& file, bool user_rules, Rule& rule) {
  rule.source_file = file;
  rule.source_line = static_cast<int>(t.source().begin.line);
  rule.user_rule = user_rules;
  {
    // Read the id first so every later message can name the rule.
    auto id = t["id"].value<std::string>();
    if (!id || id->empty()) {
      return Status::InvalidArgument(Where(file, t) + ": rule without a string 'id'");
    }
    rule.id = *id;
  }
  TableReader r(t, file, "rule '" + rule.id + "'");
  Status s;
  std::string ignored_id;
  std::string cls = "secret";
  std::string sev = "high";
  if (!(s = r.String("id", ignored_id, true)).ok()) return s;
  if (!(s = r.String("name", rule.name, !user_rules)).ok()) return s;
  if (!(s = r.String("provider", rule.provider, false)).ok()) return s;
  if (!(s = r.String("class", cls, !user_rules)).ok()) return s;
  if (!(s = r.String("severity", sev, !user_rules)).ok()) return s;
  if (!(s = r.String("regex", rule.regex, true)).ok()) return s;
  if (!(s = r.Int("secret_group", rule.secret_group)).ok()) return s;
  if (!(s = r.Strings("keywords", rule.keywords)).ok()) return s;
  if (!(s = r.Double("min_entropy", rule.min_entropy)).ok()) return s;
  if (!(s = r.Int("min_digits", rule.min_digits)).ok()) return s;
  if (!(s = r.Bool("fallback", rule.fallback)).ok()) return s;
  if (!(s = r.Strings("examples", rule.examples)).ok()) return s;
  if (!(s = r.Strings("negative_examples", rule.negative_examples)).ok()) return s;
  if (!(s = r.String("advice", rule.advice, false)).ok()) return s;
  if (!(s = r.String("decides", rule.decides, false)).ok()) return s;
  if (!(s = r.String("pair", rule.pair, false)).ok()) return s;
  if (!(s = r.String("env_var", rule.env_var, false)).ok()) return s;
  if (!(s = r.String("auth", rule.auth, false)).ok()) return s;
  if (!(s = r.String("base_url", rule.base_url, false)).ok()) return s;
  if (!(s = r.NoUnknownKeys()).ok()) return s;
  auto c = ParseRuleClass(cls);
  if (!c.ok()) return r.Error(t, c.status().message());
  rule.rule_class = *c;
  auto v = ParseSeverity(sev);
  if (!v.ok()) return r.Error(t, v.status().message());
  rule.severity = *v;
  if (rule.name.empty()) rule.name = rule.id;
  if (rule.regex.empty()) return r.Error(t, "empty 'regex'");
  return Status::Ok();
}

}  // namespace

Status RuleSet::AddToml(std::string_view text, const std::string& source_name, bool user_rules) {
  toml::table doc;
  if (Status s = ParseToml(text, source_name, doc); !s.ok()) return s;
  ProviderFacts provider;
  bool has_provider = false;
  for (const auto& [key, node] : doc) {
    if (key == "provider" || key == "rules") continue;
    return Status::InvalidArgument(Where(source_name, node) + ": unknown top-level key '" +
                                   std::string(key.str()) + "'");
  }
  if (const toml::table* pt = doc["provider"].as_table()) {
    Status s = ReadProvider(*pt, source_name, provider);
    if (!s.ok()) return s;
    has_provider = true;
  } else if (!user_rules) {
    return Status::InvalidArgument(source_name + ": missing [provider] table");
  }
  const toml::array* rules = doc["rules"].as_array();
  if (rules == nullptr || rules->empty()) {
    return Status::InvalidArgument(source_name + ": no [[rules]]");
  }
  std::vector<Rule> parsed;
  for (const toml::node& n : *rules) {
    const toml::table* rt = n.as_table();
    if (rt == nullptr)
      return Status::InvalidArgument(Where(source_name, n) + ": rules must be tables");
    Rule rule;
    Status s = ReadRule(*rt, source_name, user_rules, rule);
    if (!s.ok()) return s;
    if (rule.provider.empty()) rule.provider = has_provider ? provider.id : "custom";
    if (has_provider && rule.provider != provider.id) {
      return Status::InvalidArgument(Where(source_name, n) + ": rule '" + rule.id +
                                     "' names provider '" + rule.provider + "' but the file is '" +
                                     provider.id + "'");
    }
    for (const Rule& other : parsed) {
      if (other.id == rule.id) {
        return Status::InvalidArgument(Where(source_name, n) + ": duplicate rule id '" + rule.id +
                                       "'");
      }
    }
    if (FindRule(rule.id) != nullptr) {
      return Status::InvalidArgument(Where(source_name, n) + ": duplicate rule id '" + rule.id +
                                     "' (also in " + FindRule(rule.id)->source_file + ")");
    }
    parsed.push_back(std::move(rule));
  }
  if (has_provider) AddProvider(std::move(provider));
  for (Rule& r : parsed) rules_.push_back(std::move(r));
  return Status::Ok();
}

}  // namespace leakproof::scanner
