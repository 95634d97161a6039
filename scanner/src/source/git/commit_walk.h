// CommitWalk: the commits of a git scan, oldest first (every parent before its children).
//
// Not git_revwalk: libgit2 1.5 does not read a shallow clone's .git/shallow and fails
// the whole walk on the first missing parent. This walk treats the commits listed there
// as having no parents (the history stops at the graft, as git log does) and turns any
// other commit it cannot read into a diagnostic, scanning the rest.
//
// A depth-first post-order over first-parent-first edges: a commit is listed after all
// its unhidden ancestors, so "the first commit in the list that holds a blob" is the
// oldest commit of the walk that introduced it.
#pragma once

#include "leakproof/scanner/diagnostic.h"

#include "source/git/git_handles.h"

#include <cstring>
#include <functional>
#include <unordered_set>
#include <vector>

namespace leakproof::scanner::git {

struct OidHash {
  std::size_t operator()(const git_oid& o) const {
    std::size_t h;  // object ids are uniformly distributed: any 8 bytes are a good hash
    std::memcpy(&h, o.id, sizeof h);
    return h;
  }
};
struct OidEqual {
  bool operator()(const git_oid& a, const git_oid& b) const { return git_oid_equal(&a, &b) != 0; }
};
using OidSet = std::unordered_set<git_oid, OidHash, OidEqual>;

// The commits listed in the repository's `shallow` file (empty for a full clone).
OidSet ShallowBoundary(git_repository* repo);

struct WalkedCommits {
  std::vector<git_oid> oldest_first;
  bool reached_shallow_boundary = false;
};

// Every commit reachable from `tips` and not from `hides`. Commits that cannot be read
// are reported through `diagnose` (a warning: their history is not scanned).
WalkedCommits WalkCommits(git_repository* repo, const std::vector<git_oid>& tips,
                          const std::vector<git_oid>& hides, const OidSet& shallow,
                          const std::function<void(Diagnostic)>& diagnose);

}  // namespace leakproof::scanner::git
