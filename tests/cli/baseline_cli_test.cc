// `scan --write-baseline` / `--baseline` end to end: a rescan of unchanged input is
// clean, entries record rule, path and reason, rewriting merges, stale entries are
// reported.
#include "cli/cli_support.h"
#include "support/test_rules.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

using leakproof::testing::RunLeakproof;
using leakproof::testing::TempDir;

namespace {

// Shapes of real keys, assembled so the source holds no key literal.
const std::string kStripe = std::string("sk_") + "live_" + "4eC39HqLyjWDarjtT1zdp7dcXw9Q";
const std::string kSlack =
    std::string("xoxb-") + "1234567890-1234567890123-" + "AbCdEfGhIjKlMnOpQrStUvWx";

std::string Q(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

nlohmann::json ReadJson(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return nlohmann::json::parse(ss.str());
}

}  // namespace

TEST_CASE("after --write-baseline, a rescan of unchanged input reports nothing and exits 0") {
  TempDir d;
  // Both lines also match a broader rule (generic.assignment, slack.token-fallback) that
  // the specific finding hides; a baselined specific finding must keep hiding it.
  d.Write("src/.env", "SECRET_KEY=\"" + kStripe + "\"\ntoken = \"" + kSlack + "\"\n");
  const auto base = d.path() / "baseline.json";
  const std::string src = Q(d.path() / "src");
  auto first = RunLeakproof("scan --write-baseline " + Q(base) + " --format json " + src);
  CHECK(first.exit_code == 1);
  auto again = RunLeakproof("scan --baseline " + Q(base) + " --format json " + src);
  INFO(again.out);
  CHECK(again.exit_code == 0);
  auto j = nlohmann::json::parse(again.out);
  CHECK(j["findings"].empty());
  CHECK(j["stats"]["baselined"] == 2);
  CHECK(j["baseline"]["matched"] == 2);
  CHECK(j["baseline"]["stale"].empty());
  CHECK(j["complete"] == true);
}

TEST_CASE("baseline entries record rule, path, reason and date; rewriting merges") {
  TempDir d;
  const auto env = d.Write("a/.env", "SECRET_KEY=\"" + kStripe + "\"\n");
  const auto base = d.path() / "baseline.json";
  REQUIRE(RunLeakproof("scan --write-baseline " + Q(base) + " --baseline-reason 'test fixture' " +
                       Q(env))
              .exit_code == 1);
  auto b = ReadJson(base);
  CHECK(b["version"] == 2);
  REQUIRE(b["entries"].size() == 1);
  CHECK(b["entries"][0]["rule_id"] == "stripe.secret-key");
  CHECK(b["entries"][0]["path"] == env.string());
  CHECK(b["entries"][0]["reason"] == "test fixture");
  CHECK(b["entries"][0]["added"].get<std::string>().size() == 10);  // YYYY-MM-DD
  CHECK(b.dump().find(kStripe) == std::string::npos);

  // A second key, written to the same baseline: the first entry keeps its reason.
  const auto more = d.Write("b/.env", "token = \"" + kSlack + "\"\n");
  REQUIRE(RunLeakproof("scan --write-baseline " + Q(base) + " " + Q(more)).exit_code == 1);
  auto merged = ReadJson(base);
  REQUIRE(merged["entries"].size() == 2);
  int fixture_reasons = 0;
  for (const auto& e : merged["entries"]) fixture_reasons += e["reason"] == "test fixture";
  CHECK(fixture_reasons == 1);
}

TEST_CASE("stale baseline entries are reported, not an error") {
  TempDir d;
  const auto env = d.Write(".env", "SECRET_KEY=\"" + kStripe + "\"\n");
  const auto base = d.path() / "baseline.json";
  REQUIRE(RunLeakproof("scan --write-baseline " + Q(base) + " " + Q(env)).exit_code == 1);
  d.Write(".env", "SECRET_KEY=from_the_environment\n");  // the key was removed
  auto json = RunLeakproof("scan --baseline " + Q(base) + " --format json " + Q(env));
  CHECK(json.exit_code == 0);
  auto j = nlohmann::json::parse(json.out);
  REQUIRE(j["baseline"]["stale"].size() == 1);
  CHECK(j["baseline"]["stale"][0]["rule_id"] == "stripe.secret-key");
  CHECK_THAT(json.err, Catch::Contains("1 stale"));
  auto text = RunLeakproof("scan --baseline " + Q(base) + " " + Q(env));
  CHECK(text.exit_code == 0);
  CHECK_THAT(text.out, Catch::Contains("1 stale"));
}

TEST_CASE("version 1 baselines are still read") {
  TempDir d;
  const auto env = d.Write(".env", "SECRET_KEY=\"" + kStripe + "\"\n");
  auto first = RunLeakproof("scan --format json " + Q(env));
  const std::string print = nlohmann::json::parse(first.out)["findings"][0]["fingerprint"];
  const auto v1 = d.Write(
      "v1.json",
      nlohmann::json({{"version", 1}, {"tool", "leakproof"}, {"fingerprints", {print}}}).dump());
  CHECK(RunLeakproof("scan --baseline " + Q(v1) + " " + Q(env)).exit_code == 0);
  const auto junk = d.Write("junk.json", "{\"entries\": [{\"reason\": \"no print\"}]}");
  auto bad = RunLeakproof("scan --baseline " + Q(junk) + " " + Q(env));
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("no fingerprint"));
}
