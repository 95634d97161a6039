// ScanGit(): history and index scans of temporary repositories — attribution to the
// introducing commit, blob de-duplication, --staged, archives in history, bare and
// shallow repositories, submodules, corrupt objects, ranges and limits.
#include "leakproof/scanner/git_scan.h"

#include "source/git/run_info.h"
#include "support/git_repo.h"
#include "support/scan_run.h"
#include "support/test_rules.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using leakproof::scanner::Finding;
using leakproof::scanner::GitScanOptions;
using leakproof::scanner::ScanGit;
using leakproof::scanner::ScanOptions;
using leakproof::scanner::ScanResult;
using leakproof::testing::DiagnosticLines;
using leakproof::testing::GitRepo;
using leakproof::testing::TempDir;
using leakproof::testing::TestKey;

namespace {

const leakproof::scanner::Engine& Engine() {
  static const auto engine = leakproof::testing::TestEngine();
  return *engine;
}

ScanResult Run(const std::string& repo, GitScanOptions g = {}, ScanOptions so = {}) {
  g.repo = repo;
  so.threads = 2;
  so.cache_dir = "-";
  auto r = ScanGit(Engine(), so, g);
  REQUIRE(r.ok());
  INFO(DiagnosticLines(*r));
  REQUIRE(r->git.has_value());
  return std::move(r).value();
}

std::string KeyLine(const std::string& key) { return "const key = \"" + key + "\";\n"; }

}  // namespace

TEST_CASE("a key added in commit 2 and deleted in commit 3 is found with commit 2") {
  std::uint32_t seed = 1;
  const std::string key = TestKey(seed);
  GitRepo repo;
  repo.Commit("README.md", "hello\n", "first");
  const std::string c2 = repo.Commit("src/config.js", "// settings\n" + KeyLine(key), "add config",
                                     "Grace Hopper <grace@example.com>");
  repo.Git("rm -q src/config.js");
  repo.CommitStaged("remove the key");

  const ScanResult r = Run(repo.path());
  REQUIRE(r.findings.size() == 1);
  const Finding& f = r.findings[0];
  CHECK(f.secret == key);
  CHECK(f.location.path == "src/config.js");
  CHECK(f.location.line == 2);
  REQUIRE(f.location.commit != nullptr);
  CHECK(f.location.commit->id == c2);
  CHECK(f.location.commit->author == "Grace Hopper");
  CHECK(f.location.commit->email == "grace@example.com");
  CHECK(f.location.commit->summary == "add config");
  CHECK(f.location.commit->date == "2026-01-01T00:02:00Z");  // the fixed test clock, tick 2
  CHECK(r.git->commits == 3);
  CHECK(r.Completeness().complete);
}

TEST_CASE("the same blob in 50 commits is scanned once") {
  std::uint32_t seed = 2;
  const std::string key = TestKey(seed);
  GitRepo repo;
  const std::string first = repo.Commit("copy0.js", KeyLine(key), "copy 0");
  for (int i = 1; i < 50; ++i) {
    repo.Commit("copy" + std::to_string(i) + ".js", KeyLine(key), "copy " + std::to_string(i));
  }
  const ScanResult r = Run(repo.path());
  CHECK(r.git->commits == 50);
  CHECK(r.git->blob_refs == 50);
  CHECK(r.stats.files == 1);  // one distinct blob read and scanned
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].location.commit->id == first);
  CHECK(r.findings[0].location.path == "copy0.js");
}

TEST_CASE("a key kept while other lines of its file change is reported for its first commit") {
  std::uint32_t seed = 3;
  const std::string key = TestKey(seed);
  GitRepo repo;
  const std::string intro = repo.Commit("app.js", KeyLine(key), "add key");
  repo.Commit("app.js", KeyLine(key) + "console.log(1);\n", "log");
  repo.Commit("app.js", KeyLine(key) + "console.log(2);\n", "log more");
  const ScanResult r = Run(repo.path());
  CHECK(r.stats.files == 3);  // three versions of the file, each a distinct blob
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].location.commit->id == intro);
  CHECK(r.git->repeated_findings == 2);
}

TEST_CASE("--staged scans the index: a staged key is found, an unstaged one is not") {
  std::uint32_t seed = 4;
  const std::string staged_key = TestKey(seed);
  const std::string unstaged_key = TestKey(seed);
  const std::string old_key = TestKey(seed);
  GitRepo repo;
  repo.Commit("old.js", KeyLine(old_key), "history holds a key the index does not change");
  repo.dir().Write("staged.js", KeyLine(staged_key));
  repo.Git("add staged.js");
  repo.dir().Write("unstaged.js", KeyLine(unstaged_key));  // in the work tree only
  repo.dir().Write("staged.js", KeyLine(staged_key) + KeyLine(unstaged_key));  // not re-added

  GitScanOptions g;
  g.staged = true;
  const ScanResult r = Run(repo.path(), g);
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].secret == staged_key);
  CHECK(r.findings[0].location.path == "staged.js");
  CHECK(r.findings[0].location.commit == nullptr);
  CHECK(r.git->staged);
  CHECK(r.stats.files == 1);
}

