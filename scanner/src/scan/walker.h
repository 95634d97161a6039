// Walker: turns the user's paths into the list of files to scan.
//
// Directories are walked recursively, skipping .git, --exclude globs and the globs of
// the .leakproofignore files that apply: the one at the scan root, the one at the root
// of the enclosing git repository (found like git finds it: the nearest parent holding
// a .git directory or file) and those of the directories on the way down, each relative
// to its own directory and applying only below it, like .gitignore. Files named on the
// command line go through the same excludes (an info diagnostic says so), with the
// ignore files from the repository root down to the file's directory.
//
// Hostile trees stay bounded: every directory is entered at most once per run and every
// file scanned at most once per run, both keyed by (device, inode), so a symlink loop
// ends (said once, as info) and a hard or symbolic link never doubles a finding.
//
// Symbolic links. Without --follow-symlinks none is followed: a target inside the
// scanned paths is scanned where it lives; one outside them is not scanned at all, and
// a warning says so. With --follow-symlinks links are followed, out of the scanned
// paths too (that is what the flag is for), after the tree itself, so that a file is
// reported under its own name; but never into a directory that holds a scanned path
// (a link to /, to /proc/self/root, or to ../.. above the root would walk the whole
// machine) nor into /proc or /sys: a warning names each such link. Anything that is
// not a regular file (FIFO, socket, device, broken link) or cannot be read (a
// directory without permission) becomes a diagnostic, never a hang or a silent skip.
#pragma once

#include "leakproof/scanner/blob.h"
#include "leakproof/scanner/diagnostic.h"
#include "leakproof/scanner/finding.h"
#include "leakproof/scanner/status.h"

#include <functional>
#include <memory>
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
  // Inputs that are not files (git blobs): called on the worker thread instead of
  // reading `path`. Its Blob must own its bytes. Null for files and stdin.
  std::function<Result<Blob>()> load = nullptr;
  // Stamped on every finding of this input (git scans), and its short id prefixes the
  // input's diagnostics ("abc1234:path").
  std::shared_ptr<const CommitInfo> commit = nullptr;
};

// Opens a directory for reading; a test seam for the errors root cannot provoke.
// Returns a DIR* (as void*) or null with errno set.
using OpenDirFn = std::function<void*(const std::string& path)>;

// Calls `emit` for each file (returns false to stop) and `diagnose` for each problem.
// Returns false if a path named by the user could not be scanned at all.
bool Walk(const std::vector<std::string>& roots, const WalkOptions& options,
          const std::function<bool(WalkItem)>& emit,
          const std::function<void(Diagnostic)>& diagnose, const OpenDirFn& open_dir = nullptr);

// fnmatch-style glob match of `pattern` against a relative path (also tried against
// each trailing sub-path, so "*.min.js" and "vendor/" work at any depth).
bool GlobMatches(const std::string& pattern, const std::string& relative_path);

}  // namespace leakproof::scanner
