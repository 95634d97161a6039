// The two-stage engine: confirmation, secret groups, chunk boundaries, dedup, stage 1
// never under-reporting.
#include "leakproof/scanner/engine.h"

#include "leakproof/scanner/rules_check.h"

#include "support/test_rules.h"

#include <catch2/catch.hpp>

namespace lp = leakproof::scanner;
using leakproof::testing::TestEngine;

namespace {

const std::string kKey = "tc_live_9fK2mQ7xLp4RtZ8vWb3NcY6d";

std::vector<lp::RawMatch> MatchAll(const lp::Engine& e, std::string_view text,
                                   std::uint64_t chunk) {
  auto scratch = e.NewScratch();
  std::vector<lp::RawMatch> out;
  REQUIRE(e.Match(text, *scratch, out, chunk).ok());
  return out;
}

}  // namespace

TEST_CASE("engine confirms and extracts the secret group") {
  auto e = TestEngine();
  const std::string text = "const a=1;const k=\"" + kKey + "\";";
  auto m = MatchAll(*e, text, 1 << 20);
  REQUIRE(m.size() == 1);
  CHECK(text.substr(m[0].secret_start, m[0].secret_end - m[0].secret_start) == kKey);
  CHECK(e->rules().rules()[m[0].rule_index].id == "testco.secret-key");
}

TEST_CASE("a word boundary before the key is judged with the real context") {
  auto e = TestEngine();
  CHECK(MatchAll(*e, "x" + kKey, 1 << 20).empty());
  CHECK(MatchAll(*e, kKey + "Z", 1 << 20).empty() == false);  // still within {24,48}
  CHECK(MatchAll(*e, "-" + kKey, 1 << 20).size() == 1);
}

TEST_CASE("a secret across a chunk boundary is found exactly once") {
  auto e = TestEngine();
  std::string filler(5000, ';');
  for (std::size_t split = 1; split < kKey.size(); split += 7) {
    // Chunk size puts the boundary `split` bytes into the key.
    const std::string text = filler + kKey + filler;
    const std::uint64_t chunk = filler.size() + split;
    auto m = MatchAll(*e, text, chunk);
    INFO("split " << split);
    REQUIRE(m.size() == 1);
    CHECK(m[0].secret_start == filler.size());
    CHECK(m[0].secret_end == filler.size() + kKey.size());
  }
}

TEST_CASE("two keys of one rule in one blob are both reported") {
  auto e = TestEngine();
  const std::string k2 = "tc_live_Hq3Lz9Xw2Pv7Rn4Tb8Kc5Md1";
  auto m = MatchAll(*e, "a=\"" + kKey + "\",b=\"" + k2 + "\"", 1 << 20);
  REQUIRE(m.size() == 2);
}

TEST_CASE("unbounded multi-line rule (PEM) is confirmed on its window") {
  auto e = TestEngine();
  std::string pem = "-----BEGIN PRIVATE KEY-----\n";
  for (int i = 0; i < 20; ++i)
    pem += "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7Qm3kZ9pTf2Lx\n";
  pem += "-----END PRIVATE KEY-----";
  auto m = MatchAll(*e, "junk\n" + pem + "\nmore", 1 << 20);
  REQUIRE(m.size() == 1);
  CHECK(m[0].secret_end - m[0].secret_start == pem.size());
}

TEST_CASE("stage 1 reports every rule RE2 alone matches, on every example") {
  auto e = TestEngine();
  auto scratch = e->NewScratch();
  const auto& rules = e->rules().rules();
  for (std::size_t i = 0; i < rules.size(); ++i) {
    for (const std::string& ex : rules[i].examples) {
      REQUIRE_FALSE(e->MatchWithRe2Only(ex, i).empty());
      std::vector<std::size_t> hit;
      REQUIRE(e->Stage1Rules(ex, *scratch, hit).ok());
      CHECK(std::find(hit.begin(), hit.end(), i) != hit.end());
    }
  }
}

TEST_CASE("rules check passes on the test pack and fails on a broken rule") {
  auto e = TestEngine();
  auto report = lp::CheckRules(*e);
  for (const auto& i : report.issues) INFO(i.rule_id << ": " << i.message);
  CHECK(report.errors() == 0);

  lp::RuleSet bad;
  REQUIRE(bad.AddToml(R"([provider]
id = "bad"
name = "Bad"
[[rules]]
id = "bad.key"
name = "Bad key"
class = "secret"
severity = "high"
regex = '''bad_[a-z]{8}'''
examples = ["bad_abcdwxyz", "no key here"]
negative_examples = ["bad_qrstuvwx", "nothing"]
)",
                      "bad.toml", false)
              .ok());
  lp::EngineOptions eo;
  eo.cache_dir = "-";
  auto be = lp::Engine::Create(std::move(bad), eo);
  REQUIRE(be.ok());
  auto br = lp::CheckRules(**be);
  CHECK(br.errors() >= 2);  // one example not found, one negative found
}

TEST_CASE("invalid rule files name file, line and rule id") {
  lp::RuleSet set;
  auto s = set.AddToml(R"([provider]
id = "p"
name = "P"

[[rules]]
id = "p.one"
name = "One"
class = "sekret"
severity = "high"
regex = "x"
)",
                       "user.toml", true);
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(s.message(), Catch::Contains("user.toml:5") && Catch::Contains("p.one") &&
                              Catch::Contains("class"));
  auto s2 = set.AddToml("[[rules]]\nid = \"u.x\"\nregex = \"a\"\nnegtive_examples = []\n",
                        "typo.toml", true);
  REQUIRE_FALSE(s2.ok());
  CHECK_THAT(s2.message(), Catch::Contains("unknown key 'negtive_examples'"));
  auto s3 = set.AddToml("this is not toml = = =", "syntax.toml", true);
  REQUIRE_FALSE(s3.ok());
  CHECK_THAT(s3.message(), Catch::Contains("syntax.toml:1"));
}

TEST_CASE("a regex RE2 rejects is a load error naming the rule") {
  lp::RuleSet set;
  REQUIRE(set.AddToml("[[rules]]\nid = \"u.bad\"\nregex = '''(a'''\n", "u.toml", true).ok());
  auto e = lp::Engine::Create(std::move(set));
  REQUIRE_FALSE(e.ok());
  CHECK_THAT(e.status().message(), Catch::Contains("u.bad"));
}
