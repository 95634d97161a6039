// The scan flags and the run around a scan (report, baseline, exit code), shared by
// `leakproof scan` (files) and `leakproof git` (history, index): one option set, so the
// two commands never drift apart. Both are defined in cmd_scan.cc.
#pragma once

#include "leakproof/scanner/scanner.h"

#include "config_file.h"
#include "engine_setup.h"
#include "verify_flags.h"

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

namespace leakproof::cli {

struct ScanCommandOptions {
  std::vector<std::string> paths;
  std::string inputs_from;  // scan --inputs-from FILE
  std::string shard;        // scan --shard K/N
  std::string format = "text";
  std::string output;
  std::string color = "auto";
  std::string fail_on = "secret";
  std::string baseline;
  std::string write_baseline;
  std::string baseline_reason;
  bool no_redact = false;
  bool sort = false;
  bool no_progress = false;
  bool quiet = false;
  bool verbose = false;
  bool allow_incomplete = false;
  bool include_placeholders = false;
  bool no_ignore_file = false;
  RuleOptions rules;
  scanner::ScanOptions scan;
  VerifyFlags verify;  // --verify and its limits (docs/verify.md)
  ConfigFlags config;  // --config-file / --no-config (docs/configuration.md)
};

// Adds the `scan` subcommand to `app` with every flag bound to `opts` (which must outlive
// the parse), and no callback: SetupScanCommand adds the run, `config show` its own.
CLI::App* AddScanSubcommand(CLI::App& app, ScanCommandOptions& opts);

// Adds every flag of ScanCommandOptions except the positional paths and the scan-only
// --inputs-from and --shard.
void AddScanFlags(CLI::App* cmd, ScanCommandOptions& opts);

// One value per occurrence for every repeatable option of `cmd` (call after adding them):
// the positional inputs are optional (scan --inputs-from, git's REPO), so a vector option
// would otherwise take every word up to the next flag, inputs included ("--exclude '*.map'
// dist/", "--verify-allow stripe app.js").
void OneValuePerOccurrence(CLI::App* cmd);

// Runs one scan: `scan` is given the engine and the ScanOptions filled from the flags,
// and returns the result or a Status that ends the run (exit 2). Messages are prefixed
// "leakproof <command>:". Returns the process exit code.
using ScanFn = std::function<scanner::Result<scanner::ScanResult>(
    const scanner::Engine&, const scanner::ScanOptions&, const scanner::ScanObserver&)>;
int RunScanCommand(const std::string& command, ScanCommandOptions& o, const ScanFn& scan);

}  // namespace leakproof::cli
