#include "source/git/git_handles.h"

#include <mutex>

namespace leakproof::scanner::git {

void EnsureLibgit2() {
  static std::once_flag once;
  std::call_once(once, [] { git_libgit2_init(); });
}

Status GitStatus(int code, const std::string& what) {
  const git_error* e = git_error_last();
  std::string message =
      what + ": " +
      (e != nullptr && e->message != nullptr ? std::string(e->message)
                                             : "libgit2 error " + std::to_string(code));
  if (code == GIT_ENOTFOUND) return Status::NotFound(std::move(message));
  return Status::Corrupt(std::move(message));
}

std::string OidHex(const git_oid& oid, std::size_t n) {
  char buf[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buf, sizeof buf, &oid);
  return std::string(buf, n < GIT_OID_HEXSZ ? n : GIT_OID_HEXSZ);
}

Result<RepoPtr> OpenRepository(const std::string& path) {
  EnsureLibgit2();
  git_repository* raw = nullptr;
  // Flags 0: search upwards from `path` like git does, so a subdirectory works too.
  if (int rc = git_repository_open_ext(&raw, path.c_str(), 0, nullptr); rc != 0) {
    Status st = GitStatus(rc, "'" + path + "' is not a git repository");
    return Status::InvalidArgument(st.message());
  }
  return RepoPtr(raw);
}

}  // namespace leakproof::scanner::git
