// `leakproof merge`: reports of several scans (json, jsonl, sarif) into one, each finding
// tagged with its scan and app, the same secret counted across apps; bad inputs named.
#include "cli/cli_support.h"
#include "support/headless_chromium.h"
#include "support/test_rules.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

using leakproof::testing::CountOf;
using leakproof::testing::HeadlessChromium;
using leakproof::testing::RunLeakproof;
using leakproof::testing::TempDir;

namespace {

const std::string kGithub = std::string("ghp_") + "R8mK2xQ9vLp4TzW7nYb3HcJ6dF1sA5gE0uNi";
const std::string kSlack =
    std::string("xoxb-") + "5531208875-4420918123456-Zk8qTm2RvXb7LpN4cWd9Hs3J";

std::string Q(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

std::string Slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Three "apps": the GitHub token ships in all three, the Slack token in one.
struct ThreeScans {
  TempDir d;
  std::filesystem::path a_json, b_jsonl, c_sarif, c_json;
  ThreeScans() {
    d.Write("shop/www/main.js", "const t = \"" + kGithub + "\";\nconst s = \"" + kSlack + "\";\n");
    d.Write("bank/www/app.js", "x = '" + kGithub + "';\n");
    d.Write("news/www/news.js", "y = '" + kGithub + "';\n");
    a_json = d.path() / "shop.json";
    b_jsonl = d.path() / "bank.jsonl";
    c_sarif = d.path() / "news.sarif";
    c_json = d.path() / "news.json";
    const std::string common = "scan -q --sort --fail-on none ";
    REQUIRE(
        RunLeakproof(common + "-f json -o " + Q(a_json) + " " + Q(d.path() / "shop")).exit_code ==
        0);
    REQUIRE(
        RunLeakproof(common + "-f jsonl -o " + Q(b_jsonl) + " " + Q(d.path() / "bank")).exit_code ==
        0);
    REQUIRE(
        RunLeakproof(common + "-f sarif -o " + Q(c_sarif) + " " + Q(d.path() / "news")).exit_code ==
        0);
    REQUIRE(
        RunLeakproof(common + "-f json -o " + Q(c_json) + " " + Q(d.path() / "news")).exit_code ==
        0);
  }
};

}  // namespace

TEST_CASE("merge tags findings with their scan and counts one key across apps") {
  ThreeScans s;
  auto r = RunLeakproof("merge -q " + Q(s.a_json) + " " + Q(s.b_jsonl) + " " + Q(s.c_json));
  REQUIRE(r.exit_code == 0);
  auto doc = nlohmann::json::parse(r.out);
  REQUIRE(doc["scans"].size() == 3);
  CHECK(doc["scans"][0]["format"] == "json");
  CHECK(doc["scans"][1]["format"] == "jsonl");
  REQUIRE(doc["findings"].size() == 4);
  std::map<std::string, int> per_app;
  for (const auto& f : doc["findings"]) {
    per_app[f["scan"]["app"]]++;
    if (f["provider"] == "github") {
      CHECK(f["apps"] == 3);
      CHECK(f["copies"] == 3);
    } else {
      CHECK(f["apps"] == 1);
    }
    CHECK(f["secret"].get<std::string>().find(kGithub) == std::string::npos);
  }
  CHECK(per_app == std::map<std::string, int>{{"shop", 2}, {"bank", 1}, {"news", 1}});
  REQUIRE(doc["per_app"].size() == 3);
  CHECK(doc["per_app"][0]["app"] == "shop");
  CHECK(doc["per_app"][0]["findings"] == 2);
  REQUIRE(doc["shared"].size() == 1);
  CHECK(doc["shared"][0]["app_count"] == 3);
  CHECK(doc["shared"][0]["provider"] == "github");
  CHECK(doc["stats"]["findings"] == 4);
  CHECK(doc["stats"]["files"] == 3);
  CHECK(doc["complete"] == true);

  auto text =
      RunLeakproof("merge -q -f text " + Q(s.a_json) + " " + Q(s.b_jsonl) + " " + Q(s.c_json));
  CHECK_THAT(text.out, Catch::Contains("ships in 3 apps"));
  CHECK(text.out.find(kGithub) == std::string::npos);

  auto jsonl = RunLeakproof("merge -q -f jsonl " + Q(s.a_json) + " " + Q(s.b_jsonl));
  REQUIRE(jsonl.exit_code == 0);
  std::istringstream lines(jsonl.out);
  std::string line, last;
  int findings = 0;
  while (std::getline(lines, line)) {
    auto j = nlohmann::json::parse(line);
    findings += j["type"] == "finding";
    last = line;
  }
  CHECK(findings == 3);
  CHECK(nlohmann::json::parse(last)["type"] == "summary");
  // A merged JSONL is itself a valid merge input, and its findings keep their apps.
  const auto merged = s.d.path() / "merged.jsonl";
  { std::ofstream(merged) << jsonl.out; }
  auto again = RunLeakproof("merge -q " + Q(merged) + " " + Q(s.c_json));
  REQUIRE(again.exit_code == 0);
  auto redoc = nlohmann::json::parse(again.out);
  REQUIRE(redoc["per_app"].size() == 3);
  CHECK(redoc["per_app"][0]["app"] == "shop");
  CHECK(redoc["shared"][0]["app_count"] == 3);
}

TEST_CASE("merge reads SARIF by fingerprint and says so") {
  ThreeScans s;
  auto r = RunLeakproof("merge " + Q(s.a_json) + " " + Q(s.c_sarif));
  REQUIRE(r.exit_code == 0);
  auto doc = nlohmann::json::parse(r.out);
  CHECK(doc["scans"][1]["format"] == "sarif");
  REQUIRE(doc["findings"].size() == 3);
  const auto& f = doc["findings"][2];
  CHECK(f["rule_id"] == doc["findings"][0]["rule_id"]);
  CHECK(f["scan"]["app"] == "news");
  CHECK(f["location"]["path"].get<std::string>().find("news.js") != std::string::npos);
  CHECK(f["severity"] == doc["findings"][0]["severity"]);
  CHECK_THAT(r.err, Catch::Contains("SARIF inputs carry no secret_hash"));
  CHECK(doc["notes"].size() >= 1);

  // And back out as SARIF: a result per finding, placed, fingerprinted, no secret_hash.
  auto sarif = RunLeakproof("merge -q -f sarif " + Q(s.a_json) + " " + Q(s.c_sarif));
  REQUIRE(sarif.exit_code == 0);
  auto out = nlohmann::json::parse(sarif.out);
  CHECK(out["version"] == "2.1.0");
  const auto& results = out["runs"][0]["results"];
  REQUIRE(results.size() == 3);
  for (const auto& res : results) {
    CHECK(res["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] != "");
    CHECK(res["partialFingerprints"]["leakproofLocation/v2"] != "");
    CHECK(res["level"] == "error");
  }
  CHECK(results[2]["properties"]["app"] == "news");
  CHECK(sarif.out.find(doc["findings"][0]["secret_hash"].get<std::string>()) == std::string::npos);
  CHECK(sarif.out.find(kGithub) == std::string::npos);
}

TEST_CASE("merge rejects truncated or foreign inputs, naming the file") {
  ThreeScans s;
  const std::string json = Slurp(s.a_json);
  const auto cut = s.d.path() / "cut.json";
  { std::ofstream(cut) << json.substr(0, json.size() / 2); }
  auto r = RunLeakproof("merge " + Q(s.b_jsonl) + " " + Q(cut));
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("cut.json"));
  CHECK_THAT(r.err, Catch::Contains("truncated"));
  CHECK(r.out.empty());

  const std::string jsonl = Slurp(s.b_jsonl);
  const auto no_summary = s.d.path() / "partial.jsonl";
  { std::ofstream(no_summary) << jsonl.substr(0, jsonl.rfind('\n', jsonl.size() - 2) + 1); }
  r = RunLeakproof("merge " + Q(no_summary));
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("partial.jsonl"));
  CHECK_THAT(r.err, Catch::Contains("no summary line"));

  const auto half_line = s.d.path() / "half.jsonl";
  { std::ofstream(half_line) << jsonl.substr(0, jsonl.size() - 10); }
  r = RunLeakproof("merge " + Q(half_line));
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("half.jsonl"));

