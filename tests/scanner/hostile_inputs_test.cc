// Hostile trees and archives at the library level: symlink loops and links out of the
// tree, hard links, unreadable directories, ignore files at the repository root,
// aggregated diagnostics, and zips whose central directory lies about a member.
// (The measured end-to-end runs — bombs, gigabytes on stdin — are in
// tests/cli/hostile_cli_test.cc.)
#include "leakproof/scanner/scanner.h"

#include "scan/diagnostic_list.h"
#include "scan/walker.h"
#include "support/test_rules.h"

#include <catch2/catch.hpp>

#include <cerrno>
#include <dirent.h>
#include <filesystem>
#include <unistd.h>

namespace fs = std::filesystem;
namespace lp = leakproof::scanner;
using leakproof::testing::TempDir;
using leakproof::testing::TestEngine;

namespace {

const std::string kKey = "tc_live_9fK2mQ7xLp4RtZ8vWb3NcY6d";

lp::ScanResult ScanPaths(const lp::Engine& e, std::vector<std::string> paths,
                         lp::ScanOptions o = {}) {
  o.paths = std::move(paths);
  o.threads = 2;
  return lp::Scan(e, o);
}

const lp::Diagnostic* Find(const lp::ScanResult& r, const std::string& text) {
  for (const auto& d : r.diagnostics) {
    if (d.message.find(text) != std::string::npos) return &d;
  }
  return nullptr;
}

std::size_t CountWith(const lp::ScanResult& r, const std::string& text) {
  std::size_t n = 0;
  for (const auto& d : r.diagnostics) n += d.message.find(text) != std::string::npos ? 1 : 0;
  return n;
}

}  // namespace

TEST_CASE("--follow-symlinks: a directory loop and a self link end, each file scanned once") {
  auto e = TestEngine();
  TempDir d;
  d.Write("sub/a.js", "k = \"" + kKey + "\"\n");
  fs::create_directory_symlink("..", d.path() / "sub/up");  // sub/up/sub/up/... forever
  fs::create_directory_symlink(".", d.path() / "self");
  fs::create_symlink("sub/a.js", d.path() / "alias.js");  // the same file by another name
  lp::ScanOptions o;
  o.follow_symlinks = true;
  auto r = ScanPaths(*e, {d.path().string()}, o);
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].location.path == (d.path() / "sub/a.js").string());  // its own name
  CHECK(r.stats.files == 1);
  // Reported once per directory reached again, as info: nothing was missed.
  const lp::Diagnostic* loop = Find(r, "directory already walked");
  REQUIRE(loop != nullptr);
  CHECK(loop->level == lp::DiagnosticLevel::kInfo);
  CHECK(CountWith(r, "directory already walked") == 1);
}

TEST_CASE("a followed link never walks what holds the root (/proc/self/root, ../..)") {
  auto e = TestEngine();
  TempDir d;
  d.Write("tree/a.js", kKey);
  fs::create_directory_symlink("/proc/self/root", d.path() / "tree/root");
  fs::create_directory_symlink("../..", d.path() / "tree/above");
  fs::create_directory_symlink("/proc/self", d.path() / "tree/proc");
  lp::ScanOptions o;
  o.follow_symlinks = true;
  auto r = ScanPaths(*e, {(d.path() / "tree").string()}, o);
  CHECK(r.findings.size() == 1);
  CHECK(r.stats.files == 1);
  const lp::Diagnostic* out = Find(r, "holding the scanned paths");
  REQUIRE(out != nullptr);
  CHECK(out->level == lp::DiagnosticLevel::kWarning);
  CHECK(out->count == 2);  // root and above
  CHECK(out->location == (d.path() / "tree/above").string());
  const lp::Diagnostic* proc = Find(r, "into /proc or /sys");
  REQUIRE(proc != nullptr);
  CHECK(proc->level == lp::DiagnosticLevel::kWarning);
}

TEST_CASE("a symlinked file outside the tree: a warning unless followed, then scanned") {
  auto e = TestEngine();
  TempDir outside, tree;
  const auto target = outside.Write("secret.env", "K=" + kKey + "\n");
  tree.Write("inside.js", "x\n");
  fs::create_symlink(target, tree.path() / "linked.env");
  auto r = ScanPaths(*e, {tree.path().string()});
  CHECK(r.findings.empty());
  const lp::Diagnostic* w = Find(r, "outside the scanned paths");
  REQUIRE(w != nullptr);
  CHECK(w->level == lp::DiagnosticLevel::kWarning);
  CHECK(w->location == (tree.path() / "linked.env").string());

  lp::ScanOptions o;
  o.follow_symlinks = true;
  auto followed = ScanPaths(*e, {tree.path().string()}, o);
  REQUIRE(followed.findings.size() == 1);
  CHECK(followed.findings[0].location.path == (tree.path() / "linked.env").string());
  CHECK(Find(followed, "outside the scanned paths") == nullptr);

  // Named too, the target is inside the scanned paths: scanned there, no warning.
  auto both = ScanPaths(*e, {tree.path().string(), outside.path().string()});
  CHECK(both.findings.size() == 1);
  CHECK(Find(both, "outside the scanned paths") == nullptr);
}

