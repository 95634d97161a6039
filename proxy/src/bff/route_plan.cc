// PlanCredentials (route_plan.h): dedupe by fingerprint, decide names, auth and allowlists.
#include "bff/route_plan.h"

#include "leakproof/proxy/bff/rotation.h"

#include "bff/context_urls.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

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

}  // namespace

std::vector<PlannedCredential> PlanCredentials(const std::vector<CredentialInput>& credentials,
                                               const scanner::RuleSet& rules) {
  // 1. Group by fingerprint (first appearance wins the facts).
  std::vector<Group> groups;
  std::map<std::string, std::size_t> by_print;
  for (const CredentialInput& c : credentials) {
    auto [it, fresh] = by_print.emplace(c.rule_id + "/" + c.fingerprint, groups.size());
    if (fresh) groups.emplace_back();
    groups[it->second].inputs.push_back(&c);
  }

  std::vector<PlannedCredential> plans;
  std::vector<scanner::ProviderFacts> all_facts;
  for (const Group& g : groups) {
    const CredentialInput& first = *g.inputs.front();
    const scanner::Rule* rule = rules.FindRule(first.rule_id);
    scanner::ProviderFacts facts;
    PlannedCredential p;
    p.fingerprint = first.fingerprint;
    p.rule_id = first.rule_id;
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
    p.has_route = p.no_route_reason.empty();
    for (const auto& [k, v] : facts.extra_headers) p.extra_headers.emplace_back(k, v);
    if (p.env_var.empty()) p.env_var = facts.env_var.empty() ? first.env_var : facts.env_var;

    std::set<std::pair<std::string, std::uint32_t>> seen;
    for (const CredentialInput* c : g.inputs) {
      if (seen.insert({c->location_path + "\n" + c->detail, c->line}).second) {
        p.found_at.push_back({c->location_path, c->detail, c->line});
      }
      for (const std::string& m : c->methods_seen) AddUnique(p.methods, m);
      for (const std::string& q : c->query_names) {
        if (q != p.auth.query_name) AddUnique(p.query_names, q);
      }
      if (p.auth.kind == "url") continue;
      for (const std::string& url : c->context_urls) {
        auto prefix = PathPrefixUnder(p.base_url, url);
        if (!prefix) continue;
        AddUnique(p.path_prefixes, *prefix);
        // Rebuilt from the base URL, never copied: the found URL may hold the key.
        std::string example = p.base_url;
        if (auto k = example.find("{key}"); k != std::string::npos) example.replace(k, 5, "<key>");
        while (!example.empty() && example.back() == '/') example.pop_back();
        AddUnique(p.example_urls, example + (*prefix == "/" ? "" : *prefix));
      }
    }
    p.methods_derived = !p.methods.empty();
    if (!p.methods_derived) {
      p.methods = p.auth.kind == "url" ? std::vector<std::string>{"POST"}
                                       : std::vector<std::string>{"GET", "POST"};
    }
    p.prefixes_derived = !p.path_prefixes.empty();
    if (p.auth.kind == "url") {
      p.path_prefixes = {"/"};
      p.prefixes_derived = true;
    } else if (!p.prefixes_derived && !facts.liveness_path.empty()) {
      p.path_prefixes = {facts.liveness_path};  // narrow, known-good; TODO in the stub
    }
    std::sort(p.path_prefixes.begin(), p.path_prefixes.end());
    std::sort(p.methods.begin(), p.methods.end());
    std::sort(p.query_names.begin(), p.query_names.end());
    plans.push_back(std::move(p));
  }

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
    std::string env = p.env_var.empty() ? EnvName(slug) + "_API_KEY" : EnvName(p.env_var);
    int n = ++env_uses[env];
    p.env_var = n == 1 ? env : env + "_" + std::to_string(n);
  }
  return plans;
}

}  // namespace leakproof::proxy::bff
