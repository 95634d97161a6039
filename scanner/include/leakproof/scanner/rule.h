// Rule, ProviderFacts, RuleSet: the detection rules and the provider facts the BFF
// generator and the proxy need, loaded from TOML (rules/README.md is the schema).
//
// One source of truth: a provider file under rules/builtin/ holds both the rules that
// find a provider's keys and how that provider takes its credential upstream.
//
// Thread-safety: a loaded RuleSet is immutable and shared read-only.
#pragma once

#include "leakproof/scanner/status.h"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace leakproof::scanner {

// What a finding means for the app that ships it.
enum class RuleClass {
  kSecret,       // must move server-side; fails the build
  kConditional,  // same shape for public and secret variants; `decides` says how to tell
  kPublishable,  // designed to ship in a client; reported as info with advice
};

enum class Severity { kInfo = 0, kLow, kMedium, kHigh, kCritical };

const char* RuleClassName(RuleClass c);
const char* SeverityName(Severity s);
Result<RuleClass> ParseRuleClass(std::string_view s);
Result<Severity> ParseSeverity(std::string_view s);

// How a provider API expects the credential, for stubs and the proxy.
struct ProviderFacts {
  std::string id;        // "stripe" (file name stem)
  std::string name;      // "Stripe"
  std::string base_url;  // "https://api.stripe.com"
  // "bearer" | "basic" | "header:<Name>" | "query:<name>" | "path" | "sigv4" |
  // "body" | "url" (the secret is the whole URL: webhooks) | "none"
  std::string auth;
  // For auth = "basic": which role the key plays: "username" (password empty or
  // basic_password) or "password" (username = basic_username, e.g. Mailgun's "api").
  std::string basic_role;
  std::string basic_username;
  // Value prefix for header/bearer schemes that are not "Bearer" ("Bot ", "SSWS ").
  std::string auth_prefix;
  std::string env_var;                               // "STRIPE_SECRET_KEY"
  std::map<std::string, std::string> extra_headers;  // {"anthropic-version": "2023-06-01"}
  std::string rotate_url;                            // where to revoke/rotate a leaked key
  std::string docs_url;                              // auth documentation
  std::string liveness_method;                       // read-only check: "GET"
  std::string liveness_path;                         // "/v1/balance"
  std::string source_file;
};

struct Rule {
  std::string id;        // stable, "<provider>.<kind>": "stripe.secret-key"
  std::string name;      // "Stripe secret key"
  std::string provider;  // ProviderFacts::id
  RuleClass rule_class = RuleClass::kSecret;
  Severity severity = Severity::kHigh;
  std::string regex;      // common subset of RE2 and Hyperscan syntax
  int secret_group = -1;  // capture group holding the secret; -1: 1 if the regex has groups, else 0
  std::vector<std::string> keywords;  // informational / gitleaks import; not a prefilter
  double min_entropy = 0.0;           // Shannon bits per byte of the secret; 0 = no check
  // ASCII digits the secret must contain; 0 = no check. Says "a token with a digit" without
  // the regex alternation that spells it out (four ways to place the digit), which made
  // every confirmation of the generic assignment rules a cold, thrashing RE2 DFA.
  int min_digits = 0;
  // A broad catch-all for a provider (any "xox?-" Slack token, a keyword-gated Telegram
  // token): reported only where no specific rule found the same bytes, like generic rules.
  bool fallback = false;
  std::vector<std::string> examples;           // each must produce a finding of this rule
  std::vector<std::string> negative_examples;  // none may produce a finding of this rule
  std::string advice;                          // one-line fix hint shown in text output
  std::string decides;  // conditional rules: what decides secret vs publishable
  std::string pair;     // id of the partner rule (AWS key id <-> secret, Twilio SID <-> token)
  // Per-rule overrides of the provider facts (empty = provider's).
  std::string env_var;
  std::string auth;
  std::string base_url;
  // Allowlist: a match whose secret matches one of these RE2 patterns, or contains one
  // of the stopwords (case-insensitive), is dropped. Used by imported gitleaks rules.
  std::vector<std::string> allow_regexes;
  std::vector<std::string> stopwords;
  // Path scoping (gitleaks `path` and allowlist `paths`), RE2 patterns searched in the
  // finding's location path and in its innermost member name: a match is reported only
  // where some `paths` pattern matches (empty: anywhere) and no `allow_paths` one does.
  std::vector<std::string> paths;
  std::vector<std::string> allow_paths;
  // Where it was defined, for error messages: "rules/builtin/stripe.toml:12".
  std::string source_file;
  int source_line = 0;
  // True for rules from --rules or --config: `rules check` holds --rules files to the
  // schema (2 examples, 2 negative examples) like the built-in pack.
  bool user_rule = false;
  // Imported from a gitleaks config, which has no examples: their absence is a warning.
  bool from_gitleaks = false;
};

class RuleSet {
 public:
  const std::vector<Rule>& rules() const { return rules_; }
  const std::map<std::string, ProviderFacts>& providers() const { return providers_; }
  const ProviderFacts* FindProvider(std::string_view id) const;
  const Rule* FindRule(std::string_view id) const;

  // Parses one provider file (rules/README.md). `source_name` is used in messages,
  // which name file, line and rule id. Adds on success; on failure adds nothing.
  Status AddToml(std::string_view text, const std::string& source_name, bool user_rules);
  // Reads and adds a file; a gitleaks config ([[rules]] with `regex`, `secretGroup`...)
  // is recognised and imported.
  Status AddFile(const std::string& path);
  // Imports a gitleaks TOML configuration. Returns kUnsupported, with the usable rules
  // added, when some rules (path-only ones) could not be imported: a warning, not fatal.
  Status AddGitleaksToml(std::string_view text, const std::string& source_name);

  // Effective facts for a rule: the provider's, with the rule's overrides applied.
  ProviderFacts EffectiveFacts(const Rule& rule) const;

  // Appends without validation (tests and importers); ids must stay unique.
  Status Add(Rule rule);
  void AddProvider(ProviderFacts facts);

 private:
  std::vector<Rule> rules_;
  std::map<std::string, ProviderFacts> providers_;
};

// All rules embedded from rules/builtin/ at build time.
Result<RuleSet> LoadBuiltinRules();

}  // namespace leakproof::scanner
