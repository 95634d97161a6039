#include "source/git/git_blob_reader.h"

#include <utility>

namespace leakproof::scanner::git {

Result<RepoPtr> GitBlobReader::Acquire() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      RepoPtr repo = std::move(idle_.back());
      idle_.pop_back();
      return repo;
    }
  }
  git_repository* raw = nullptr;
  if (int rc = git_repository_open_bare(&raw, git_dir_.c_str()); rc != 0) {
    return GitStatus(rc, "cannot open repository '" + git_dir_ + "'");
  }
  return RepoPtr(raw);
}

void GitBlobReader::Release(RepoPtr repo) {
  std::lock_guard<std::mutex> lock(mu_);
  idle_.push_back(std::move(repo));
}

namespace {

Result<Blob> ReadBlob(git_repository* repo, const git_oid& id, const std::string& path,
                      std::uint64_t max_bytes) {
  const std::string what = "blob " + OidHex(id);
  git_odb* raw_odb = nullptr;
  if (int rc = git_repository_odb(&raw_odb, repo); rc != 0) {
    return GitStatus(rc, "cannot open the object database");
  }
  OdbPtr odb(raw_odb);
  std::size_t size = 0;
  git_object_t type = GIT_OBJECT_INVALID;
  if (int rc = git_odb_read_header(&size, &type, odb.get(), &id); rc != 0) {
    return GitStatus(rc, "cannot read " + what);
  }
  if (size > max_bytes) {
    return Status::LimitExceeded(what + " is " + std::to_string(size) +
                                 " bytes, over the limit of " + std::to_string(max_bytes) +
                                 " (--max-file-size): not scanned");
  }
  git_blob* raw_blob = nullptr;
  if (int rc = git_blob_lookup(&raw_blob, repo, &id); rc != 0) {
    return GitStatus(rc, "cannot read " + what);
  }
  BlobPtr blob(raw_blob);
  const auto* bytes = static_cast<const char*>(git_blob_rawcontent(blob.get()));
  std::string data(bytes, static_cast<std::size_t>(git_blob_rawsize(blob.get())));
  return Blob::FromString(std::move(data), Provenance(path));
}

}  // namespace

Result<Blob> GitBlobReader::Load(const git_oid& id, const std::string& path) {
  auto repo = Acquire();
  if (!repo.ok()) return repo.status();
  Result<Blob> out = ReadBlob(repo->get(), id, path, max_blob_bytes_);
  Release(std::move(repo).value());
  return out;
}

}  // namespace leakproof::scanner::git
