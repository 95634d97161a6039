// Subcommand registration: each cmd_<name>.cc defines one Setup function that adds its
// subcommand (flags bound to an options struct) to the app. The callback runs the
// command and stores the process exit code (exit_codes.h) in `exit_code`.
#pragma once

#include <CLI/CLI.hpp>

namespace leakproof::cli {

void SetupScanCommand(CLI::App& app, int& exit_code);
void SetupGitCommand(CLI::App& app, int& exit_code);
void SetupRulesCommand(CLI::App& app, int& exit_code);
void SetupMergeCommand(CLI::App& app, int& exit_code);
void SetupBffCommand(CLI::App& app, int& exit_code);
void SetupProxyCommand(CLI::App& app, int& exit_code);
void SetupCompletionCommand(CLI::App& app, int& exit_code);
void SetupConfigCommand(CLI::App& app, int& exit_code);

}  // namespace leakproof::cli
