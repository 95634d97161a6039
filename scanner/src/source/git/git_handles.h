// RAII owners for the libgit2 objects the git source uses, and libgit2 errors as Status.
//
// libgit2 is initialised once per process (GitLibrary) and never shut down: shutting it
// down while another thread still holds a handle would be a use-after-free, and the
// process exits right after a scan anyway.
#pragma once

#include "leakproof/scanner/status.h"

#include <git2.h>
#include <memory>
#include <string>

namespace leakproof::scanner::git {

// Calls git_libgit2_init() the first time; thread-safe.
void EnsureLibgit2();

template <typename T, void (*Free)(T*)>
struct GitDeleter {
  void operator()(T* p) const { Free(p); }
};

using RepoPtr = std::unique_ptr<git_repository, GitDeleter<git_repository, git_repository_free>>;
using CommitPtr = std::unique_ptr<git_commit, GitDeleter<git_commit, git_commit_free>>;
using TreePtr = std::unique_ptr<git_tree, GitDeleter<git_tree, git_tree_free>>;
using BlobPtr = std::unique_ptr<git_blob, GitDeleter<git_blob, git_blob_free>>;
using DiffPtr = std::unique_ptr<git_diff, GitDeleter<git_diff, git_diff_free>>;
using IndexPtr = std::unique_ptr<git_index, GitDeleter<git_index, git_index_free>>;
using OdbPtr = std::unique_ptr<git_odb, GitDeleter<git_odb, git_odb_free>>;
using ObjectPtr = std::unique_ptr<git_object, GitDeleter<git_object, git_object_free>>;
using ConfigPtr = std::unique_ptr<git_config, GitDeleter<git_config, git_config_free>>;
using ReferencePtr = std::unique_ptr<git_reference, GitDeleter<git_reference, git_reference_free>>;

// A Status for libgit2 error `code` from the last call on this thread: "what: message".
// Missing objects become kNotFound, everything else kCorrupt (a broken repository).
Status GitStatus(int code, const std::string& what);

// Hex id: the full 40 digits, or the first `n`.
std::string OidHex(const git_oid& oid, std::size_t n = GIT_OID_HEXSZ);

// Opens the repository at or above `path` (work tree, .git dir or bare repository).
Result<RepoPtr> OpenRepository(const std::string& path);

}  // namespace leakproof::scanner::git
