// `leakproof git` end to end: exit codes, provenance in every format, the shared scan
// flags (baseline, allow comments, fail-on), corrupt objects (exit 3) and usage errors.
#include "cli/cli_support.h"
#include "support/git_repo.h"
#include "support/test_rules.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

using leakproof::testing::GitRepo;
using leakproof::testing::RunLeakproof;
using leakproof::testing::TempDir;

namespace {

// A GitHub classic token shape (built-in pack), assembled so no literal looks like one.
const std::string kGithub = std::string("ghp_") + "R8mK2xQ9vLp4TzW7nYb3HcJ6dF1sA5gE0uNi";

std::string Q(const std::string& p) { return "'" + p + "'"; }

// A repository whose second commit (by Grace) adds a key that the third deletes.
struct KeyHistory {
  GitRepo repo;
  std::string added;
  KeyHistory() {
    repo.Commit("README.md", "hello\n", "first");
    added = repo.Commit("src/api.js", "const t = \"" + kGithub + "\";\n", "add api client",
                        "Grace Hopper <grace@example.com>");
    repo.Git("rm -q src/api.js");
    repo.CommitStaged("drop the token");
  }
};

}  // namespace

TEST_CASE("git: text shows the commit, author and date; exit 1") {
  KeyHistory h;
  auto r = RunLeakproof("git --color never " + Q(h.repo.path()));
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find(kGithub) == std::string::npos);
  CHECK_THAT(r.out, Catch::Contains(h.added.substr(0, 7) + ":src/api.js"));
  CHECK_THAT(r.out,
             Catch::Contains("commit " + h.added.substr(0, 7) +
                             " by Grace Hopper <grace@example.com> on 2026-01-01T00:02:00Z"));
  CHECK_THAT(r.out, Catch::Contains("of 3 commits"));
}

TEST_CASE("git: JSON and JSONL carry the commit object and the git block") {
  KeyHistory h;
  auto r = RunLeakproof("git --format json " + Q(h.repo.path()));
  REQUIRE(r.exit_code == 1);
  auto j = nlohmann::json::parse(r.out);
  REQUIRE(j["findings"].size() == 1);
  const auto& c = j["findings"][0]["commit"];
  CHECK(c["id"] == h.added);
  CHECK(c["author"] == "Grace Hopper");
  CHECK(c["email"] == "grace@example.com");
  CHECK(c["date"] == "2026-01-01T00:02:00Z");
  CHECK(c["summary"] == "add api client");
  CHECK(j["findings"][0]["location"]["path"] == "src/api.js");
  CHECK(j["git"]["commits"] == 3);
  CHECK(j["git"]["blobs_scanned"] == 2);

  auto l = RunLeakproof("git --format jsonl " + Q(h.repo.path()));
  REQUIRE(l.exit_code == 1);
  auto first = nlohmann::json::parse(l.out.substr(0, l.out.find('\n')));
  CHECK(first["commit"]["id"] == h.added);
}

TEST_CASE("git: SARIF has versionControlProvenance and per-result commit properties") {
  KeyHistory h;
  h.repo.Git("remote add origin https://builder:s3cr3t@github.com/example/app.git");
  auto r = RunLeakproof("git --format sarif " + Q(h.repo.path()));
  REQUIRE(r.exit_code == 1);
  CHECK(r.out.find("s3cr3t") == std::string::npos);  // credentials in the remote stay private
  auto j = nlohmann::json::parse(r.out);
  const auto& run = j["runs"][0];
  REQUIRE(run.contains("versionControlProvenance"));
  CHECK(run["versionControlProvenance"][0]["repositoryUri"] ==
        "https://github.com/example/app.git");
  CHECK(run["versionControlProvenance"][0]["revisionId"] == h.repo.GitOut("rev-parse HEAD"));
  CHECK(run["versionControlProvenance"][0]["branch"] == "main");
  const auto& props = run["results"][0]["properties"];
  CHECK(props["commit"] == h.added);
  CHECK(props["author"] == "Grace Hopper <grace@example.com>");
  CHECK(props["date"] == "2026-01-01T00:02:00Z");
}

TEST_CASE("git: JUnit names the commit in the message") {
  KeyHistory h;
  auto r = RunLeakproof("git --format junit " + Q(h.repo.path()));
  REQUIRE(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::Contains("commit " + h.added.substr(0, 7) + " by Grace Hopper"));
}

TEST_CASE("git: baseline, allow comments and --fail-on work as in scan") {
  KeyHistory h;
  TempDir d;
  const std::string baseline = (d.path() / "baseline.json").string();
  auto w = RunLeakproof("git --write-baseline " + Q(baseline) + " " + Q(h.repo.path()));
  CHECK(w.exit_code == 1);
  auto b = RunLeakproof("git --baseline " + Q(baseline) + " " + Q(h.repo.path()));
  INFO(b.out << b.err);
  CHECK(b.exit_code == 0);
  CHECK(RunLeakproof("git --fail-on none " + Q(h.repo.path())).exit_code == 0);
  // A repeatable option takes one value: the repository after it stays the repository.
  auto ex = RunLeakproof("git --format json --exclude '*.md' " + Q(h.repo.path()));
  CHECK(ex.exit_code == 1);
  CHECK_THAT(ex.out, Catch::Contains(kGithub.substr(0, 4)));

  GitRepo allowed;
  allowed.Commit("a.js", "const t = \"" + kGithub + "\"; // leakproof:allow test fixture\n",
                 "allowed");
  CHECK(RunLeakproof("git " + Q(allowed.path())).exit_code == 0);
}

TEST_CASE("git --staged: what a pre-commit hook sees") {
  GitRepo repo;
  repo.Commit("README.md", "hello\n", "first");
  repo.dir().Write("unstaged.js", "const t = \"" + kGithub + "\";\n");
  CHECK(RunLeakproof("git --staged " + Q(repo.path())).exit_code == 0);
  repo.Git("add unstaged.js");
  auto r = RunLeakproof("git --staged --format json " + Q(repo.path()));
  CHECK(r.exit_code == 1);
  auto j = nlohmann::json::parse(r.out);
  REQUIRE(j["findings"].size() == 1);
  CHECK_FALSE(j["findings"][0].contains("commit"));
  CHECK(j["git"]["staged"] == true);
}

TEST_CASE("git: a corrupt object exits 3 with a diagnostic; bad usage exits 2") {
  GitRepo repo;
  repo.Commit("a.txt", "fine\n", "fine");
  repo.Commit("bad.txt", "to be corrupted\n", "bad");
  const std::string blob = repo.GitOut("rev-parse HEAD:bad.txt");
  const auto object = repo.dir().path() / ".git" / "objects" / blob.substr(0, 2) / blob.substr(2);
  std::filesystem::permissions(object, std::filesystem::perms::owner_write,
                               std::filesystem::perm_options::add);
  std::ofstream(object, std::ios::binary | std::ios::trunc) << "garbage";
  auto r = RunLeakproof("git " + Q(repo.path()));
  INFO(r.out << r.err);
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.out + r.err, Catch::Contains(blob));

  TempDir not_repo;
  auto n = RunLeakproof("git " + Q(not_repo.path().string()));
  CHECK(n.exit_code == 2);
  CHECK_THAT(n.err, Catch::Contains("not a git repository"));
  CHECK(RunLeakproof("git --staged --range a..b " + Q(repo.path())).exit_code == 2);
  CHECK(RunLeakproof("git --range HEAD " + Q(repo.path())).exit_code == 2);
}
