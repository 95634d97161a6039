// Baselines: the file formats (v2, v1, a saved report), merging, and the scan-level
// contract that a baseline hides exactly what it accepted, nothing it un-hides, and
// reports entries that matched nothing.
#include "leakproof/scanner/baseline.h"

#include "leakproof/scanner/scanner.h"

#include "support/test_rules.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

namespace lp = leakproof::scanner;
using leakproof::testing::BuiltinEngine;
using leakproof::testing::TempDir;
using leakproof::testing::TestEngine;

namespace {

// A Stripe live secret key shape, assembled so the source holds no key literal.
const std::string kStripe = std::string("sk_") + "live_" + "4eC39HqLyjWDarjtT1zdp7dcXw9Q";
const std::string kTestKey = "tc_live_9fK2mQ7xLp4RtZ8vWb3NcY6d";

lp::BaselineEntry Entry(const std::string& fingerprint) {
  lp::BaselineEntry e;
  e.fingerprint = fingerprint;
  return e;
}

lp::ScanResult ScanDir(const lp::Engine& e, const std::string& root,
                       std::vector<lp::BaselineEntry> baseline) {
  lp::ScanOptions o;
  o.paths = {root};
  o.threads = 2;
  o.baseline = std::move(baseline);
  return lp::Scan(e, o);
}

std::vector<lp::BaselineEntry> AcceptAll(const lp::ScanResult& r) {
  return lp::MergeBaseline({}, r.findings, "test", "2026-12-07");
}

}  // namespace

TEST_CASE("baseline v2 round-trips with rule, path, reason and date") {
  auto e = TestEngine();
  TempDir d;
  d.Write("a.js", "k = \"" + kTestKey + "\"\n");
  auto first = ScanDir(*e, d.path().string(), {});
  REQUIRE(first.findings.size() == 1);
  const std::string text = lp::BaselineToJson(AcceptAll(first));
  auto j = nlohmann::json::parse(text);
  CHECK(j["version"] == 2);
  CHECK(j["tool"] == "leakproof");
  REQUIRE(j["entries"].size() == 1);
  CHECK(j["entries"][0]["fingerprint"] == first.findings[0].fingerprint);
  CHECK(j["entries"][0]["rule_id"] == "testco.secret-key");
  CHECK(j["entries"][0]["path"] == first.findings[0].location.path);
  CHECK(j["entries"][0]["reason"] == "test");
  CHECK(j["entries"][0]["added"] == "2026-12-07");
  CHECK(text.find(kTestKey) == std::string::npos);  // a baseline never holds the secret

  auto back = lp::ParseBaseline(text, "b.json");
  REQUIRE(back.ok());
  REQUIRE(back->size() == 1);
  CHECK((*back)[0].reason == "test");
}

TEST_CASE("baseline v1 files and saved JSON reports are still read; junk is an error") {
  auto v1 = lp::ParseBaseline(R"({"version":1,"tool":"leakproof","fingerprints":["aa","bb"]})",
                              "v1.json");
  REQUIRE(v1.ok());
  REQUIRE(v1->size() == 2);
  CHECK((*v1)[1].fingerprint == "bb");
  auto report = lp::ParseBaseline(
      R"({"findings":[{"fingerprint":"cc","rule_id":"x.y","location":{"path":"a.js"}}]})",
      "report.json");
  REQUIRE(report.ok());
  CHECK((*report)[0].rule_id == "x.y");
  CHECK((*report)[0].path == "a.js");
  CHECK_FALSE(lp::ParseBaseline("not json", "bad.json").ok());
  CHECK_FALSE(lp::ParseBaseline(R"({"other":[]})", "bad.json").ok());
  auto no_print = lp::ParseBaseline(R"({"entries":[{"rule_id":"x"}]})", "bad.json");
  REQUIRE_FALSE(no_print.ok());
  CHECK_THAT(no_print.status().message(), Catch::Contains("entries[0]"));
}

TEST_CASE("merging keeps old entries' reasons and adds only new fingerprints") {
  lp::BaselineEntry old = Entry("aa");
  old.reason = "fixture";
  old.added = "2025-01-01";
  lp::Rule rule;
  rule.id = "x.y";
  lp::Finding same;
  same.rule = &rule;
  same.fingerprint = "aa";
  lp::Finding fresh = same;
  fresh.fingerprint = "bb";
  auto merged = lp::MergeBaseline({old}, {same, fresh}, "new", "2026-12-07");
  REQUIRE(merged.size() == 2);
  CHECK(merged[0].reason == "fixture");
  CHECK(merged[0].added == "2025-01-01");
  CHECK(merged[1].reason == "new");
  CHECK(merged[1].rule_id == "x.y");
}

TEST_CASE("a baselined key does not un-hide the generic match it covered") {
  // SECRET_KEY="sk_live_..." matches both stripe.secret-key and generic.assignment; the
  // specific finding hides the generic one. Accepting the specific one must not bring
  // the generic one back (the baseline used to be applied before overlap resolution).
  auto e = BuiltinEngine();
  TempDir d;
  d.Write("config.env", "SECRET_KEY=\"" + kStripe + "\"\n");
  auto first = ScanDir(*e, d.path().string(), {});
  REQUIRE(first.findings.size() == 1);
  CHECK(first.findings[0].rule->id == "stripe.secret-key");
  auto again = ScanDir(*e, d.path().string(), AcceptAll(first));
  CHECK(again.findings.empty());
  CHECK(again.stats.baselined == 1);
  CHECK(again.baseline.used);
  CHECK(again.baseline.matched == 1);
  CHECK(again.baseline.stale.empty());
  CHECK(again.Completeness().complete);
}

TEST_CASE("baseline entries that match nothing are reported as stale, not an error") {
  auto e = TestEngine();
  TempDir d;
  d.Write("a.js", "k = \"" + kTestKey + "\"\n");
  auto first = ScanDir(*e, d.path().string(), {});
  std::vector<lp::BaselineEntry> entries = AcceptAll(first);
  lp::BaselineEntry gone = Entry("00000000deadbeef");
  gone.rule_id = "testco.secret-key";
  gone.path = "old.js";
  entries.push_back(gone);
  auto r = ScanDir(*e, d.path().string(), entries);
  CHECK(r.findings.empty());
  CHECK(r.baseline.entries == 2);
  CHECK(r.baseline.matched == 1);
  REQUIRE(r.baseline.stale.size() == 1);
  CHECK(r.baseline.stale[0].path == "old.js");
  CHECK(r.Completeness().complete);
}
