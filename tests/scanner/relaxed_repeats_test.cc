// Relaxed counted repeats: the rewrite itself, and that confirming with it gives the
// same matches as the exact regex on every example of the built-in pack.
#include "match/relaxed_repeats.h"

#include "support/test_rules.h"

#include <catch2/catch.hpp>
#include <re2/re2.h>

namespace lp = leakproof::scanner;
using leakproof::testing::BuiltinEngine;

namespace {

std::vector<lp::RawMatch> Confirmed(const lp::Engine& e, const std::string& text,
                                    std::size_t rule) {
  return e.MatchWithRe2Only(text, rule);
}

bool SameMatches(const std::vector<lp::RawMatch>& a, const std::vector<lp::RawMatch>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].start != b[i].start || a[i].end != b[i].end ||
        a[i].secret_start != b[i].secret_start || a[i].secret_end != b[i].secret_end) {
      return false;
    }
  }
  return true;
}

lp::Engine& OneRuleEngine(const std::string& regex, std::unique_ptr<lp::Engine>& holder) {
  lp::RuleSet rules;
  lp::Rule r;
  r.id = "t.one";
  r.provider = "t";
  r.regex = regex;
  r.user_rule = true;
  REQUIRE(rules.Add(r).ok());
  lp::EngineOptions eo;
  eo.cache_dir = "-";
  auto e = lp::Engine::Create(std::move(rules), eo);
  REQUIRE(e.ok());
  holder = std::move(e).value();
  return *holder;
}

}  // namespace

TEST_CASE("a large counted repeat becomes a captured unbounded repeat with its bounds") {
  auto r = lp::RelaxCountedRepeats(R"(key=([A-Za-z0-9]{20,40})\b)");
  CHECK(r.pattern == R"(key=(([A-Za-z0-9]+))\b)");
  REQUIRE(r.bounds.size() == 1);
  CHECK(r.bounds[0].group == 2);
  CHECK(r.bounds[0].min == 20);
  CHECK(r.bounds[0].max == 40);
  CHECK(r.group_of == std::vector<int>{0, 1});
}

TEST_CASE("original groups are renumbered around the inserted ones") {
  auto r = lp::RelaxCountedRepeats(R"((x)\.[\w-]{100,1000}\.(y)(?:z)(?P<k>[a-f0-9]{32}))");
  CHECK(r.pattern == R"((x)\.([\w-]+)\.(y)(?:z)(?P<k>([a-f0-9]+)))");
  CHECK(r.group_of == std::vector<int>{0, 1, 3, 4});
  REQUIRE(r.bounds.size() == 2);
  CHECK(r.bounds[0].group == 2);
  CHECK(r.bounds[1].group == 5);
  CHECK(r.bounds[1].min == 32);
  CHECK(r.bounds[1].max == 32);
}

TEST_CASE("small, quantified-group and unusual repeats are left alone") {
  CHECK(lp::RelaxCountedRepeats(R"([\w.-]{0,12}x\s{0,4})").pattern.empty());
  // A capture inside a repeated group sees only its last iteration.
  CHECK(lp::RelaxCountedRepeats(R"((?:[a-z]{20}\.){3})").pattern.empty());
  CHECK(lp::RelaxCountedRepeats(R"(([a-z]{20}\.)+)").pattern.empty());
  CHECK(lp::RelaxCountedRepeats(R"(\Qa{20}\E)").pattern.empty());
  CHECK(lp::RelaxCountedRepeats(R"(a(b)").pattern.empty());
  CHECK(lp::RelaxCountedRepeats(R"([a-z)").pattern.empty());
}

TEST_CASE("escapes, classes and lazy repeats are kept whole") {
  CHECK(lp::RelaxCountedRepeats(R"(\x{41}{16}[]a-z]{20,}[[:alpha:]\]]{16,30}?)").pattern ==
        R"((\x{41}+)([]a-z]+)([[:alpha:]\]]+?))");
  CHECK(lp::RelaxCountedRepeats(R"(a{16,}b{0,20})").pattern == R"((a+)(b*))");
  // A brace that is no repeat stays a literal, as RE2 reads it.
  CHECK(lp::RelaxCountedRepeats(R"(a{x}[0-9]{16})").pattern == R"(a{x}([0-9]+))");
  CHECK(lp::RelaxCountedRepeats(R"([0-9]{016}[a-z]{16})").pattern == R"([0-9]{016}([a-z]+))");
}

TEST_CASE("a relaxed match outside a bound falls back to the exact regex") {
  std::unique_ptr<lp::Engine> holder;
  const lp::Engine& e = OneRuleEngine(R"(x([a-z]{16,20}))", holder);
  const std::string text = "x" + std::string(25, 'q');
  auto m = Confirmed(e, text, 0);
  REQUIRE(m.size() == 1);
  CHECK(m[0].secret_start == 1);
  CHECK(m[0].secret_end == 21);  // the exact regex's greedy 20, not the relaxed 25
}

TEST_CASE("every relaxed built-in rule compiles and confirms exactly like its regex") {
  auto relaxed = BuiltinEngine();
  lp::EngineOptions exact_options;
  exact_options.relax_repeats = false;
  auto exact = BuiltinEngine(exact_options);
  const auto& rules = relaxed->rules().rules();
  std::size_t relaxed_rules = 0;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const lp::Rule& rule = rules[i];
    INFO(rule.id);
    auto r = lp::RelaxCountedRepeats(rule.regex);
    if (r.pattern.empty()) continue;
    ++relaxed_rules;
    RE2::Options o;
    o.set_encoding(RE2::Options::EncodingLatin1);
    RE2 re(r.pattern, o);
    INFO(r.pattern);
    REQUIRE(re.ok());
    CHECK(static_cast<std::size_t>(re.NumberOfCapturingGroups()) ==
          r.group_of.size() - 1 + r.bounds.size());
    std::vector<std::string> texts = rule.examples;
    texts.insert(texts.end(), rule.negative_examples.begin(), rule.negative_examples.end());
    for (const std::string& t : texts) {
      INFO(t);
      CHECK(SameMatches(Confirmed(*relaxed, t, i), Confirmed(*exact, t, i)));
    }
  }
  CHECK(relaxed_rules > rules.size() / 2);
}
