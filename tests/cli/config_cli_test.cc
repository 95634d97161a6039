// `.leakproof.toml`, LEAKPROOF_* and `leakproof config show` end to end: discovery,
// precedence flag > env > file > default, bad values and unknown keys.
#include "cli/cli_support.h"
#include "support/test_rules.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using leakproof::testing::RunLeakproof;
using leakproof::testing::RunLeakproofWith;
using leakproof::testing::TempDir;

namespace {

// A GitHub classic token shape (built-in pack), built from pieces.
const std::string kGithub = std::string("ghp_") + "R8mK2xQ9vLp4TzW7nYb3" + "HcJ6dF1sA5gE0uNi";

std::string Q(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

// A repository-shaped tree: `.git/` at the root, a leak in leak/a.js.
struct Repo {
  TempDir dir;
  std::filesystem::path leak;
  Repo() {
    std::filesystem::create_directories(dir.path() / ".git");
    leak = dir.Write("leak/a.js", "const t = \"" + kGithub + "\";\n");
  }
  std::filesystem::path Config(const std::string& text, const std::string& where = "") const {
    return dir.Write(where + ".leakproof.toml", text);
  }
};

// The `config show` line for `key` ("" when absent).
std::string ShowLine(const std::string& out, const std::string& key) {
  const std::string start = key + " = ";
  std::size_t pos = 0;
  while (pos < out.size()) {
    std::size_t end = out.find('\n', pos);
    if (end == std::string::npos) end = out.size();
    if (out.compare(pos, start.size(), start) == 0) return out.substr(pos, end - pos);
    pos = end + 1;
  }
  return "";
}

}  // namespace

TEST_CASE("precedence per key: flag over env over file over default") {
  Repo r;
  const auto file = r.Config("fail-on = \"none\"\nformat = \"json\"\n");
  const std::string root = Q(r.dir.path());

  // Default: a secret fails the run. File: fail-on none passes it.
  CHECK(RunLeakproof("scan --no-config --format json " + root).exit_code == 1);
  auto from_file = RunLeakproof("scan " + root);
  CHECK(from_file.exit_code == 0);
  CHECK(nlohmann::json::parse(from_file.out)["findings"].size() == 1);  // format from the file
  // Env over file.
  CHECK(RunLeakproofWith("LEAKPROOF_FAIL_ON=secret", "scan " + root).exit_code == 1);
  // Flag over env and file.
  CHECK(RunLeakproofWith("LEAKPROOF_FAIL_ON=secret", "scan --fail-on none " + root).exit_code == 0);
  CHECK(RunLeakproofWith("LEAKPROOF_FAIL_ON=none", "scan --fail-on secret " + root).exit_code == 1);

  auto show =
      RunLeakproofWith("LEAKPROOF_FAIL_ON=conditional", "config show --format sarif " + root);
  REQUIRE(show.exit_code == 0);
  CHECK_THAT(ShowLine(show.out, "format"),
             Catch::StartsWith("format = \"sarif\" ") && Catch::EndsWith("# flag"));
  CHECK_THAT(ShowLine(show.out, "fail-on"), Catch::EndsWith("# env:LEAKPROOF_FAIL_ON"));
  CHECK_THAT(ShowLine(show.out, "fail-on"), Catch::StartsWith("fail-on = \"conditional\""));
  CHECK_THAT(ShowLine(show.out, "threads"), Catch::EndsWith("# default"));
  CHECK_THAT(show.out, Catch::Contains("# config file: " + file.string() + " (scanned root)"));

  auto show_file = RunLeakproof("config show " + root);
  CHECK_THAT(ShowLine(show_file.out, "fail-on"),
             Catch::StartsWith("fail-on = \"none\"") && Catch::EndsWith("# file:" + file.string()));
}

TEST_CASE("the file is found in the scanned root, else at the enclosing git root") {
  Repo r;
  r.Config("fail-on = \"none\"\n");
  const auto sub = r.dir.path() / "leak";
  // Scanning a subdirectory (or a file in it) uses the repository's file.
  CHECK(RunLeakproof("scan " + Q(sub)).exit_code == 0);
  CHECK(RunLeakproof("scan " + Q(r.leak)).exit_code == 0);
  CHECK(RunLeakproof("scan --no-config " + Q(sub)).exit_code == 1);
  // A file in the scanned root wins, whole: the git root's is not merged in.
  r.Config("format = \"jsonl\"\n", "leak/");
  auto own = RunLeakproof("scan " + Q(sub));
  CHECK(own.exit_code == 1);
  CHECK_THAT(own.out, Catch::StartsWith("{"));
  // Outside any git tree only the scanned root counts.
  TempDir plain;
  plain.Write("a/.leakproof.toml", "fail-on = \"none\"\n");
  const auto leak = plain.Write("a/b/k.js", "x=\"" + kGithub + "\"\n");
  CHECK(RunLeakproof("scan " + Q(leak.parent_path())).exit_code == 1);
  CHECK(RunLeakproof("scan " + Q(plain.path() / "a")).exit_code == 0);
  // Several paths: the first one chooses.
  CHECK(RunLeakproof("scan " + Q(plain.path() / "a") + " " + Q(leak)).exit_code == 0);
  CHECK(RunLeakproof("scan " + Q(leak) + " " + Q(plain.path() / "a")).exit_code == 1);
}

TEST_CASE("--config-file names the file; a missing one is an error") {
  Repo r;
  TempDir elsewhere;
  const auto file = elsewhere.Write("ci.toml", "fail-on = \"none\"\n");
  CHECK(RunLeakproof("scan --config-file " + Q(file) + " " + Q(r.dir.path())).exit_code == 0);
  CHECK(RunLeakproofWith("LEAKPROOF_CONFIG_FILE=" + Q(file), "scan " + Q(r.dir.path())).exit_code ==
        0);
  auto missing = RunLeakproof("scan --config-file " + Q(elsewhere.path() / "nope.toml") + " " +
                              Q(r.dir.path()));
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Catch::Contains("nope.toml"));
}

