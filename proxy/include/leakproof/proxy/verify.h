// `leakproof scan --verify`: for each distinct key found (one request per key, however
// many copies), one read-only liveness request to the provider's fixed base URL from the
// rule pack, with the key presented as the provider expects; the answer goes into each
// finding's `verification` (live / rejected / unknown / error, HTTP status, identity) and
// settles conditional keys (Algolia ACL, Google API key, Supabase JWT role).
//
// Safety model (docs/verify.md): hosts only from the rule pack, never from scanned input;
// HTTPS with certificate verification; no request bodies; per-provider concurrency cap and
// rate limit; per-request and global timeouts; retries with backoff on 429/5xx only;
// results cached under a keyed hash of the key; the key is never printed or stored.
#pragma once

#include "leakproof/scanner/finding.h"
#include "leakproof/scanner/rule.h"
#include "leakproof/scanner/status.h"

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace leakproof::proxy {

struct VerifyOptions {
  std::vector<std::string> allow;    // provider ids to check; empty = every provider
  bool dry_run = false;              // describe the requests (key redacted), send nothing
  int concurrency_per_provider = 4;  // requests in flight per provider
  double rate_per_provider = 5.0;    // request starts per second per provider
  int request_timeout_ms = 10000;    // one exchange, connect to last byte
  int total_timeout_ms = 120000;     // the whole verification step
  int max_retries = 3;               // on 429/5xx only
  int backoff_ms = 500;              // first retry delay, doubled each time (Retry-After wins)
  std::string cache_dir;             // "" default cache dir, "-" no cache
  int cache_ttl_seconds = 24 * 3600;
  std::function<void(std::size_t done, std::size_t total)> on_progress;
  std::function<void(const std::string& line)> on_dry_run;  // one line per request
  std::function<void(const std::string& line)> on_notice;   // warnings for stderr
};

struct VerifySummary {
  std::size_t distinct = 0;    // distinct keys that could be checked
  std::size_t requests = 0;    // HTTP requests sent (retries included)
  std::size_t from_cache = 0;  // answered by the cache
  std::size_t live = 0;
};

// Checks `findings` in place. Fails only on a setup error (a bad test override file).
scanner::Result<VerifySummary> VerifyFindings(std::vector<scanner::Finding>& findings,
                                              const scanner::RuleSet& rules,
                                              const VerifyOptions& options);

// The Markdown table docs/verify.md holds between its GENERATED markers: per provider
// with a liveness request, the request, how the key is presented, which rules' keys are
// sent and why the others are not.
std::string VerifyDocTable(const scanner::RuleSet& rules);

}  // namespace leakproof::proxy
