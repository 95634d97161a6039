// ScanGit(): resolves what to walk, enumerates each distinct changed blob once (oldest
// commit first) and feeds the blobs to the shared worker pool (ScanInputs).
#include "leakproof/scanner/git_scan.h"

#include "scan/scan_inputs.h"
#include "scan/walker.h"
#include "source/git/changed_blobs.h"
#include "source/git/commit_walk.h"
#include "source/git/git_blob_reader.h"
#include "source/git/run_info.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace leakproof::scanner {
namespace {

using git::CommitPtr;
using git::GitStatus;
using git::OidHex;

// `spec` peeled to a commit id.
Result<git_oid> ResolveCommit(git_repository* repo, const std::string& spec) {
  git_object* raw = nullptr;
  if (int rc = git_revparse_single(&raw, repo, spec.c_str()); rc != 0) {
    return Status::InvalidArgument(GitStatus(rc, "unknown revision '" + spec + "'").message());
  }
  git::ObjectPtr obj(raw);
  git_object* peeled = nullptr;
  if (int rc = git_object_peel(&peeled, obj.get(), GIT_OBJECT_COMMIT); rc != 0) {
    return Status::InvalidArgument(GitStatus(rc, "'" + spec + "' is not a commit").message());
  }
  git::ObjectPtr commit(peeled);
  return *git_object_id(commit.get());
}

struct WalkPlan {
  std::vector<git_oid> tips;
  std::vector<git_oid> hides;
  std::string revision;  // reported as SARIF revisionId
};

// Every reference that peels to a commit, in name order (a stable walk order).
std::vector<git_oid> AllReferenceTips(git_repository* repo) {
  std::vector<std::pair<std::string, git_oid>> named;
  git_reference_iterator* it = nullptr;
  if (git_reference_iterator_new(&it, repo) == 0) {
    git_reference* ref = nullptr;
    while (git_reference_next(&ref, it) == 0) {
      git::ReferencePtr owned(ref);
      git_object* peeled = nullptr;
      if (git_reference_peel(&peeled, ref, GIT_OBJECT_COMMIT) == 0) {
        git::ObjectPtr obj(peeled);
        named.emplace_back(git_reference_name(ref), *git_object_id(obj.get()));
      }
    }
    git_reference_iterator_free(it);
  }
  git_error_clear();  // a reference to a tree or a dangling one is simply not a tip
  std::sort(named.begin(), named.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<git_oid> tips;
  for (auto& [name, id] : named) tips.push_back(id);
  return tips;
}

Result<WalkPlan> PlanWalk(git_repository* repo, const GitScanOptions& g) {
  WalkPlan plan;
  if (!g.range.empty()) {
    git_revspec spec;
    if (int rc = git_revparse(&spec, repo, g.range.c_str()); rc != 0) {
      return Status::InvalidArgument(GitStatus(rc, "bad --range '" + g.range + "'").message());
    }
    git::ObjectPtr from(spec.from), to(spec.to);
    if ((spec.flags & GIT_REVSPEC_MERGE_BASE) != 0 || (spec.flags & GIT_REVSPEC_RANGE) == 0 ||
        from == nullptr || to == nullptr) {
      return Status::InvalidArgument("--range wants A..B (two revisions), got '" + g.range + "'");
    }
    auto a = ResolveCommit(repo, OidHex(*git_object_id(from.get())));
    auto b = ResolveCommit(repo, OidHex(*git_object_id(to.get())));
    if (!a.ok()) return a.status();
    if (!b.ok()) return b.status();
    plan.hides.push_back(*a);
    plan.tips.push_back(*b);
    plan.revision = OidHex(*b);
    return plan;
  }
  const bool unborn = git_repository_head_unborn(repo) == 1;
  if (!unborn) {
    auto head = ResolveCommit(repo, "HEAD");
    if (!head.ok()) return head.status();
    plan.tips.push_back(*head);
    plan.revision = OidHex(*head);
  }
  if (!g.since.empty()) {
    auto since = ResolveCommit(repo, g.since);
    if (!since.ok()) return since.status();
    plan.hides.push_back(*since);
  }
  if (g.all) {
    for (const git_oid& id : AllReferenceTips(repo)) plan.tips.push_back(id);
  }
  return plan;
}

std::vector<std::string> ParseIgnoreLines(std::istream& in) {
  std::vector<std::string> globs;
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (!line.empty() && line[0] != '#') globs.push_back(line);
  }
  return globs;
}

// .leakproofignore as the user sees it: the work tree's, or HEAD's in a bare repository.
std::vector<std::string> IgnoreGlobs(git_repository* repo) {
  if (const char* workdir = git_repository_workdir(repo); workdir != nullptr) {
    std::ifstream in(std::string(workdir) + ".leakproofignore");
    return ParseIgnoreLines(in);
  }
  git_object* raw = nullptr;
  if (git_revparse_single(&raw, repo, "HEAD:.leakproofignore") != 0) {
    git_error_clear();
    return {};
  }
  git::ObjectPtr obj(raw);
  if (git_object_type(obj.get()) != GIT_OBJECT_BLOB) return {};
  const auto* blob = reinterpret_cast<const git_blob*>(obj.get());
  std::istringstream in(std::string(static_cast<const char*>(git_blob_rawcontent(blob)),
                                    static_cast<std::size_t>(git_blob_rawsize(blob))));
  return ParseIgnoreLines(in);
}

// Enumerates the changed blobs and pushes each distinct one to the workers.
class BlobFeeder {
 public:
  BlobFeeder(git_repository* repo, const ScanOptions& options, GitRunInfo& info,
             git::GitBlobReader& reader, const PushInput& push, const DiagnoseInput& diagnose)
      : repo_(repo), info_(info), reader_(reader), push_(push), diagnose_(diagnose) {
    globs_ = options.excludes;
    if (options.use_ignore_file) {
      for (std::string& g : IgnoreGlobs(repo)) globs_.push_back(std::move(g));
    }
  }

