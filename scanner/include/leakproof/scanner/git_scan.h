// ScanGit: scan a git repository's history (or its index) with libgit2.
//
//   GitScanOptions g; g.repo = "."; g.range = "origin/main..HEAD";
//   Result<ScanResult> r = ScanGit(engine, scan_options, g);
//
// Which blobs: for each commit in the walk, the blobs its tree adds or modifies
// against its first parent (a root commit, or a shallow clone's boundary commit,
// against the empty tree). Each distinct blob id is scanned once, however many commits
// or paths hold it, and its findings are attributed to the first commit that brought
// it in, walking oldest first (parents before children): the commit that introduced the
// key. Blobs go through the same extractor chain as files, so a committed APK or zip
// is scanned inside. With `staged`, the blobs of the index that differ from HEAD's tree
// instead (what a pre-commit hook must check); those findings carry no commit.
//
// Submodules (gitlink entries) are reported as info, never followed. A shallow clone's
// walk stops at its boundary (info). An object that cannot be read (missing, corrupt)
// is a diagnostic that makes the run incomplete, never a crash.
//
// Thread-safety: as Scan(). Each worker reads blobs through its own repository handle.
#pragma once

#include "leakproof/scanner/scanner.h"
#include "leakproof/scanner/status.h"

#include <string>

namespace leakproof::scanner {

struct GitScanOptions {
  std::string repo = ".";  // a work tree (or a directory in one), a .git dir, or a bare repo
  // At most one of since/range/all. Default: every commit reachable from HEAD.
  std::string since;    // REV: the commits reachable from HEAD but not from REV
  std::string range;    // "A..B": reachable from B but not from A
  bool all = false;     // every commit reachable from any reference (and HEAD)
  bool staged = false;  // the index against HEAD instead of history
};

// Fails (and scans nothing) when the repository cannot be opened or a revision does not
// resolve; problems met during the walk are diagnostics in the result.
Result<ScanResult> ScanGit(const Engine& engine, const ScanOptions& options,
                           const GitScanOptions& git, const ScanObserver& observer = {});

}  // namespace leakproof::scanner
