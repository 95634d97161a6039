// PlanCredentials (route_plan.h): dedupe by fingerprint, decide names, auth and allowlists.
#include "bff/route_plan.h"

#include "leakproof/proxy/bff/rotation.h"

#include "bff/aws_service.h"
#include "bff/context_urls.h"
#include "bff/provider_policy.h"
#include "bff/template_values.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <tuple>

namespace leakproof::proxy::bff {
namespace {

int ClassRank(const std::string& c) {
  if (c == "secret") return 0;
  if (c == "conditional") return 1;
  return 2;
}

std::string Slug(std::string_view s) {
  std::string out;
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) {
      out += static_cast<char>(std::tolower(u));
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  if (out.size() > 48) out.resize(48);
  return out.empty() ? "custom" : out;
}

std::string EnvName(std::string_view s) {
  std::string out;
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    out += std::isalnum(u) ? static_cast<char>(std::toupper(u)) : '_';
  }
  return out;
}

template <typename T>
void AddUnique(std::vector<T>& v, const T& x) {
  if (std::find(v.begin(), v.end(), x) == v.end()) v.push_back(x);
}

AuthPlan PlanAuth(const scanner::ProviderFacts& f) {
  AuthPlan a;
  const std::string& auth = f.auth;
  if (auth == "bearer") {
    a.kind = "header";
    a.header_name = "Authorization";
    a.prefix = f.auth_prefix.empty() ? "Bearer " : f.auth_prefix;
    a.description = "Authorization: " + a.prefix + "<key>";
  } else if (auth == "basic") {
    a.kind = "basic";
    a.basic_role = f.basic_role == "password" ? "password" : "username";
    a.basic_username = f.basic_username;
    a.description = a.basic_role == "password"
                        ? "Authorization: Basic base64(\"" + a.basic_username + ":<key>\")"
                        : "Authorization: Basic base64(\"<key>:\")";
  } else if (auth.rfind("header:", 0) == 0 && auth.size() > 7) {
    a.kind = "header";
    a.header_name = auth.substr(7);
    a.prefix = f.auth_prefix;
    a.description = a.header_name + ": " + a.prefix + "<key>";
  } else if (auth.rfind("query:", 0) == 0 && auth.size() > 6) {
    a.kind = "query";
    a.query_name = auth.substr(6);
    a.description = "?" + a.query_name + "=<key>";
  } else if (auth == "path") {
    a.kind = "path";
    a.description = "the key in the URL path (" + f.base_url + ")";
  } else if (auth == "url") {
    a.kind = "url";
    a.description = "the key is the whole URL (a webhook)";
  } else {
    a.kind = auth.empty() ? "unknown" : auth;
  }
  return a;
}

std::string NoRouteReason(const std::string& rule_class, const AuthPlan& auth,
                          const scanner::ProviderFacts& facts, bool rule_known) {
  if (rule_class == "publishable") return "designed to ship in a client; restrict it instead";
  if (!rule_known) return "the rule is not in the loaded rule pack, so its API is unknown";
  if (auth.kind == "none")
    return "not an API credential (a private key or password): keep it server-side";
  if (auth.kind == "sigv4") {
    return "AWS Signature V4 needs a signing SDK: call AWS from your server with the SDK and an "
           "IAM role";
  }
  if (auth.kind == "body")
    return "the key goes in the request body: add it in your own server code";
  if (auth.kind == "unknown") return "the rule pack says nothing about how this API takes the key";
  if (auth.kind == "path" && facts.base_url.find("{key}") == std::string::npos) {
    return "auth is \"path\" but the base_url has no {key} placeholder";
  }
  if (auth.kind != "url" && facts.base_url.empty())
    return "the rule pack has no base_url for this API";
  return "";
}

struct Group {
  std::vector<const CredentialInput*> inputs;
};

// An AWS key pair gets a SigV4 route only when both halves were found and the app calls
// exactly one AWS service endpoint: the stub signs for that service and region, against
// that host, and nothing else. Otherwise no route, with the reason.
void PlanSigV4(PlannedCredential& p, const std::vector<const CredentialInput*>& inputs) {
  if (p.identifiers.empty()) {
    p.no_route_reason =
        "AWS Signature V4 needs both halves and the access key ID was not found next to the "
        "secret: call AWS from your server with the SDK and an IAM role";
    return;
  }
  std::map<std::string, AwsEndpoint> hosts;
  for (const CredentialInput* c : inputs) {
    for (const std::string& url : c->context_urls) {
      auto parsed = ParseHttpUrl(url);
      if (!parsed || parsed->scheme != "https") continue;
      if (auto endpoint = AwsEndpointOfHost(parsed->host)) hosts.emplace(parsed->host, *endpoint);
    }
  }
  if (hosts.empty()) {
    p.no_route_reason =
        "no AWS service endpoint was seen next to the key, so there is no one service to sign "
        "for: call AWS from your server with the SDK and an IAM role";
    return;
  }
  if (hosts.size() > 1) {
    std::string names;
    for (const auto& [host, endpoint] : hosts) names += (names.empty() ? "" : ", ") + host;
    p.no_route_reason = "the app calls several AWS endpoints (" + names +
                        "); a SigV4 route signs for one service: decide which to move, or call "
                        "AWS from your server with the SDK and an IAM role";
    return;
  }
  const auto& [host, endpoint] = *hosts.begin();
  p.base_url = "https://" + host;
  p.auth.sigv4_service = endpoint.service;
  p.auth.sigv4_region = endpoint.region;
  p.username_env_var = p.identifiers.front().env_var;
  p.auth.description = "AWS Signature V4 (" + endpoint.service + ", " + endpoint.region +
                       ") with " + p.username_env_var + " and the secret key";
  p.no_route_reason.clear();
}

// Rank of a rule among those matching the same bytes: a specific rule beats a fallback, a
// definite answer beats "conditional" (the Maps browser key is publishable, not "maybe a
// Gemini key"), and between definite answers "secret" wins: the safe mistake.
std::tuple<int, int, int, std::string> SpanRank(const scanner::RuleSet& rules,
                                                const std::string& rule_id) {
  const scanner::Rule* r = rules.FindRule(rule_id);
  if (r == nullptr) return {1, 1, 1, rule_id};
  int cls = r->rule_class == scanner::RuleClass::kSecret        ? 0
            : r->rule_class == scanner::RuleClass::kPublishable ? 1
                                                                : 2;
  return {r->fallback ? 1 : 0, cls == 2 ? 1 : 0, cls, rule_id};
}

// In a pair, the identifier half is the rule named "...-id" / "...-sid" (the rule pack's
// naming convention, rules/README.md): it names an account or key, it is not the secret.
bool IsIdentifierRule(const scanner::Rule* r) {
  if (r == nullptr || r->pair.empty()) return false;
  auto ends = [&](std::string_view suffix) {
    return r->id.size() > suffix.size() &&
           r->id.compare(r->id.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return ends("-id") || ends("-sid");
}

// "algolia.app-id" -> "app_id": the template placeholder an identifier fills.
std::string PlaceholderOf(const std::string& rule_id) {
  std::string name = rule_id.substr(rule_id.find('.') + 1);
  for (char& c : name) c = c == '-' ? '_' : c;
  return name;
}

// Keys of the inputs to plan: one rule per secret span (defect "one key, two answers"),
// applied to every finding of the losing rule's fingerprint.
std::map<std::string, std::pair<std::string, std::string>> SpanWinners(
    const std::vector<CredentialInput>& credentials, const scanner::RuleSet& rules,
    std::map<std::string, std::set<std::string>>& also_matched) {
  std::map<std::string, std::vector<const CredentialInput*>> by_span;
  for (const CredentialInput& c : credentials) {
    if (!c.span.empty()) by_span[c.span].push_back(&c);
  }
  std::map<std::string, std::pair<std::string, std::string>> redirect;  // loser key -> winner
  for (const auto& [span, inputs] : by_span) {
    const CredentialInput* best = inputs.front();
    for (const CredentialInput* c : inputs) {
      if (SpanRank(rules, c->rule_id) < SpanRank(rules, best->rule_id)) best = c;
    }
    const std::string best_key = best->rule_id + "/" + best->fingerprint;
    for (const CredentialInput* c : inputs) {
      const std::string key = c->rule_id + "/" + c->fingerprint;
      if (key == best_key) continue;
      redirect[key] = {best->rule_id, best->fingerprint};
      also_matched[best_key].insert(c->rule_id);
    }
  }
  return redirect;
}

void PlanOperations(PlannedCredential& p, const std::vector<const CredentialInput*>& inputs) {
  std::map<std::string, std::set<std::string>> seen_methods;  // path -> methods at call sites
  std::map<std::string, std::optional<CallSiteBody>> bodies;  // path -> one agreed body shape
  for (const CredentialInput* c : inputs) {
    for (const auto& [url, body] : c->bodies_seen) {
      auto path = PathPatternUnder(p.base_url, url);
      if (!path) continue;
      auto [it, fresh] = bodies.emplace(*path, body);
      if (!fresh && it->second != body) it->second.reset();  // disagreeing shapes: no schema
    }
  }
  std::vector<std::string> paths_in_order;
  auto add_path = [&](const std::string& path) {
    if (std::find(paths_in_order.begin(), paths_in_order.end(), path) == paths_in_order.end())
      paths_in_order.push_back(path);
  };
  for (const CredentialInput* c : inputs) {
    for (const auto& [method, url] : c->operations_seen) {
      if (auto path = PathPatternUnder(p.base_url, url)) {
        seen_methods[*path].insert(method);
        add_path(*path);
      }
    }
    for (const std::string& url : c->context_urls) {
      auto path = PathPatternUnder(p.base_url, url);
      if (!path) continue;
      // The bare base URL (`const SUPABASE_URL = "https://<ref>.supabase.co"`) is a setting,
      // not a call: it opens nothing unless a call site uses it as it is.
      if (*path != "/" || seen_methods.count("/") != 0) add_path(*path);
      for (const std::string& q : QueryNames(url)) {
        if (q != p.auth.query_name) AddUnique(p.query_names, q);
      }
      // Rebuilt from the base URL, never copied: the found URL may hold the key.
      std::string example = p.base_url;
      if (auto k = example.find("{key}"); k != std::string::npos) example.replace(k, 5, "<key>");
      while (!example.empty() && example.back() == '/') example.pop_back();
      AddUnique(p.example_urls, example + (*path == "/" ? "" : *path));
    }
  }
  // The snippet's `method:` belongs to the one call next to the key: usable only when the
  // key sits next to a single URL.
  std::set<std::string> snippet_methods;
  for (const CredentialInput* c : inputs)
    snippet_methods.insert(c->methods_seen.begin(), c->methods_seen.end());
  bool all_known = !paths_in_order.empty();
  for (const std::string& path : paths_in_order) {
    std::set<std::string> methods = seen_methods[path];
    std::string source = "call site";
    if (methods.empty() && paths_in_order.size() == 1 && !snippet_methods.empty()) {
      methods = snippet_methods;
      source = "code next to the key";
    }
    bool known = !methods.empty();
    if (!known) {
      methods = {"POST"};  // unknown: POST on the exact path, nothing else
      source = "URL near the key (method not seen: POST only)";
      all_known = false;
    }
    for (const std::string& m : methods) {
      if (std::string why = RefusedOperation(p.provider_id, m, path); !why.empty()) {
        p.undecided.push_back({m, path, why});
        continue;
      }
      std::optional<CallSiteBody> body;
      if (auto b = bodies.find(path); b != bodies.end() && known && m != "GET") body = b->second;
      p.operations.push_back({m, path, known, source, body});
      AddUnique(p.methods, m);
      AddUnique(p.paths, path);
    }
  }
  p.methods_derived = all_known;
  std::sort(p.operations.begin(), p.operations.end(), [](const Operation& a, const Operation& b) {
    return std::tie(a.path, a.method) < std::tie(b.path, b.method);
  });
}

// Fills the provider's template placeholders ({ref}, {app_id}) from what the app shows:
// the host of a URL next to the key, the snippet, or the paired identifier's env var.
void PlanTemplates(PlannedCredential& p, const std::vector<const CredentialInput*>& inputs) {
  std::string all = p.base_url;
  for (const auto& [k, v] : p.extra_headers) all += " " + v;
  std::map<std::string, std::string> names = TemplateNames(all);
  if (names.empty()) return;
  // Values seen as such (the identifier itself, a snippet) before values read off a host,
  // which DNS has lower-cased.
  for (const CredentialInput* c : inputs) {
    for (const auto& [k, v] : c->template_values) {
      if (names.count(k) && names[k].empty()) names[k] = v;
    }
  }
  auto base = ParseHttpUrl(p.base_url);
  for (const CredentialInput* c : inputs) {
    if (!base) break;
    for (const std::string& url : c->context_urls) {
      auto parsed = ParseHttpUrl(url);
      if (!parsed) continue;
      if (auto values = MatchHostPattern(base->host, parsed->host)) {
        for (const auto& [k, v] : *values) {
          if (names.count(k) && names[k].empty()) names[k] = v;
        }
      }
    }
  }
  p.base_url = FillTemplate(p.base_url, names);
  for (auto& [k, v] : p.extra_headers) v = FillTemplate(v, names);
  for (const auto& [name, value] : names) {
    if (!value.empty()) continue;
    std::string env = EnvName(p.provider_id + "_" + name);
    for (const PairedIdentifier& id : p.identifiers) {
      if (PlaceholderOf(id.rule_id) == name) env = id.env_var;
    }
    p.template_env[name] = env;
  }
}

}  // namespace

std::vector<PlannedCredential> PlanCredentials(const std::vector<CredentialInput>& credentials,
                                               const scanner::RuleSet& rules) {
  // 1. One rule per secret span, then group by fingerprint (first appearance wins the facts).
  std::map<std::string, std::set<std::string>> also_matched;
  auto redirect = SpanWinners(credentials, rules, also_matched);
  std::vector<Group> groups;
  std::vector<std::string> group_keys;
  std::map<std::string, std::size_t> by_print;
  for (const CredentialInput& c : credentials) {
    std::string key = c.rule_id + "/" + c.fingerprint;
    if (auto r = redirect.find(key); r != redirect.end())
      key = r->second.first + "/" + r->second.second;
    auto [it, fresh] = by_print.emplace(key, groups.size());
    if (fresh) {
      groups.emplace_back();
      group_keys.push_back(key);
    }
    groups[it->second].inputs.push_back(&c);
  }

  // Identifier halves of pairs, by rule id, with their places.
  struct IdentifierGroup {
    const Group* group;
    const scanner::Rule* rule;
    bool used = false;
  };
  std::vector<IdentifierGroup> identifiers;
  for (const Group& g : groups) {
    const scanner::Rule* r = rules.FindRule(g.inputs.front()->rule_id);
    if (IsIdentifierRule(r)) identifiers.push_back({&g, r});
  }

  std::vector<PlannedCredential> plans;
  for (std::size_t gi = 0; gi < groups.size(); ++gi) {
    const Group& g = groups[gi];
    // The winner of a span may not be the first input: take the facts from the winner.
    const std::string winner_rule = group_keys[gi].substr(0, group_keys[gi].find('/'));
    const CredentialInput* first_ptr = g.inputs.front();
    for (const CredentialInput* c : g.inputs) {
      if (c->rule_id == winner_rule) {
        first_ptr = c;
        break;
      }
    }
    const CredentialInput& first = *first_ptr;
    const scanner::Rule* rule = rules.FindRule(winner_rule);
    scanner::ProviderFacts facts;
    PlannedCredential p;
    p.fingerprint = first.fingerprint;
    p.rule_id = winner_rule;
    if (auto am = also_matched.find(group_keys[gi]); am != also_matched.end())
      p.also_matched.assign(am->second.begin(), am->second.end());
    if (rule != nullptr) {
      facts = rules.EffectiveFacts(*rule);
      p.rule_name = rule->name;
      p.rule_class = scanner::RuleClassName(rule->rule_class);
      p.provider_id = rule->provider;
      p.advice = rule->advice;
      p.decides = rule->decides;
      p.rotation_hint = RotationHint(*rule, rules);
    } else {
      facts.id = first.provider;
      facts.name = first.provider_name;
      facts.env_var = first.env_var;
      facts.rotate_url = first.rotate_url;
      p.rule_name = first.rule_name.empty() ? first.rule_id : first.rule_name;
      p.rule_class = first.rule_class.empty() ? "secret" : first.rule_class;
      p.provider_id = first.provider;
      p.advice = first.advice;
      p.decides = first.decides;
      p.rotation_hint =
          p.rule_class == "publishable"
              ? p.advice
              : "Rotate this key now, it has shipped to clients" +
                    (first.rotate_url.empty() ? std::string(".") : ": " + first.rotate_url + ".");
    }
    if (p.provider_id.empty()) p.provider_id = "custom";
    p.provider_name = facts.name.empty() ? p.provider_id : facts.name;
    p.rotate_url = facts.rotate_url;
    p.docs_url = facts.docs_url;
    p.base_url = facts.base_url;
    p.auth = PlanAuth(facts);
    p.rule_auth = facts.auth;
    p.auth_prefix = facts.auth_prefix;
    p.no_route_reason = NoRouteReason(p.rule_class, p.auth, facts, rule != nullptr);
    for (const auto& [k, v] : facts.extra_headers) p.extra_headers.emplace_back(k, v);
    if (p.env_var.empty()) p.env_var = facts.env_var.empty() ? first.env_var : facts.env_var;
    p.request_headers = ProviderRequestHeaders(p.provider_id);

    std::set<std::pair<std::string, std::uint32_t>> seen;
    for (const CredentialInput* c : g.inputs) {
      if (c->from_report) p.from_report = true;
      if (seen.insert({c->location_path + "\n" + c->detail, c->line}).second) {
        p.found_at.push_back({c->location_path, c->detail, c->line});
      }
    }

    for (const FoundAt& f : p.found_at) {
      for (const char* ext : {".apk!", ".aab!", ".ipa!", ".xapk!", ".apks!"}) {
        if (f.path.find(ext) != std::string::npos) p.mobile = true;
      }
    }

    // Pairs: the identifier half joins its secret half; alone, it is never rotated.
    if (IsIdentifierRule(rule)) {
      p.identifier_only = true;
    } else if (rule != nullptr && !rule->pair.empty()) {
      const scanner::Rule* partner = rules.FindRule(rule->pair);
      IdentifierGroup* best = nullptr;
      for (IdentifierGroup& id : identifiers) {
        if (id.rule != partner) continue;
        // Prefer the identifier found in the same file as the secret.
        bool same_file = id.group->inputs.front()->location_path == p.found_at.front().path;
        if (best == nullptr || same_file) best = &id;
        if (same_file) break;
      }
      if (best != nullptr) {
        best->used = true;
        PairedIdentifier pid;
        pid.rule_id = best->rule->id;
        pid.rule_name = best->rule->name;
        scanner::ProviderFacts id_facts = rules.EffectiveFacts(*best->rule);
        pid.env_var = id_facts.env_var.empty() || id_facts.env_var == p.env_var
                          ? EnvName(p.provider_id + "_" + PlaceholderOf(best->rule->id))
                          : id_facts.env_var;
        std::set<std::pair<std::string, std::uint32_t>> id_seen;
        for (const CredentialInput* c : best->group->inputs) {
          if (id_seen.insert({c->location_path + "\n" + c->detail, c->line}).second)
            pid.found_at.push_back({c->location_path, c->detail, c->line});
        }
        // The secret half must not read the identifier's variable (aws.secret-access-key-paired
        // inherits the provider's AWS_ACCESS_KEY_ID): take a sibling secret rule's name.
        if (p.env_var == pid.env_var) {
          for (const scanner::Rule& other : rules.rules()) {
            if (other.pair != pid.rule_id || IsIdentifierRule(&other)) continue;
            std::string env = rules.EffectiveFacts(other).env_var;
            if (!env.empty() && env != pid.env_var) {
              p.env_var = env;
              break;
            }
          }
        }
        p.identifiers.push_back(std::move(pid));
      }
    }
    if (p.auth.kind == "basic" && p.auth.basic_role == "password" &&
        p.auth.basic_username.empty() && !p.identifiers.empty()) {
      p.username_env_var = p.identifiers.front().env_var;  // Twilio: AccountSID:AuthToken
    }
    if (p.identifier_only) {
      p.no_route_reason = "an identifier, not a credential on its own; its secret half (" +
                          (rule->pair.empty() ? std::string("the paired key") : rule->pair) +
                          ") was not found here";
    } else if (p.no_route_reason.empty() && p.auth.kind == "basic" &&
               p.auth.basic_role == "password" && p.auth.basic_username.empty() &&
               p.username_env_var.empty()) {
      p.no_route_reason = "the API needs the paired identifier as the user name (" +
                          (rule != nullptr ? rule->pair : std::string("?")) +
                          "), which was not found next to the key";
    } else if (p.no_route_reason.empty() && p.rule_id == "supabase.service-role-key") {
      p.no_route_reason =
          "the service_role key bypasses Row Level Security for every table, so no route can "
          "make it safe for end users. Plan: enable RLS with policies on every exposed table "
          "and give the client the anon (publishable) key in supabase-js; move each privileged "
          "operation into a Supabase Edge Function (or your server) that holds a new "
          "sb_secret_ key and checks the user";
    }
    if (p.auth.kind == "sigv4" && rule != nullptr && !p.identifier_only &&
        p.rule_class != "publishable") {
      std::vector<const CredentialInput*> pair_inputs = g.inputs;
      for (const IdentifierGroup& id : identifiers) {
        if (id.used && !p.identifiers.empty() && id.rule->id == p.identifiers.front().rule_id)
          pair_inputs.insert(pair_inputs.end(), id.group->inputs.begin(), id.group->inputs.end());
      }
      PlanSigV4(p, pair_inputs);
    }
    p.has_route = p.no_route_reason.empty();
    std::vector<const CredentialInput*> template_inputs = g.inputs;
    for (const IdentifierGroup& id : identifiers) {
      for (const PairedIdentifier& pid : p.identifiers) {
        if (id.rule->id == pid.rule_id && id.used)
          template_inputs.insert(template_inputs.end(), id.group->inputs.begin(),
                                 id.group->inputs.end());
      }
    }
    if (p.auth.kind != "url") PlanTemplates(p, template_inputs);
    if (p.auth.kind == "url") {
      p.operations = {{"POST", "/", true, "webhook", std::nullopt}};
      p.methods = {"POST"};
      p.paths = {"/"};
      p.methods_derived = true;
    } else {
      PlanOperations(p, g.inputs);
    }
    p.guard_kind = GuardKind(p.provider_id, p.base_url);
    for (const CredentialInput* c : g.inputs) {
      for (const std::string& m : c->models_seen) AddUnique(p.models, m);
    }
    std::sort(p.models.begin(), p.models.end());
    std::sort(p.paths.begin(), p.paths.end());
    std::sort(p.methods.begin(), p.methods.end());
    std::sort(p.query_names.begin(), p.query_names.end());
    plans.push_back(std::move(p));
  }

  // An identifier that joined a secret half is not listed again on its own.
  std::set<std::string> used_identifier_rules_prints;
  for (const IdentifierGroup& id : identifiers) {
    if (id.used)
      used_identifier_rules_prints.insert(id.group->inputs.front()->rule_id + "/" +
                                          id.group->inputs.front()->fingerprint);
  }
  plans.erase(std::remove_if(plans.begin(), plans.end(),
                             [&](const PlannedCredential& p) {
                               return p.identifier_only &&
                                      used_identifier_rules_prints.count(p.rule_id + "/" +
                                                                         p.fingerprint) != 0;
                             }),
              plans.end());

  // 2. Deterministic order: class, provider, first place found.
  std::stable_sort(
      plans.begin(), plans.end(), [](const PlannedCredential& a, const PlannedCredential& b) {
        auto key = [](const PlannedCredential& p) {
          return std::make_tuple(ClassRank(p.rule_class), p.provider_id, p.found_at.front().path,
                                 p.found_at.front().line, p.rule_id, p.fingerprint);
        };
        return key(a) < key(b);
      });

  // 3. Names: /api/stripe, /api/stripe-2; STRIPE_SECRET_KEY, STRIPE_SECRET_KEY_2.
  std::map<std::string, int> route_uses;
  std::map<std::string, int> env_uses;
  for (PlannedCredential& p : plans) {
    if (p.rule_class == "publishable") {
      p.env_var.clear();
      continue;
    }
    std::string slug = Slug(p.provider_id);
    if (p.has_route) {
      int n = ++route_uses[slug];
      p.route_name = n == 1 ? slug : slug + "-" + std::to_string(n);
      p.base_url_env_var = EnvName(p.route_name) + "_BASE_URL";
    }
    if (p.identifier_only) {
      p.env_var.clear();  // nothing to keep secret, nothing to rotate
      continue;
    }
    std::string env = p.env_var.empty() ? EnvName(slug) + "_API_KEY" : EnvName(p.env_var);
    int n = ++env_uses[env];
    p.env_var = n == 1 ? env : env + "_" + std::to_string(n);
  }
  return plans;
}

}  // namespace leakproof::proxy::bff
