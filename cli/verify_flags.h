// `scan --verify` and its companions (docs/verify.md): the flags, and the step that runs
// after the scan and before the report. The step lives in verify_step.cc (proxy builds)
// or scanner_only/verify_not_built.cc, so `scan` itself does not depend on the proxy.
#pragma once

#include "leakproof/scanner/rule.h"
#include "leakproof/scanner/scanner.h"

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace leakproof::cli {

struct VerifyFlags {
  bool verify = false;
  bool dry_run = false;
  bool only_verified = false;
  std::vector<std::string> allow;
  int concurrency = 4;
  double rate = 5.0;
  double timeout_s = 10;
  double total_timeout_s = 120;
  int retries = 3;
  std::string cache_ttl = "24h";
  bool no_cache = false;
};

void AddVerifyFlags(CLI::App* cmd, VerifyFlags& flags);

// "" when the flags fit together (--only-verified and --fail-on live need --verify).
std::string CheckVerifyFlags(const VerifyFlags& flags, const std::string& fail_on);

// Runs --verify / --dry-run-verify on `result` (no-op when neither is set), then applies
// --only-verified. Prints progress on a TTY and notices on stderr. False on a setup
// error (already printed).
bool RunVerifyStep(const VerifyFlags& flags, scanner::ScanResult& result,
                   const scanner::RuleSet& rules, const std::string& cache_dir, bool progress);

}  // namespace leakproof::cli
