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
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leakproof::proxy::bff {

// The body a call site sends: `JSON.stringify({...})` ("json") or `new URLSearchParams({...})`
// ("form"), with its top-level keys. The route's schema accepts those keys and no others.
struct CallSiteBody {
  std::string kind;
  std::vector<std::string> keys;
  bool operator==(const CallSiteBody&) const = default;
};

struct CredentialInput {
  std::string rule_id;        // "stripe.secret-key"
  std::string fingerprint;    // dedupe key: the same secret found twice is one credential
  std::string location_path;  // provenance string "app.apk!assets/index.android.bundle"
  std::string detail;         // segment label ("@string/openai_key") or ""
  std::uint32_t line = 0;
  // The bytes the secret occupies ("<path>\n<offset>\n<length>"), or "" when unknown. Two rules
  // matching the same bytes (a Maps browser key is also a Google API key) share a span; the
  // planner keeps one classification per span.
  std::string span;
  // http(s) URLs found near the key, reduced to "scheme://host/path" plus the *names* of
  // their query parameters ("?limit&access_token"): values and fragments are dropped, they
  // may carry the key. The planner only uses a URL whose host is the provider's.
  std::vector<std::string> context_urls;
  // HTTP methods seen next to the key (`method: "POST"` in the snippet), upper case.
  std::vector<std::string> methods_seen;
  // Operations found at call sites in the full text (live scans of readable files and
  // source maps): method + URL (same reduced form as context_urls).
  std::vector<std::pair<std::string, std::string>> operations_seen;
  // LLM model names passed at those call sites or in the snippet (`model: "gpt-4o-mini"`):
  // the route's model allowlist.
  std::vector<std::string> models_seen;
  // URL -> the body its call site sends (only where it could be read for sure).
  std::map<std::string, CallSiteBody> bodies_seen;
  // Non-secret values seen next to the key that fill a provider's template host or header:
  // {"app_id": "<Algolia app ID>"} from `algoliasearch("<id>", key)`, {"ref": "<project>"}
  // from a Supabase JWT's `ref` claim. Only identifier-shaped values ([A-Za-z0-9-]{1,63}).
  std::map<std::string, std::string> template_values;
  // Read from a saved report: the call sites were only seen through the ~80-byte snippet,
  // so methods not in it fall back to POST (MIGRATION.md says how to get them).
  bool from_report = false;
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

// The full text a finding was found in (the file, or the original source inside a source
// map), for reading call sites; nullopt when it cannot be read.
using SourceLookup = std::function<std::optional<std::string>(const scanner::Location&)>;

// Converts scan findings; URLs that contain the secret are dropped. With `sources`, the
// method and model of each call to a context URL are read from the full text.
std::vector<CredentialInput> CredentialsFromFindings(const std::vector<scanner::Finding>& findings,
                                                     const SourceLookup& sources = nullptr);

// Upper-case HTTP methods named in a snippet (`method:"POST"`, `"method": 'get'`).
std::vector<std::string> MethodsInSnippet(std::string_view snippet);

// `url` as "scheme://host/path?name1&name2": query values and the fragment dropped, plain
// parameter names kept (no duplicates); "" when it is not an http(s) URL.
std::string SanitizeUrl(std::string_view url);

// The query parameter names of a SanitizeUrl() result.
std::vector<std::string> QueryNames(std::string_view sanitized_url);

// Template values next to a key in `snippet` (`algoliasearch("APPID", ...)` -> app_id).
void TemplateValuesInSnippet(std::string_view snippet, std::map<std::string, std::string>& out);

// Method + URL of each call to a context URL in `text` (the whole bundle or an original
// source): `fetch("https://api.x/v1/y", {method: "POST"})`, `axios.post("...")`,
// `new Request(...)`. `urls` are SanitizeUrl() forms; a call without a method is skipped.
// `partial`: `text` may be cut mid-call (a report's snippet), so a fetch() whose options
// are not visible is not assumed to be a GET.
std::vector<std::pair<std::string, std::string>> CallSiteOperations(
    std::string_view text, const std::vector<std::string>& urls, bool partial = false);

// The body each call of a context URL sends; a URL whose calls disagree or cannot be read
// is left out.
std::map<std::string, CallSiteBody> CallSiteBodies(std::string_view text,
                                                   const std::vector<std::string>& urls);

// `model: "<name>"` values in the options of those same calls, and in any text.
std::vector<std::string> CallSiteModels(std::string_view text,
                                        const std::vector<std::string>& urls);
std::vector<std::string> ModelsInText(std::string_view text);

}  // namespace leakproof::proxy::bff
