// Building one provider's read-only liveness request for a found key, the way the rule
// pack says the provider takes it (`auth`: bearer, basic with the paired half, header,
// query, path, sigv4). The host only ever comes from the rule pack's base_url; a
// placeholder in it ({app_id}, {dc}) is filled with a value checked to be one DNS label,
// so the request cannot leave the provider's own domain. Pure; thread-safe.
#pragma once

#include "leakproof/scanner/rule.h"
#include "leakproof/scanner/status.h"

#include <chrono>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace leakproof::proxy::verify {

// The key and what else the request needs.
struct KeyMaterial {
  std::string secret;   // the finding's secret
  std::string partner;  // the paired half: basic user name, AWS access key id, Algolia app id
  std::map<std::string, std::string> placeholders;  // base_url {name} -> one DNS label
};

struct LivenessRequest {
  std::string method;  // "GET", "HEAD" or the rule's read-only method ("POST" for STS)
  std::string url;     // full URL; holds the key for query/path auth: never print it
  std::vector<std::pair<std::string, std::string>> headers;  // values hold the key: ditto
  std::string auth_form;  // "bearer", "basic", "header:X-Api-Key", "query:key", "path", "sigv4"
};

// The liveness check for a rule: the provider's `liveness`, or for Algolia (whose check
// is the key's own ACL) GET /keys/{key}. Empty method: none.
struct LivenessCheck {
  std::string method;
  std::string path;
};
LivenessCheck LivenessFor(const scanner::ProviderFacts& facts);

// "" when keys of `rule` can be checked against the provider; else why not, in one
// sentence (no liveness request, not an API credential, a self-hosted base URL...).
std::string NotVerifiableReason(const scanner::Rule& rule, const scanner::ProviderFacts& facts);

// The partner the request needs ("" none): "user name" (Basic auth: the identifier half
// is the user name, the secret the password), "access key id", "app id". The partner is
// found as the rule's `pair`.
std::string PartnerRole(const scanner::Rule& rule, const scanner::ProviderFacts& facts);

// The identifier half of a pair (AWS access key id, Twilio SID, Vonage/Mailjet API key,
// Scaleway access key): named "...-id"/"...-sid", or paired with a "...secret..." rule
// while not one itself. It is never sent alone, only as its secret half's partner.
bool IsIdentifierHalf(const scanner::Rule& rule);

// The base_url placeholders (without {key}) the request needs, e.g. {"site"}.
std::vector<std::string> Placeholders(const std::string& base_url);

// Builds the request. `base_url` is the (possibly test-mapped) base URL to use instead of
// facts.base_url when non-empty. Fails when a placeholder or partner is missing or bad.
scanner::Result<LivenessRequest> BuildLivenessRequest(const scanner::Rule& rule,
                                                      const scanner::ProviderFacts& facts,
                                                      const KeyMaterial& key,
                                                      std::chrono::system_clock::time_point now,
                                                      const std::string& base_url = "");

// The request as --dry-run-verify prints it: method, URL and header names, with every
// occurrence of the key (and its partner) replaced by its redacted form.
std::string DescribeRedacted(const LivenessRequest& req, const KeyMaterial& key);

// True for one DNS label: 1-63 of [A-Za-z0-9-], not starting or ending with '-'.
bool IsDnsLabel(const std::string& s);

}  // namespace leakproof::proxy::verify
