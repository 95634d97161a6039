// Walker: turns the user's paths into the list of files to scan.
//
// Directories are walked recursively (skipping .git, --exclude globs and the globs of
// a .leakproofignore at the root of each walked directory); symlinks are not followed
// unless asked (a loop can never hang a scan). Anything that is not a regular file
// (FIFO, socket, device, broken link) becomes a diagnostic, never a hang.
#pragma once

#include "leakproof/scanner/diagnostic.h"

#include <functional>
#include <string>
#include <vector>

namespace leakproof::scanner {

struct WalkOptions {
  std::vector<std::string> excludes;
  bool follow_symlinks = false;
  bool use_ignore_file = true;
};

struct WalkItem {
  std::string path;     // to open
  std::string display;  // as reported (the path as the user wrote it, joined)
  bool is_stdin = false;
};

// Calls `emit` for each file (returns false to stop) and `diagnose` for each problem.
// Returns false if a path named by the user could not be scanned at all.
bool Walk(const std::vector<std::string>& roots, const WalkOptions& options,
          const std::function<bool(WalkItem)>& emit,
          const std::function<void(Diagnostic)>& diagnose);

// fnmatch-style glob match of `pattern` against a relative path (also tried against
// each trailing sub-path, so "*.min.js" and "vendor/" work at any depth).
bool GlobMatches(const std::string& pattern, const std::string& relative_path);

}  // namespace leakproof::scanner