TEST_CASE("--staged works before the first commit") {
  std::uint32_t seed = 5;
  const std::string key = TestKey(seed);
  GitRepo repo;
  repo.dir().Write("first.js", KeyLine(key));
  repo.Git("add first.js");
  GitScanOptions g;
  g.staged = true;
  const ScanResult r = Run(repo.path(), g);
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].secret == key);
}

TEST_CASE("a key inside a committed zip is found as path!member with its commit") {
  std::uint32_t seed = 6;
  const std::string key = TestKey(seed);
  GitRepo repo;
  repo.Commit("README.md", "x\n", "init");
  repo.dir().Write("staging/config.js", KeyLine(key));
  leakproof::testing::RunShellIn(
      repo.dir(),
      "mkdir -p dist && cd staging && python3 -c \"import zipfile; "
      "z = zipfile.ZipFile('../dist/bundle.zip', 'w', zipfile.ZIP_DEFLATED); "
      "z.write('config.js'); z.close()\" && cd .. && rm -r staging");
  repo.Git("add dist");
  const std::string c = repo.CommitStaged("ship the bundle");
  const ScanResult r = Run(repo.path());
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].location.path == "dist/bundle.zip!config.js");
  REQUIRE(r.findings[0].location.commit != nullptr);
  CHECK(r.findings[0].location.commit->id == c);
}

TEST_CASE("a bare repository is scanned like its work tree") {
  std::uint32_t seed = 7;
  const std::string key = TestKey(seed);
  GitRepo repo;
  const std::string c = repo.Commit("k.js", KeyLine(key), "key");
  TempDir bare_parent;
  const std::string bare = (bare_parent.path() / "bare.git").string();
  repo.Git("clone -q --bare . '" + bare + "'");
  const ScanResult r = Run(bare);
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].location.commit->id == c);
  GitScanOptions staged;
  staged.staged = true;
  staged.repo = bare;
  CHECK_FALSE(ScanGit(Engine(), ScanOptions{}, staged).ok());  // no index to scan
}

TEST_CASE("--range A..B and --since REV scan only the commits after A") {
  std::uint32_t seed = 8;
  const std::string old_key = TestKey(seed);
  const std::string new_key = TestKey(seed);
  GitRepo repo;
  const std::string a = repo.Commit("old.js", KeyLine(old_key), "old");
  const std::string b = repo.Commit("new.js", KeyLine(new_key), "new");
  repo.Commit("other.txt", "nothing\n", "after");

  GitScanOptions range;
  range.range = a + ".." + b;
  ScanResult r = Run(repo.path(), range);
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].secret == new_key);
  CHECK(r.git->commits == 1);
  CHECK(r.git->revision_id == b);

  GitScanOptions since;
  since.since = a;
  r = Run(repo.path(), since);
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].secret == new_key);
  CHECK(r.git->commits == 2);

  GitScanOptions bad;
  bad.repo = repo.path();
  bad.range = "no-such-rev..HEAD";
  CHECK_FALSE(ScanGit(Engine(), ScanOptions{}, bad).ok());
}

TEST_CASE("--all walks every branch, not only HEAD's") {
  std::uint32_t seed = 9;
  const std::string key = TestKey(seed);
  GitRepo repo;
  repo.Commit("a.txt", "a\n", "base");
  repo.Git("checkout -q -b feature");
  repo.Commit("k.js", KeyLine(key), "feature key");
  repo.Git("checkout -q main");
  CHECK(Run(repo.path()).findings.empty());
  GitScanOptions all;
  all.all = true;
  CHECK(Run(repo.path(), all).findings.size() == 1);
}

TEST_CASE("a shallow clone's walk stops at its boundary, with a note") {
  std::uint32_t seed = 10;
  const std::string old_key = TestKey(seed);
  const std::string new_key = TestKey(seed);
  GitRepo repo;
  repo.Commit("old.js", KeyLine(old_key), "1");
  repo.Commit("a.txt", "a\n", "2");
  repo.Commit("new.js", KeyLine(new_key), "3");
  TempDir parent;
  const std::string shallow = (parent.path() / "shallow").string();
  repo.Git("clone -q --depth 2 'file://" + repo.path() + "' '" + shallow + "'");
  const ScanResult r = Run(shallow);
  CHECK(r.git->shallow);
  CHECK(r.git->commits == 2);
  // The boundary commit is diffed against the empty tree: what it holds is scanned.
  CHECK(r.findings.size() == 2);
  CHECK_THAT(DiagnosticLines(r), Catch::Contains("shallow clone"));
  CHECK(r.Completeness().complete);  // nothing present was skipped
}

