// `leakproof scan` end to end: exit codes, formats, redaction, stdin, baselines.
#include "cli/cli_support.h"
#include "support/test_rules.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using leakproof::testing::RunLeakproof;
using leakproof::testing::TempDir;

namespace {

// A GitHub classic token shape: built-in pack.
const std::string kGithub = "ghp_R8mK2xQ9vLp4TzW7nYb3HcJ6dF1sA5gE0uNi";

std::string Q(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

}  // namespace

TEST_CASE("exit codes: 0 clean, 1 secret found, 2 usage or input error") {
  TempDir d;
  const auto clean = d.Write("clean/a.js", "console.log('hello');\n");
  const auto leak = d.Write("leak/a.js", "const t = \"" + kGithub + "\";\n");
  CHECK(RunLeakproof("scan " + Q(clean.parent_path())).exit_code == 0);
  auto r = RunLeakproof("scan " + Q(leak.parent_path()));
  CHECK(r.exit_code == 1);
  CHECK(RunLeakproof("scan --fail-on none " + Q(leak.parent_path())).exit_code == 0);
  CHECK(RunLeakproof("scan " + Q(d.path() / "missing")).exit_code == 2);
  CHECK(RunLeakproof("scan --format yaml " + Q(clean)).exit_code == 2);
  CHECK(RunLeakproof("scan").exit_code == 2);
}

TEST_CASE("text output is redacted and says where and what to do") {
  TempDir d;
  const auto leak = d.Write("a.js", "x\nconst t = \"" + kGithub + "\";\n");
  auto r = RunLeakproof("scan --color never " + Q(leak));
  CHECK(r.out.find(kGithub) == std::string::npos);
  CHECK_THAT(r.out, Catch::Contains("ghp_\xE2\x80\xA6"));
  CHECK_THAT(r.out, Catch::Contains(leak.string() + ":2:12"));
  CHECK_THAT(r.out, Catch::Contains("rotate"));
  auto full = RunLeakproof("scan --no-redact --color never " + Q(leak));
  CHECK_THAT(full.out, Catch::Contains(kGithub));
}

TEST_CASE("json report follows docs/report-format.md and never holds the full secret") {
  TempDir d;
  const auto leak =
      d.Write("a.js", "fetch('https://api.github.com/user',{headers:{Authorization:'token " +
                          kGithub + "'}})\n");
  auto r = RunLeakproof("scan --format json " + Q(leak));
  REQUIRE(r.exit_code == 1);
  CHECK(r.out.find(kGithub) == std::string::npos);
  auto j = nlohmann::json::parse(r.out);
  REQUIRE(j["findings"].size() >= 1);
  const auto& f = j["findings"][0];
  CHECK(f["provider"] == "github");
  CHECK(f["class"] == "secret");
  CHECK(f["secret"] == "ghp_\xE2\x80\xA6");
  CHECK(f["location"]["path"] == leak.string());
  CHECK(f["location"]["line"] == 1);
  CHECK(f["fingerprint"].get<std::string>().size() == 16);
  CHECK(f["context_urls"][0] == "https://api.github.com/user");
  CHECK(j["stats"]["files"] == 1);
  CHECK(j.contains("diagnostics"));
}

TEST_CASE("sarif 2.1.0 with rules in tool.driver and partial fingerprints") {
  TempDir d;
  const auto leak = d.Write("a.js", "const t = \"" + kGithub + "\";\n");
  auto r = RunLeakproof("scan --format sarif " + Q(leak));
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["version"] == "2.1.0");
  const auto& run = j["runs"][0];
  REQUIRE(run["tool"]["driver"]["rules"].size() >= 1);
  const auto& res = run["results"][0];
  CHECK(res["ruleId"] == run["tool"]["driver"]["rules"][res["ruleIndex"].get<int>()]["id"]);
  CHECK(res["partialFingerprints"]["leakproofLocation/v2"].is_string());
  CHECK(res["locations"][0]["physicalLocation"]["region"]["startLine"] == 1);
  CHECK(r.out.find(kGithub) == std::string::npos);
}

TEST_CASE("jsonl and junit formats") {
  TempDir d;
  const auto leak = d.Write("a.js", "const t = \"" + kGithub + "\";\n");
  auto l = RunLeakproof("scan --format jsonl " + Q(leak));
  CHECK_THAT(l.out,
             Catch::Contains("\"type\":\"finding\"") && Catch::Contains("\"type\":\"summary\""));
  auto ju = RunLeakproof("scan --format junit " + Q(leak));
  CHECK_THAT(ju.out, Catch::Contains("<testsuites") && Catch::Contains("<failure"));
  CHECK(ju.out.find(kGithub) == std::string::npos);
}

TEST_CASE("stdin is scanned with '-'") {
  auto r = RunLeakproof("scan --format json -", "token=" + kGithub + "\n");
  CHECK(r.exit_code == 1);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["findings"][0]["location"]["path"] == "-");
}

TEST_CASE("--write-baseline then --baseline accepts known findings") {
  TempDir d;
  const auto leak = d.Write("src/a.js", "const t = \"" + kGithub + "\";\n");
  const auto base = d.path() / "baseline.json";
  CHECK(RunLeakproof("scan --write-baseline " + Q(base) + " " + Q(leak)).exit_code == 1);
  CHECK(RunLeakproof("scan --baseline " + Q(base) + " " + Q(leak)).exit_code == 0);
  CHECK(RunLeakproof("scan --baseline " + Q(d.path() / "nope.json") + " " + Q(leak)).exit_code ==
        2);
}

TEST_CASE("user rule files add rules; invalid ones name file, line and rule") {
  TempDir d;
  const auto rules = d.Write("my.toml", R"([[rules]]
id = "acme.token"
name = "ACME token"
class = "secret"
severity = "high"
regex = '''\b(acme_[a-z0-9]{20})\b'''
)");
  const auto leak = d.Write("a.txt", "acme_k3j9x2m7q8w4e6r1t5y0\n");
  auto r = RunLeakproof("scan --rules " + Q(rules) + " --format json " + Q(leak));
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::Contains("acme.token"));
  const auto bad = d.Write("bad.toml", "[[rules]]\nid = \"acme.bad\"\nregex = '''\\b(acme'''\n");
  auto b = RunLeakproof("scan --rules " + Q(bad) + " " + Q(leak));
  CHECK(b.exit_code == 2);
  CHECK_THAT(b.err, Catch::Contains("bad.toml") && Catch::Contains("acme.bad"));
}

TEST_CASE("gitleaks configs are imported with --config") {
  TempDir d;
  const auto cfg = d.Write("gitleaks.toml", R"(title = "custom"
[[rules]]
id = "internal-token"
description = "Internal token"
regex = '''itk_[0-9a-f]{24}'''
keywords = ["itk_"]
[[rules]]
id = "only-paths"
path = '''\.pem$'''
)");
  const auto leak = d.Write("a.txt", "key: itk_9f2a6c1e7b3d8a0f4c5e2b91\n");
  auto r = RunLeakproof("scan --config " + Q(cfg) + " --format json " + Q(leak));
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::Contains("gitleaks.internal-token"));
  CHECK_THAT(r.err, Catch::Contains("only-paths"));  // reported, not silently dropped
}

TEST_CASE("rules list and check run on the built-in pack") {
  auto list = RunLeakproof("rules list --format json");
  REQUIRE(list.exit_code == 0);
  auto j = nlohmann::json::parse(list.out);
  CHECK(j["count"].get<int>() >= 25);
  auto check = RunLeakproof("rules check");
  INFO(check.out);
  CHECK(check.exit_code == 0);
}
