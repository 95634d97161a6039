// RoutePlan: the generator's intermediate model — credentials deduplicated by
// fingerprint, named (route + env var), and their upstream auth and allowlists decided.
// Every target renderer and the guides read only this, so naming is decided once.
#pragma once

#include "leakproof/proxy/bff/credential.h"
#include "leakproof/scanner/rule.h"

#include <string>
#include <vector>

namespace leakproof::proxy::bff {

struct FoundAt {
  std::string path;
  std::string detail;
  std::uint32_t line = 0;
};

// How the credential is presented upstream, flattened for templates.
struct AuthPlan {
  // "header" (bearer and header:<Name>), "basic", "query", "path", "url", or a kind that
  // gets no route: "sigv4", "body", "none", "unknown".
  std::string kind;
  std::string header_name;     // kind "header"
  std::string prefix;          // kind "header": "Bearer ", "Bot ", ""
  std::string basic_role;      // kind "basic": "username" | "password"
  std::string basic_username;  // kind "basic", role "password"
  std::string query_name;      // kind "query"
  std::string description;     // "Authorization: Bearer <key>" (for humans)
};

struct PlannedCredential {
  std::string fingerprint;
  std::string rule_id;
  std::string rule_name;
  std::string rule_class;  // secret | conditional | publishable
  std::string provider_id;
  std::string provider_name;
  std::string advice;
  std::string decides;
  std::string rotate_url;
  std::string docs_url;
  std::string rotation_hint;
  std::vector<FoundAt> found_at;

  bool has_route = false;
  std::string no_route_reason;   // when !has_route: why, in one sentence
  std::string route_name;        // "stripe-2"
  std::string env_var;           // "STRIPE_SECRET_KEY_2" (also for route-less secrets)
  std::string base_url_env_var;  // "STRIPE_2_BASE_URL"
  std::string base_url;          // "https://api.stripe.com" ("{key}" for kind "path")
  AuthPlan auth;
  std::string rule_auth;    // the rule pack's auth string: "bearer", "header:x-api-key"
  std::string auth_prefix;  // the rule pack's auth_prefix as given ("" = default)
  std::vector<std::pair<std::string, std::string>> extra_headers;
  std::vector<std::string> methods;
  bool methods_derived = false;  // false: default with a TODO
  std::vector<std::string> path_prefixes;
  bool prefixes_derived = false;          // false: default with a TODO
  std::vector<std::string> query_names;   // query parameter names seen (never the auth one)
  std::vector<std::string> example_urls;  // sanitized context URLs, for MIGRATION.md
};

// Deduplicates, names and plans. Order: secret class first, then by provider and the
// first place found, so output does not depend on scan thread timing.
std::vector<PlannedCredential> PlanCredentials(const std::vector<CredentialInput>& credentials,
                                               const scanner::RuleSet& rules);

}  // namespace leakproof::proxy::bff
