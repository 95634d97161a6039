// Settings from the environment and `.leakproof.toml` under the command line:
// precedence flag > LEAKPROOF_* env > file > built-in default, per key (a list given at
// a higher level replaces, never extends, a lower one).
//
// It works on a parsed CLI11 subcommand: every settable key (config_keys.h) that names a
// flag of that subcommand and was not typed is fed the env or file value through the
// flag's own validators and storage, so `scan` and any other command with the same flag
// names (`git`) share one implementation:
//
//   AddConfigFlags(cmd, opts->config);
//   cmd->callback([=] { if (ApplyConfigOrReport(*cmd, opts->config, root) != 0) ...; });
#pragma once

#include "leakproof/scanner/status.h"

#include "config_file.h"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace leakproof::cli {

// Adds --config-file PATH and --no-config to `cmd`, bound to `flags`.
void AddConfigFlags(CLI::App* cmd, ConfigFlags& flags);

struct SettingOrigin {
  std::string key;
  std::vector<std::string> values;  // as given (flag text, env text, file values)
  std::string source;               // "flag", "env:LEAKPROOF_X", "file:/path", "default"
};

struct AppliedConfig {
  ConfigLocation location;
  std::vector<SettingOrigin> settings;  // one per settable key `cmd` has, table order
  std::vector<std::string> warnings;    // unknown keys etc., one line each
};

// Finds and reads the config file for `root` (config_file.h), then fills `cmd`'s untyped
// flags. A bad value is an error whose message is one line naming the file and line (or
// the variable) and the key.
scanner::Result<AppliedConfig> ApplyConfig(CLI::App& cmd, const ConfigFlags& flags,
                                           const std::filesystem::path& root);

// ApplyConfig for a command about to run: prints warnings and errors prefixed with
// "leakproof <command>: " and returns 0, or kExitError (2) when the run must stop.
int ApplyConfigOrReport(CLI::App& cmd, const ConfigFlags& flags, const std::filesystem::path& root);

}  // namespace leakproof::cli