TEST_CASE("paths and lists in the file: relative to the file, lists replace") {
  Repo r;
  // Accept the leak into a baseline beside the config, then name it relatively.
  REQUIRE(RunLeakproof("scan --no-config --write-baseline " + Q(r.dir.path() / "lp-base.json") +
                       " " + Q(r.dir.path()))
              .exit_code == 1);
  r.Config("baseline = \"lp-base.json\"\n");
  CHECK(RunLeakproof("scan " + Q(r.dir.path())).exit_code == 0);

  r.Config("exclude = [\"leak/**\", \"other/**\"]\n");
  CHECK(RunLeakproof("scan " + Q(r.dir.path())).exit_code == 0);
  // LEAKPROOF_EXCLUDE (comma-separated) replaces the file's list instead of adding to it.
  CHECK(RunLeakproofWith("LEAKPROOF_EXCLUDE='x/**,y/**'", "scan " + Q(r.dir.path())).exit_code ==
        1);
  auto show = RunLeakproof("config show " + Q(r.dir.path()));
  CHECK_THAT(ShowLine(show.out, "exclude"),
             Catch::StartsWith("exclude = [\"leak/**\", \"other/**\"]"));
}

TEST_CASE("a bad value stops the run with one line naming the file and key") {
  Repo r;
  const std::string root = Q(r.dir.path());
  struct Case {
    std::string text, key;
  };
  for (const Case& c : std::vector<Case>{{"threads = 0\n", "threads"},
                                         {"max-file-size = \"10XB\"\n", "max-file-size"},
                                         {"fail-on = \"sometimes\"\n", "fail-on"},
                                         {"format = \"yaml\"\n", "format"},
                                         {"exclude = 5\n", "exclude"},
                                         {"allow-incomplete = \"yes\"\n", "allow-incomplete"},
                                         {"\n\nrules = [\"missing-rules.toml\"]\n", "rules"}}) {
    INFO(c.text);
    const auto file = r.Config(c.text);
    auto res = RunLeakproof("scan " + root);
    CHECK(res.exit_code == 2);
    CHECK_THAT(res.err,
               Catch::Contains(file.string() + ":") && Catch::Contains("key '" + c.key + "'"));
    CHECK(std::count(res.err.begin(), res.err.end(), '\n') == 1);
    CHECK(res.out.empty());
  }
  r.Config("fail-on = \"none\"\nthreads = [\n");  // TOML syntax error
  auto syntax = RunLeakproof("scan " + root);
  CHECK(syntax.exit_code == 2);
  CHECK_THAT(syntax.err, Catch::Contains(".leakproof.toml:") && Catch::Contains("TOML syntax"));
  // The environment is named the same way.
  r.Config("");
  auto env = RunLeakproofWith("LEAKPROOF_THREADS=abc", "scan " + root);
  CHECK(env.exit_code == 2);
  CHECK_THAT(env.err, Catch::Contains("LEAKPROOF_THREADS"));
}

TEST_CASE("unknown keys warn with the key and file; redaction cannot be turned off") {
  Repo r;
  const auto file = r.Config("fail-on = \"any\"\nfial-on = \"none\"\nno-redact = true\n");
  auto res = RunLeakproof("scan --color never " + Q(r.dir.path()));
  CHECK(res.exit_code == 1);  // the run goes on, with the keys it knows
  CHECK_THAT(res.err, Catch::Contains(file.string() + ":2: key 'fial-on' is not a setting"));
  CHECK_THAT(res.err, Catch::Contains("key 'no-redact' cannot be set in a file"));
  CHECK(res.out.find(kGithub) == std::string::npos);
  CHECK_THAT(res.out, Catch::Contains("ghp_\xE2\x80\xA6"));
}