  const auto foreign = s.d.path() / "package.json";
  { std::ofstream(foreign) << "{\"name\": \"x\", \"version\": \"1.0.0\"}\n"; }
  r = RunLeakproof("merge " + Q(foreign));
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("not a leakproof report"));

  // Right shape, wrong types: named, never a crash.
  const auto typed = s.d.path() / "typed.json";
  {
    std::ofstream(typed) << "{\"findings\": [{\"rule_id\": \"x\", \"location\": "
                            "{\"path\": \"a.js\", \"line\": \"7\"}}]}\n";
  }
  r = RunLeakproof("merge " + Q(typed));
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("typed.json': finding 0: location.line is not a number"));
  const auto bad_sarif = s.d.path() / "bad.sarif";
  {
    std::ofstream(bad_sarif) << "{\"version\": \"2.1.0\", \"runs\": [{\"results\": "
                                "[{\"ruleId\": \"x\", \"locations\": [{\"physicalLocation\": "
                                "{\"region\": {\"startLine\": \"one\"}}}]}]}]}\n";
  }
  r = RunLeakproof("merge " + Q(bad_sarif));
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("bad.sarif"));

  const auto empty = s.d.path() / "empty.json";
  { std::ofstream(empty) << ""; }
  CHECK(RunLeakproof("merge " + Q(empty)).exit_code == 2);
  CHECK(RunLeakproof("merge " + Q(s.d.path() / "missing.json")).exit_code == 2);
  CHECK(RunLeakproof("merge").exit_code == 2);
}

TEST_CASE("merge --format html renders every finding with its app filter") {
  ThreeScans s;
  const auto page = s.d.path() / "all.html";
  REQUIRE(RunLeakproof("merge -q -f html -o " + Q(page) + " " + Q(s.a_json) + " " + Q(s.b_jsonl) +
                       " " + Q(s.c_json))
              .exit_code == 0);
  const std::string html = Slurp(page);
  CHECK(html.find(kGithub) == std::string::npos);
  CHECK(html.find("\"shared\"") != std::string::npos);
  const std::string dom = HeadlessChromium(page, "", "--dump-dom");
  CHECK(CountOf(dom, "<tr class=\"finding\"") == 4);
  CHECK(dom.find("ships in 3 apps") != std::string::npos);
  CHECK(dom.find("id=\"scans-table\"") != std::string::npos);
  const std::string bank = HeadlessChromium(page, "#app=bank", "--dump-dom");
  CHECK(CountOf(bank, "<tr class=\"finding\"") == 1);
}