  // Returns false once the workers stopped taking input.
  bool Commit(const git_oid& id, bool shallow_boundary) {
    git_commit* raw = nullptr;
    if (int rc = git_commit_lookup(&raw, repo_, &id); rc != 0) {
      return Problem(OidHex(id, 7), GitStatus(rc, "cannot read commit"));
    }
    CommitPtr commit(raw);
    CommitPtr parent;
    if (!shallow_boundary && git_commit_parentcount(commit.get()) > 0) {
      // An unreadable parent (already a warning from the walk): diff against the empty
      // tree, so this commit's blobs are still scanned, unchanged ones included.
      if (git_commit_parent(&raw, commit.get(), 0) == 0) {
        parent.reset(raw);
      } else {
        git_error_clear();
      }
    }
    ++info_.commits;
    std::shared_ptr<const CommitInfo> info;  // made once a blob of this commit is new
    Status st = git::CommitChanges(repo_, commit.get(), parent.get(),
                                   {[&](const git::ChangedEntry& e) {
                                      if (!info) {
                                        info = git::MakeCommitInfo(commit.get());
                                        ordinal_.emplace(info->id, ordinal_.size());
                                      }
                                      Blob(e, info);
                                    },
                                    [&](const git::ChangedEntry& e) { Submodule(e); }});
    if (!st.ok()) return Problem(OidHex(id, 7), st);
    return open_;
  }

  bool Staged() {
    Status st = git::StagedChanges(repo_, {[&](const git::ChangedEntry& e) { Blob(e, nullptr); },
                                           [&](const git::ChangedEntry& e) { Submodule(e); }});
    if (!st.ok()) return Problem("(index)", st);
    return open_;
  }

  // Walk position of each commit that brought in a blob (0: oldest).
  std::unordered_map<std::string, std::size_t> TakeOrdinals() { return std::move(ordinal_); }

 private:
  void Blob(const git::ChangedEntry& e, const std::shared_ptr<const CommitInfo>& commit) {
    ++info_.blob_refs;
    if (!open_) return;
    for (const std::string& g : globs_) {
      if (GlobMatches(g, e.path)) return;
    }
    if (!seen_.insert(e.id).second) return;  // scanned already, under its first commit
    WalkItem item;
    item.path = e.path;
    item.display = e.path;
    item.commit = commit;
    git::GitBlobReader* reader = &reader_;
    item.load = [reader, id = e.id, path = e.path] { return reader->Load(id, path); };
    open_ = push_(std::move(item));
  }

  void Submodule(const git::ChangedEntry& e) {
    if (!submodules_.insert(e.path).second) return;
    diagnose_(
        {DiagnosticLevel::kInfo, StatusCode::kUnsupported, e.path,
         "submodule (commit " + OidHex(e.id, 7) + "): not followed; scan its own repository"});
  }

