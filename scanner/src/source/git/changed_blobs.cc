#include "source/git/changed_blobs.h"

#include <ctime>

namespace leakproof::scanner::git {
namespace {

Status Deliver(git_diff* diff, const ChangeSink& sink) {
  const std::size_t n = git_diff_num_deltas(diff);
  for (std::size_t i = 0; i < n; ++i) {
    const git_diff_delta* d = git_diff_get_delta(diff, i);
    switch (d->status) {
      case GIT_DELTA_ADDED:
      case GIT_DELTA_MODIFIED:
      case GIT_DELTA_RENAMED:
      case GIT_DELTA_COPIED:
      case GIT_DELTA_TYPECHANGE:
        break;
      case GIT_DELTA_UNMODIFIED:
      case GIT_DELTA_DELETED:
      case GIT_DELTA_IGNORED:
      case GIT_DELTA_UNTRACKED:
      case GIT_DELTA_UNREADABLE:
      case GIT_DELTA_CONFLICTED:
        continue;
    }
    const ChangedEntry entry{d->new_file.id, d->new_file.path != nullptr ? d->new_file.path : ""};
    if (d->new_file.mode == GIT_FILEMODE_COMMIT) {
      if (sink.on_submodule) sink.on_submodule(entry);
    } else if (d->new_file.mode == GIT_FILEMODE_BLOB ||
               d->new_file.mode == GIT_FILEMODE_BLOB_EXECUTABLE) {
      sink.on_blob(entry);
    }
  }
  return Status::Ok();
}

git_diff_options DiffOptions() {
  git_diff_options opts;
  git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
  // Only tree entries are compared: no blob is loaded to guess whether it is binary.
  opts.flags = GIT_DIFF_SKIP_BINARY_CHECK;
  return opts;
}

}  // namespace

Status CommitChanges(git_repository* repo, git_commit* commit, git_commit* parent,
                     const ChangeSink& sink) {
  const std::string short_id = OidHex(*git_commit_id(commit), 7);
  git_tree* raw = nullptr;
  if (int rc = git_commit_tree(&raw, commit); rc != 0) {
    return GitStatus(rc, "cannot read the tree of commit " + short_id);
  }
  TreePtr tree(raw);
  TreePtr parent_tree;
  if (parent != nullptr) {
    if (int rc = git_commit_tree(&raw, parent); rc != 0) {
      return GitStatus(rc, "cannot read the parent tree of commit " + short_id);
    }
    parent_tree.reset(raw);
  }
  const git_diff_options opts = DiffOptions();
  git_diff* diff = nullptr;
  if (int rc = git_diff_tree_to_tree(&diff, repo, parent_tree.get(), tree.get(), &opts); rc != 0) {
    return GitStatus(rc, "cannot diff commit " + short_id);
  }
  DiffPtr owned(diff);
  return Deliver(diff, sink);
}

Status StagedChanges(git_repository* repo, const ChangeSink& sink) {
  git_index* raw_index = nullptr;
  if (int rc = git_repository_index(&raw_index, repo); rc != 0) {
    return GitStatus(rc, "cannot read the index");
  }
  IndexPtr index(raw_index);
  TreePtr head_tree;
  git_object* head = nullptr;
  if (int rc = git_revparse_single(&head, repo, "HEAD^{tree}"); rc == 0) {
    head_tree.reset(reinterpret_cast<git_tree*>(head));  // peeled to a tree above
  } else if (rc != GIT_ENOTFOUND && git_repository_head_unborn(repo) != 1) {
    return GitStatus(rc, "cannot read HEAD's tree");
  }
  const git_diff_options opts = DiffOptions();
  git_diff* diff = nullptr;
  if (int rc = git_diff_tree_to_index(&diff, repo, head_tree.get(), index.get(), &opts); rc != 0) {
    return GitStatus(rc, "cannot diff the index against HEAD");
  }
  DiffPtr owned(diff);
  return Deliver(diff, sink);
}

std::shared_ptr<const CommitInfo> MakeCommitInfo(git_commit* commit) {
  auto info = std::make_shared<CommitInfo>();
  info->id = OidHex(*git_commit_id(commit));
  if (const git_signature* a = git_commit_author(commit); a != nullptr) {
    info->author = a->name != nullptr ? a->name : "";
    info->email = a->email != nullptr ? a->email : "";
    const std::time_t t = static_cast<std::time_t>(a->when.time);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    info->date = buf;
  }
  if (const char* s = git_commit_summary(commit); s != nullptr) info->summary = s;
  return info;
}

}  // namespace leakproof::scanner::git
