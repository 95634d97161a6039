// Finding: one confirmed secret, with everything a report or the BFF generator needs.
//
// The secret value is held in memory for filtering, fingerprints and (only with
// --no-redact) output; every formatter goes through Redact() otherwise.
#pragma once

#include "leakproof/scanner/rule.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leakproof::scanner {

// The commit a finding from `leakproof git` was introduced in (docs/git.md: the oldest
// commit of the walk that added or modified the blob). Shared by every finding of the blob.
struct CommitInfo {
  std::string id;       // full hex object id
  std::string author;   // author name
  std::string email;    // author email
  std::string date;     // author time, ISO 8601 UTC ("2026-12-07T05:14:58Z")
  std::string summary;  // first line of the message
};

struct Location {
  std::string path;                     // provenance string: "app.apk!classes2.dex"
  std::vector<std::string> provenance;  // the chain's member names
  std::string detail;                   // segment label ("@string/google_api_key") or ""
  std::uint64_t offset = 0;             // byte offset of the secret in the innermost blob
  std::uint32_t line = 0;               // 1-based; 0 when lines are not meaningful
  std::uint32_t column = 0;             // 1-based byte column; 0 likewise
  // Git scans only (null otherwise): `path` is then the path in the commit's tree.
  std::shared_ptr<const CommitInfo> commit;
};

// How sure a finding is (JSON "confidence", SARIF "rank"): a distinctive vendor prefix
// is near-certain; keyword-gated and generic shapes less so; a value judged by its name
// alone ("key: ...") least. docs/detection.md says which rules get which.
enum class Confidence { kHigh, kMedium, kLow };
const char* ConfidenceName(Confidence c);
// SARIF result.rank (0-100): how much a reviewer should trust the result.
double ConfidenceRank(Confidence c);

// The result of `scan --verify` (docs/verify.md): whether the provider still accepts the
// key, from one read-only request to the provider's fixed base URL. Never holds the key.
struct Verification {
  enum class State { kNotChecked, kLive, kRejected, kUnknown, kError };
  State state = State::kNotChecked;
  int http_status = 0;   // the provider's answer (0: none, offline or not sent)
  std::string identity;  // who the key belongs to, when the provider says it cheaply
  std::string evidence;  // one line: why this state ("401 from GET /v1/balance")
  // A conditional key settled by the check (Algolia ACL, Supabase JWT role): the class
  // the finding now has. Unset: the rule's class stands.
  std::optional<RuleClass> settled_class;
};
// "live", "rejected", "unknown", "error" ("" for kNotChecked).
const char* VerificationStateName(Verification::State s);

struct Finding {
  const Rule* rule = nullptr;  // points into the RuleSet used for the scan
  std::string secret;          // the full secret (never printed unless --no-redact)
  Location location;
  // Per place, for baselines and SARIF partialFingerprints: LocationFingerprint() of the
  // rule, the normalised path and the secret's own line around it. Says nothing about the
  // secret beyond what every report shows (its first characters and length).
  std::string fingerprint;
  // Per secret, for correlating one key across files (the BFF generator's grouping):
  // SecretHash() with this installation's key. JSON/JSONL only, never SARIF.
  std::string secret_hash;
  double entropy = 0.0;  // Shannon bits per byte of the secret
  Confidence confidence = Confidence::kHigh;
  // Up to 40 printable bytes of context on each side of the secret (control bytes and
  // newlines shown as spaces/dots). Formatters put the (redacted) secret between them.
  std::string snippet_before;
  std::string snippet_after;
  std::vector<std::string> context_urls;  // http(s) URLs near the secret, for BFF routes
  Verification verification;              // set by `scan --verify` only
};

// The finding's class: the rule's, or the one --verify settled a conditional key to.
RuleClass EffectiveClass(const Finding& f);

// "sk_l…": the first 4 characters and an ellipsis (nothing more for short secrets).
std::string Redact(const std::string& secret);
// The path a report and a fingerprint use: "./" prefixes dropped, and an absolute path
// under `cwd` made relative to it (so the same file gets one name however it was named).
std::string NormalisedPath(std::string_view path, std::string_view cwd);
// The process's working directory ("" if unknown), read once.
const std::string& CurrentDirectory();
// 16 hex digits of SHA-256 over (rule id, normalised path, the context on the secret's line
// with whitespace runs collapsed, Redact(secret), secret length): stable across reruns and
// line shifts elsewhere in the file, different for two copies of a key in two places, and
// no help to someone guessing the secret offline. docs/report-format.md has the recipe.
std::string LocationFingerprint(std::string_view rule_id, std::string_view normalised_path,
                                std::string_view line_before, std::string_view line_after,
                                const std::string& secret);
// Shannon entropy in bits per byte.
double ShannonEntropy(std::string_view s);

}  // namespace leakproof::scanner