TEST_CASE("hard links and a path named twice are scanned once") {
  auto e = TestEngine();
  TempDir d;
  const auto a = d.Write("a.js", kKey);
  fs::create_hard_link(a, d.path() / "b.js");
  auto r = ScanPaths(*e, {d.path().string(), a.string()});
  CHECK(r.findings.size() == 1);
  CHECK(r.stats.files == 1);
  CHECK(Find(r, "hard link") != nullptr);
  CHECK(Find(r, "same file as one already scanned") != nullptr);
}

TEST_CASE("an unreadable subdirectory is a warning naming it, not a silent skip") {
  TempDir d;
  d.Write("ok/a.js", "x");
  d.Write("locked/b.js", "x");
  const std::string locked = (d.path() / "locked").string();
  // Root reads every directory: the seam fails the one a user could not read.
  lp::OpenDirFn open_dir = [&](const std::string& path) -> void* {
    if (path == locked) {
      errno = EACCES;
      return nullptr;
    }
    return ::opendir(path.c_str());
  };
  std::vector<std::string> files;
  std::vector<lp::Diagnostic> diags;
  const bool ok = lp::Walk(
      {d.path().string()}, {},
      [&](lp::WalkItem item) {
        files.push_back(item.path);
        return true;
      },
      [&](lp::Diagnostic diag) { diags.push_back(std::move(diag)); }, open_dir);
  CHECK(ok);
  REQUIRE(files.size() == 1);
  CHECK_THAT(files[0], Catch::EndsWith("ok/a.js"));
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].level == lp::DiagnosticLevel::kWarning);
  CHECK(diags[0].location == locked);
  CHECK_THAT(diags[0].message, Catch::Contains("Permission denied"));
  CHECK_THAT(diags[0].message, Catch::Contains("nothing below it was scanned"));
}

TEST_CASE(".leakproofignore at the repository root applies below it, and to named files") {
  auto e = TestEngine();
  TempDir repo;
  fs::create_directories(repo.path() / ".git");
  repo.Write(".leakproofignore", "vendor/\napp/generated/*.js\n");
  const auto kept = repo.Write("app/src/a.js", kKey);
  const auto vendored = repo.Write("app/vendor/v.js", kKey);
  const auto generated = repo.Write("app/generated/g.js", kKey);
  // Scanning a subdirectory still honours the repository's ignore file, with its
  // patterns relative to the repository root.
  auto r = ScanPaths(*e, {(repo.path() / "app").string()});
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].location.path == kept.string());

  // Files named one by one (a pre-commit hook) go through it and --exclude too, and
  // the user is told why nothing came out.
  lp::ScanOptions o;
  o.excludes = {"*.min.js"};
  const auto minified = repo.Write("app/src/x.min.js", kKey);
  auto named =
      ScanPaths(*e, {kept.string(), vendored.string(), generated.string(), minified.string()}, o);
  REQUIRE(named.findings.size() == 1);
  CHECK(named.findings[0].location.path == kept.string());
  const lp::Diagnostic* why = Find(named, "excluded by .leakproofignore");
  REQUIRE(why != nullptr);
  CHECK(why->level == lp::DiagnosticLevel::kInfo);
  CHECK(why->count == 2);
  CHECK(Find(named, "excluded by --exclude") != nullptr);

  o.use_ignore_file = false;
  o.excludes.clear();
  CHECK(ScanPaths(*e, {(repo.path() / "app").string()}, o).findings.size() == 4);
}

TEST_CASE("diagnostics of one kind aggregate into one line with a count and examples") {
  std::vector<lp::Diagnostic> list;
  for (int i = 0; i < 100000; ++i) {
    lp::AddDiagnostic(list, {lp::DiagnosticLevel::kWarning, lp::StatusCode::kLimitExceeded,
                             "bomb.zip!" + std::to_string(i) + ".bin",
                             "zip: compression ratio " + std::to_string(1000 + i % 7) +
                                 ":1 exceeds the limit of 200 (zip bomb?); not extracted"});
  }
  REQUIRE(list.size() == 1);
  CHECK(list[0].count == 100000);
  CHECK(list[0].location == "bomb.zip!0.bin");
  REQUIRE(list[0].examples.size() == lp::kMaxDiagnosticExamples);
  CHECK(list[0].examples[1] == "bomb.zip!1.bin");

  // Past the cap on distinct kinds, the rest share one overflow line keeping the worst
  // level and every count.
  std::vector<lp::Diagnostic> kinds;
  for (std::size_t i = 0; i < lp::kMaxDistinctDiagnostics + 10; ++i) {
    lp::AddDiagnostic(kinds, {i == lp::kMaxDistinctDiagnostics + 5 ? lp::DiagnosticLevel::kError
                                                                   : lp::DiagnosticLevel::kInfo,
                              lp::StatusCode::kCorrupt, "x", "kind " + std::string(1 + i, 'k')});
  }
  REQUIRE(kinds.size() == lp::kMaxDistinctDiagnostics + 1);
  CHECK(kinds.back().count == 10);
  CHECK(kinds.back().level == lp::DiagnosticLevel::kError);
  // Merging aggregated lists adds their counts.
  std::vector<lp::Diagnostic> merged;
  lp::AddDiagnostic(merged, list[0]);
  lp::AddDiagnostic(merged, list[0]);
  REQUIRE(merged.size() == 1);
  CHECK(merged[0].count == 200000);
  CHECK(merged[0].examples.size() == lp::kMaxDiagnosticExamples);
}
