// Shared by every subcommand that scans: the rule set (built-in pack + --rules files +
// --config gitleaks imports) and the compiled Engine, with errors printed for the user.
#pragma once

#include "leakproof/scanner/engine.h"

#include <CLI/CLI.hpp>

#include <memory>
#include <string>
#include <vector>

namespace leakproof::cli {

struct RuleOptions {
  std::vector<std::string> rule_files;      // --rules: our schema (or gitleaks, detected)
  std::vector<std::string> gitleaks_files;  // --config: gitleaks TOML configuration
  bool no_builtin = false;                  // --no-builtin-rules: only user rules
  std::string cache_dir;                    // "" default location, "-" no cache
};

// Adds CLI flags for RuleOptions to `cmd`.
void AddRuleFlags(CLI::App* cmd, RuleOptions& opts);

// Loads rules and compiles the engine; prints the reason and returns nullptr on failure.
std::unique_ptr<scanner::Engine> BuildEngine(const RuleOptions& opts);

}  // namespace leakproof::cli
