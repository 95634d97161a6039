// RoutePlan: the generator's intermediate model — credentials deduplicated by
// fingerprint, named (route + env var), and their upstream auth and allowlists decided.
// Every target renderer and the guides read only this, so naming is decided once.
#pragma once

#include "leakproof/proxy/bff/credential.h"
#include "leakproof/scanner/rule.h"

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace leakproof::proxy::bff {

struct FoundAt {
  std::string path;
  std::string detail;
  std::uint32_t line = 0;
};

// How the credential is presented upstream, flattened for templates.
struct AuthPlan {
  // "header" (bearer and header:<Name>), "basic", "query", "path", "url", "sigv4" (a route
  // only for an AWS key pair calling one service), or a kind that gets no route: "body",
  // "none", "unknown".
  std::string kind;
  std::string header_name;     // kind "header"
  std::string prefix;          // kind "header": "Bearer ", "Bot ", ""
  std::string basic_role;      // kind "basic": "username" | "password"
  std::string basic_username;  // kind "basic", role "password"
  std::string query_name;      // kind "query"
  std::string sigv4_service;   // kind "sigv4": the one AWS service signed for ("s3")
  std::string sigv4_region;    // kind "sigv4": "us-east-1"
  std::string description;     // "Authorization: Bearer <key>" (for humans)
};

// One upstream operation the route opens: a method on an exact path pattern, where "*"
// stands for one id segment ("/v1/customers/*"). Nothing else is forwarded.
struct Operation {
  std::string method;         // "POST"
  std::string path;           // "/v1/chat/completions", relative to base_url
  bool method_known = false;  // false: not seen at a call site, POST by default
  std::string source;  // where it was seen (for MIGRATION.md): "call site" | "URL near the key"
  std::optional<CallSiteBody> body;  // the body shape seen at the call site: the route's schema
};

// An operation seen in the app but not opened: a reviewer decides (MIGRATION.md).
struct UndecidedOperation {
  std::string method;
  std::string path;
  std::string reason;
};

// The identifier half of a key pair (Twilio Account SID, AWS access key ID, Algolia app
// ID): not a secret to rotate, but the route needs it next to the secret half.
struct PairedIdentifier {
  std::string rule_id;
  std::string rule_name;
  std::string env_var;  // TWILIO_ACCOUNT_SID
  std::vector<FoundAt> found_at;
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
  // Found inside a mobile app (APK, AAB, IPA): the route also takes a Bearer session.
  bool mobile = false;
  bool from_report = false;  // planned from a saved report (no call sites: see CredentialInput)
  std::vector<std::string> also_matched;  // other rules that matched the same bytes

  // Set when this is the identifier half of a pair whose secret half was not found: it
  // is listed, never rotated and never routed.
  bool identifier_only = false;
  std::vector<PairedIdentifier> identifiers;  // the identifier half, when paired

  bool has_route = false;
  std::string no_route_reason;   // when !has_route: why, in one sentence
  std::string route_name;        // "stripe-2"
  std::string env_var;           // "STRIPE_SECRET_KEY_2" (also for route-less secrets)
  std::string base_url_env_var;  // "STRIPE_2_BASE_URL"
  // "https://api.stripe.com" ("{key}" for kind "path"). Template values found in the app
  // are filled in; an unknown one stays "{name}" and is read from template_env at runtime.
  std::string base_url;
  std::map<std::string, std::string> template_env;  // "ref" -> "SUPABASE_REF" (unknown values)
  AuthPlan auth;
  std::string username_env_var;  // kind "basic", role "password", or "sigv4": the pair's id half
  std::string rule_auth;         // the rule pack's auth string: "bearer", "header:x-api-key"
  std::string auth_prefix;       // the rule pack's auth_prefix as given ("" = default)
  std::vector<std::pair<std::string, std::string>> extra_headers;
  // Client request headers forwarded upstream (lower case); every other one is dropped.
  std::vector<std::string> request_headers;
  std::vector<Operation> operations;
  std::vector<UndecidedOperation> undecided;
  std::vector<std::string> methods;       // union of operations' methods
  std::vector<std::string> paths;         // union of operations' paths, sorted, unique
  bool methods_derived = false;           // every operation's method was seen at a call site
  std::vector<std::string> query_names;   // query parameter names seen (never the auth one)
  std::vector<std::string> example_urls;  // sanitized context URLs, for MIGRATION.md
  std::string guard_kind;                 // provider guard (guards.ts): "openai", "twilio"... or ""
  std::vector<std::string> models;        // LLM models the app was seen to use
};

// Deduplicates, names and plans. Order: secret class first, then by provider and the
// first place found, so output does not depend on scan thread timing.
std::vector<PlannedCredential> PlanCredentials(const std::vector<CredentialInput>& credentials,
                                               const scanner::RuleSet& rules);

}  // namespace leakproof::proxy::bff