  // A commit that could not be read: a warning (its blobs are missing from the run).
  bool Problem(const std::string& where, const Status& st) {
    diagnose_({DiagnosticLevel::kWarning, st.code(), where, st.message()});
    return open_;
  }

  git_repository* repo_;
  GitRunInfo& info_;
  git::GitBlobReader& reader_;
  const PushInput& push_;
  const DiagnoseInput& diagnose_;
  std::vector<std::string> globs_;
  git::OidSet seen_;
  std::unordered_set<std::string> submodules_;
  std::unordered_map<std::string, std::size_t> ordinal_;
  bool open_ = true;
};

// Findings in walk order (oldest commit first), each key (rule, path, secret) once: a
// commit that edits another line of a file brings in a new blob that still holds the
// key, and that is not the commit that introduced it.
void DropRepeatedFindings(ScanResult& result,
                          const std::unordered_map<std::string, std::size_t>& ordinal) {
  auto position = [&](const Finding& f) {
    if (!f.location.commit) return ordinal.size();
    auto it = ordinal.find(f.location.commit->id);
    return it == ordinal.end() ? ordinal.size() : it->second;
  };
  std::stable_sort(result.findings.begin(), result.findings.end(),
                   [&](const Finding& a, const Finding& b) { return position(a) < position(b); });
  std::unordered_set<std::string> seen;
  std::vector<Finding> kept;
  kept.reserve(result.findings.size());
  for (Finding& f : result.findings) {
    std::string key = f.rule->id + '\0' + f.location.path + '\0' + f.secret;
    if (seen.insert(std::move(key)).second) {
      kept.push_back(std::move(f));
    } else {
      ++result.git->repeated_findings;
    }
  }
  result.findings = std::move(kept);
}

}  // namespace

Result<ScanResult> ScanGit(const Engine& engine, const ScanOptions& options,
                           const GitScanOptions& g, const ScanObserver& observer) {
  auto repo = git::OpenRepository(g.repo);
  if (!repo.ok()) return repo.status();
  git_repository* r = repo->get();
  if (g.staged && git_repository_is_bare(r) == 1) {
    return Status::InvalidArgument("--staged needs a work tree; '" + g.repo + "' is bare");
  }
  WalkPlan plan;
  if (!g.staged) {
    auto p = PlanWalk(r, g);
    if (!p.ok()) return p.status();
    plan = std::move(p).value();
  }
  GitRunInfo info = git::DescribeRepository(r);
  info.staged = g.staged;
  if (g.staged) {
    if (auto head = ResolveCommit(r, "HEAD"); head.ok()) info.revision_id = OidHex(*head);
    git_error_clear();
  } else {
    info.revision_id = plan.revision;
  }
  git::GitBlobReader reader(git_repository_commondir(r), options.limits.max_file_bytes);

  std::unordered_map<std::string, std::size_t> ordinal;
  ScanResult result = ScanInputs(
      engine, options, observer, [&](const PushInput& push, const DiagnoseInput& diagnose) {
        BlobFeeder feeder(r, options, info, reader, push, diagnose);
        if (g.staged) {
          feeder.Staged();
          return true;
        }
        if (plan.tips.empty()) {
          diagnose({DiagnosticLevel::kInfo, StatusCode::kNotFound, "HEAD",
                    "no commits yet: nothing to scan"});
          return true;
        }
        const git::OidSet shallow = git::ShallowBoundary(r);
        const git::WalkedCommits walked =
            git::WalkCommits(r, plan.tips, plan.hides, shallow, diagnose);
        for (const git_oid& id : walked.oldest_first) {
          if (!feeder.Commit(id, shallow.count(id) != 0)) break;
        }
        ordinal = feeder.TakeOrdinals();
        if (walked.reached_shallow_boundary) {
          info.shallow = true;
          diagnose({DiagnosticLevel::kInfo, StatusCode::kUnsupported, "(history)",
                    "shallow clone: the walk stopped at the clone's boundary; history older "
                    "than it is not in this repository and was not scanned"});
        }
        return true;
      });
  result.git = std::move(info);
  if (!g.staged) DropRepeatedFindings(result, ordinal);
  return result;
}

}  // namespace leakproof::scanner
