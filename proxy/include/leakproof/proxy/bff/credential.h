// CredentialInput: what the BFF generator needs to know about one finding — which rule
// matched, where, and the URLs next to it — and never the secret value itself.
//
// Two sources produce it: a live scan (CredentialsFromFindings) and a saved JSON report
// (CredentialsFromReport, docs/report-format.md). Keeping the secret out of this type is
// what guarantees the generated tree cannot leak it.
#pragma once

#include "leakproof/scanner/finding.h"
#include "leakproof/scanner/status.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace leakproof::proxy::bff {

struct CredentialInput {
  std::string rule_id;        // "stripe.secret-key"
  std::string fingerprint;    // dedupe key: the same secret found twice is one credential
  std::string location_path;  // provenance string "app.apk!assets/index.android.bundle"
  std::string detail;         // segment label ("@string/openai_key") or ""
  std::uint32_t line = 0;
  // http(s) URLs found near the key, query strings and fragments removed (they may carry
  // the key); used to narrow the allowed upstream paths.
  std::vector<std::string> context_urls;
  // Query parameter *names* seen in those URLs (values are dropped: they may be the key).
  std::vector<std::string> query_names;
  // HTTP methods seen next to the key (`method: "POST"` in the snippet), upper case.
  std::vector<std::string> methods_seen;
  // Report-provided facts, used when the rule is not in the RuleSet (user rules).
  std::string rule_name;
  std::string provider;
  std::string provider_name;
  std::string rule_class;  // "secret" | "conditional" | "publishable"
  std::string env_var;
  std::string advice;
  std::string rotate_url;
  std::string decides;
};

// Parses a `leakproof scan --format json` report (or its jsonl form). The `secret` and
// `snippet` fields are read only to find HTTP methods; nothing of the secret is kept.
scanner::Result<std::vector<CredentialInput>> CredentialsFromReport(std::string_view text);

// Converts scan findings; URLs that contain the secret are dropped.
std::vector<CredentialInput> CredentialsFromFindings(const std::vector<scanner::Finding>& findings);

// Upper-case HTTP methods named in a snippet (`method:"POST"`, `"method": 'get'`).
std::vector<std::string> MethodsInSnippet(std::string_view snippet);

// `url` without query string or fragment; "" when it is not an http(s) URL. The names
// of its query parameters are appended to `query_names` (if given), without duplicates.
std::string StripQueryAndFragment(std::string_view url,
                                  std::vector<std::string>* query_names = nullptr);

}  // namespace leakproof::proxy::bff
