#include "source/git/commit_walk.h"

#include <fstream>
#include <string>

namespace leakproof::scanner::git {
namespace {

// One depth-first pass from `starts`, skipping `skip`; calls `visit` for each commit
// after its parents (post-order). Returns whether a shallow boundary was reached.
bool PostOrder(git_repository* repo, const std::vector<git_oid>& starts, const OidSet& skip,
               const OidSet& shallow, OidSet& seen,
               const std::function<void(const git_oid&)>& visit,
               const std::function<void(Diagnostic)>& diagnose) {
  struct Frame {
    git_oid id;
    bool expanded;
  };
  bool boundary = false;
  std::vector<Frame> stack;
  for (const git_oid& start : starts) {
    stack.push_back({start, false});
    while (!stack.empty()) {
      Frame& top = stack.back();
      if (top.expanded) {
        const git_oid id = top.id;
        stack.pop_back();
        visit(id);
        continue;
      }
      if (skip.count(top.id) != 0 || !seen.insert(top.id).second) {
        stack.pop_back();
        continue;
      }
      const git_oid id = top.id;
      git_commit* raw = nullptr;
      if (int rc = git_commit_lookup(&raw, repo, &id); rc != 0) {
        Status st = GitStatus(rc, "cannot read commit " + OidHex(id));
        diagnose({DiagnosticLevel::kWarning, StatusCode::kCorrupt, OidHex(id, 7),
                  st.message() + " (it and the history below it were not scanned)"});
        stack.pop_back();
        continue;
      }
      CommitPtr commit(raw);
      top.expanded = true;  // `top` is invalidated by the pushes below
      if (shallow.count(id) != 0) {
        boundary = true;  // a shallow clone's graft: its parents are not here
        continue;
      }
      // Pushed last-first so the first parent's line is walked (and listed) first.
      for (unsigned i = git_commit_parentcount(commit.get()); i-- > 0;) {
        const git_oid* parent = git_commit_parent_id(commit.get(), i);
        if (parent != nullptr && skip.count(*parent) == 0 && seen.count(*parent) == 0) {
          stack.push_back({*parent, false});
        }
      }
    }
  }
  return boundary;
}

}  // namespace

OidSet ShallowBoundary(git_repository* repo) {
  OidSet out;
  if (git_repository_is_shallow(repo) != 1) return out;
  std::ifstream in(std::string(git_repository_commondir(repo)) + "shallow");
  std::string line;
  while (std::getline(in, line)) {
    git_oid id;
    if (line.size() >= GIT_OID_HEXSZ && git_oid_fromstrn(&id, line.c_str(), GIT_OID_HEXSZ) == 0) {
      out.insert(id);
    }
  }
  return out;
}

WalkedCommits WalkCommits(git_repository* repo, const std::vector<git_oid>& tips,
                          const std::vector<git_oid>& hides, const OidSet& shallow,
                          const std::function<void(Diagnostic)>& diagnose) {
  OidSet hidden;
  {
    OidSet seen;
    PostOrder(
        repo, hides, {}, shallow, seen, [&](const git_oid& id) { hidden.insert(id); }, diagnose);
  }
  WalkedCommits out;
  OidSet seen;
  out.reached_shallow_boundary = PostOrder(
      repo, tips, hidden, shallow, seen, [&](const git_oid& id) { out.oldest_first.push_back(id); },
      diagnose);
  return out;
}

}  // namespace leakproof::scanner::git
