// ChangedBlobs: which blobs a commit (or the index) brings in, from libgit2 tree diffs.
//
// A commit is diffed against its first parent's tree (no parent, or a shallow
// boundary: the empty tree); the index against HEAD's tree (an unborn HEAD: the empty
// tree). Added, modified, renamed, copied and type-changed entries count; deletions
// bring nothing in. Rename detection is off on purpose: a renamed file keeps its blob
// id, which the caller's de-duplication already skips. Symbolic links are not scanned
// (a link's blob is a path); submodule entries (gitlinks) are handed to `on_submodule`.
#pragma once

#include "leakproof/scanner/finding.h"
#include "leakproof/scanner/status.h"

#include "source/git/git_handles.h"

#include <functional>
#include <memory>
#include <string>

namespace leakproof::scanner::git {

struct ChangedEntry {
  git_oid id;
  std::string path;  // in the commit's tree, '/'-separated
};

struct ChangeSink {
  std::function<void(const ChangedEntry&)> on_blob;
  std::function<void(const ChangedEntry&)> on_submodule;
};

// `parent` may be null (diff against the empty tree).
Status CommitChanges(git_repository* repo, git_commit* commit, git_commit* parent,
                     const ChangeSink& sink);
Status StagedChanges(git_repository* repo, const ChangeSink& sink);

// Author, date (ISO 8601 UTC) and summary of `commit`.
std::shared_ptr<const CommitInfo> MakeCommitInfo(git_commit* commit);

}  // namespace leakproof::scanner::git
