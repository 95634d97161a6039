// `leakproof git [REPO]`: scan a repository's history (or, with --staged, its index)
// for secrets. Takes every flag of `scan` (scan_command.h); docs/git.md has the rules.
#include "leakproof/scanner/git_scan.h"

#include "command.h"
#include "config_apply.h"
#include "exit_codes.h"
#include "scan_command.h"

#include <memory>

namespace leakproof::cli {
namespace {

struct GitCommandOptions {
  ScanCommandOptions scan;
  scanner::GitScanOptions git;
};

}  // namespace

void SetupGitCommand(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<GitCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "git", "Scan a git repository's history (each distinct blob once) or its staged changes");
  cmd->add_option("repo", opts->git.repo, "Repository: work tree, .git directory or bare repo")
      ->capture_default_str();
  auto* since = cmd->add_option("--since", opts->git.since,
                                "Only commits after REV (reachable from HEAD, not from REV)");
  auto* range = cmd->add_option("--range", opts->git.range, "Only commits in A..B");
  auto* all = cmd->add_flag("--all", opts->git.all, "Commits reachable from every reference");
  auto* staged = cmd->add_flag("--staged", opts->git.staged,
                               "The index against HEAD (a pre-commit hook), not history");
  since->excludes(range)->excludes(staged);
  range->excludes(all)->excludes(staged);
  all->excludes(staged);
  AddScanFlags(cmd, opts->scan);
  OneValuePerOccurrence(cmd);
  cmd->callback([cmd, opts, &exit_code] {
    // .leakproof.toml and LEAKPROOF_* apply as for `scan`, found from the repository.
    exit_code = ApplyConfigOrReport(*cmd, opts->scan.config, ConfigRootFor({opts->git.repo}));
    if (exit_code != kExitClean) return;
    exit_code = RunScanCommand(
        "git", opts->scan,
        [&git = opts->git](const scanner::Engine& engine, const scanner::ScanOptions& so,
                           const scanner::ScanObserver& observer) {
          return scanner::ScanGit(engine, so, git, observer);
        });
  });
}

}  // namespace leakproof::cli