TEST_CASE("a submodule is reported, not followed") {
  GitRepo repo;
  repo.Commit("a.txt", "a\n", "base");
  repo.Git(
      "update-index --add --cacheinfo 160000,1111111111111111111111111111111111111111,vendor/lib");
  repo.CommitStaged("add submodule");
  const ScanResult r = Run(repo.path());
  CHECK_THAT(DiagnosticLines(r), Catch::Contains("vendor/lib: submodule"));
  CHECK(r.Completeness().complete);
}

TEST_CASE("a corrupt object is a diagnostic and an incomplete run, not a crash") {
  std::uint32_t seed = 11;
  const std::string key = TestKey(seed);
  GitRepo repo;
  repo.Commit("good.js", KeyLine(key), "good");
  repo.Commit("bad.txt", "this blob gets corrupted\n", "bad");
  const std::string blob = repo.GitOut("rev-parse HEAD:bad.txt");
  const auto object = repo.dir().path() / ".git" / "objects" / blob.substr(0, 2) / blob.substr(2);
  std::filesystem::permissions(object, std::filesystem::perms::owner_write,
                               std::filesystem::perm_options::add);
  std::ofstream(object, std::ios::binary | std::ios::trunc) << "not zlib at all";
  const ScanResult r = Run(repo.path());
  CHECK(r.findings.size() == 1);  // the rest of history is still scanned
  CHECK_FALSE(r.Completeness().complete);
  CHECK_THAT(DiagnosticLines(r), Catch::Contains(blob));
}

TEST_CASE("a missing commit object is a diagnostic and an incomplete run") {
  std::uint32_t seed = 12;
  const std::string key = TestKey(seed);
  GitRepo repo;
  const std::string first = repo.Commit("a.txt", "a\n", "first");
  repo.Commit("k.js", KeyLine(key), "key");
  std::filesystem::remove(repo.dir().path() / ".git" / "objects" / first.substr(0, 2) /
                          first.substr(2));
  const ScanResult r = Run(repo.path());
  CHECK(r.findings.size() == 1);
  CHECK_FALSE(r.Completeness().complete);
  CHECK_THAT(DiagnosticLines(r), Catch::Contains(first));
}

TEST_CASE("git scans keep --max-file-size, --exclude and .leakproofignore") {
  std::uint32_t seed = 13;
  const std::string big_key = TestKey(seed);
  const std::string vendored_key = TestKey(seed);
  const std::string ignored_key = TestKey(seed);
  GitRepo repo;
  repo.Commit("big.js", KeyLine(big_key) + std::string(4096, 'x') + "\n", "big");
  repo.Commit("vendor/lib.js", KeyLine(vendored_key), "vendored");
  repo.Commit("fixtures/keys.js", KeyLine(ignored_key), "fixtures");
  repo.Commit(".leakproofignore", "fixtures/\n", "ignore fixtures");
  ScanOptions so;
  so.limits.max_file_bytes = 1024;
  so.excludes = {"vendor/"};
  const ScanResult r = Run(repo.path(), {}, so);
  CHECK(r.findings.empty());
  CHECK_THAT(DiagnosticLines(r), Catch::Contains("--max-file-size"));
  CHECK_FALSE(r.Completeness().complete);  // the big blob was not scanned: said so
}

TEST_CASE("an empty repository has nothing to scan; a non-repository is an error") {
  GitRepo repo;
  const ScanResult r = Run(repo.path());
  CHECK(r.findings.empty());
  CHECK(r.git->commits == 0);
  TempDir not_repo;
  GitScanOptions g;
  g.repo = not_repo.path().string();
  auto bad = ScanGit(Engine(), ScanOptions{}, g);
  CHECK_FALSE(bad.ok());
}

TEST_CASE("remote URLs are published without credentials, local paths not at all") {
  using leakproof::scanner::git::PublishableRemoteUri;
  CHECK(PublishableRemoteUri("https://github.com/org/repo.git") ==
        "https://github.com/org/repo.git");
  CHECK(PublishableRemoteUri("https://user:tok3n@github.com/org/repo.git") ==
        "https://github.com/org/repo.git");
  CHECK(PublishableRemoteUri("git@github.com:org/repo.git") == "ssh://github.com/org/repo.git");
  CHECK(PublishableRemoteUri("ssh://git@host:2222/x") == "ssh://host:2222/x");
  CHECK(PublishableRemoteUri("/srv/git/repo.git").empty());
  CHECK(PublishableRemoteUri("file:///srv/git/repo.git").empty());
  CHECK(PublishableRemoteUri("./relative/path").empty());
}
