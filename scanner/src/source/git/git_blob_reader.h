// GitBlobReader: reads blobs for the scan's worker threads.
//
// A git_repository must not be used by two threads at once (libgit2 THREADING.md), so
// each Load() borrows a handle from a small pool (one per concurrent caller, opened on
// first need) and returns it. The blob's bytes are copied out of libgit2 before the
// handle goes back: one memcpy, cheap next to the scan, and no libgit2 object outlives
// its handle. Memory stays one blob per worker however large the pack.
#pragma once

#include "leakproof/scanner/blob.h"
#include "leakproof/scanner/status.h"

#include "source/git/git_handles.h"

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace leakproof::scanner::git {

class GitBlobReader {
 public:
  // `git_dir`: the repository's common directory (objects live there).
  GitBlobReader(std::string git_dir, std::uint64_t max_blob_bytes)
      : git_dir_(std::move(git_dir)), max_blob_bytes_(max_blob_bytes) {}
  GitBlobReader(const GitBlobReader&) = delete;
  GitBlobReader& operator=(const GitBlobReader&) = delete;

  // The blob `id` as a top-level input named `path`. A blob over the size limit is not
  // inflated (its size comes from the object header): kLimitExceeded.
  Result<Blob> Load(const git_oid& id, const std::string& path);

 private:
  Result<RepoPtr> Acquire();
  void Release(RepoPtr repo);

  const std::string git_dir_;
  const std::uint64_t max_blob_bytes_;
  std::mutex mu_;
  std::vector<RepoPtr> idle_;  // guarded by mu_
};

}  // namespace leakproof::scanner::git
