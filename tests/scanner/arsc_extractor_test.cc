// ArscExtractor: string values of resources.arsc come out labelled "@type/name";
// unreferenced pool strings are still emitted; corrupt tables are diagnosed.
#include "extract/android/arsc_extractor.h"

#include "support/android_builders.h"
#include "support/android_extract_run.h"
#include "support/test_rules.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace lp = leakproof::scanner;
using leakproof::testing::ArscOptions;
using leakproof::testing::ArscValue;
using leakproof::testing::BuildArsc;
using leakproof::testing::BuiltinEngine;
using leakproof::testing::LabelOf;
using leakproof::testing::RunExtractor;

namespace {

constexpr char kApiKey[] = "AIzaSyR5mK2wQ8tZ1cV7nB4xL0pJ3hG6fD9sA2e";
constexpr char kStripe[] = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";
constexpr char kOrphan[] = "ghp_Zq8Lm2Vx5Tn1Rb7Kc4Wy0Pd6Hs3Jf9Ga2Eu";

std::vector<ArscValue> Values() {
  return {
      {"string", "app_name", {"Leaky"}},
      {"string", "google_api_key", {kApiKey}},
      {"string", "firebase_database_url", {"https://leaky-test.firebaseio.com"}},
      {"array", "payment_keys", {"pk_test_value", kStripe}},
  };
}

lp::Blob ArscBlob(std::string bytes) {
  return lp::Blob::FromString(std::move(bytes),
                              lp::Provenance("app.apk").Child({"resources.arsc", "", false}));
}

}  // namespace

TEST_CASE("arsc string values are labelled @type/name") {
  auto ex = lp::NewArscExtractor();
  ArscOptions opt;
  opt.utf8_values = GENERATE(true, false);
  opt.utf8_keys = GENERATE(true, false);
  opt.offset16 = GENERATE(false, true);
  opt.extra_values = {kOrphan};
  lp::Blob blob = ArscBlob(BuildArsc(Values(), opt));
  CHECK(ex->CanExtract(blob));
  CHECK(ex->ReplacesParentScan());
  auto run = RunExtractor(*ex, blob);
  CHECK(run.status.ok());
  CHECK(run.diagnostics.empty());
  REQUIRE(run.children.size() == 1);
  const lp::Blob& c = run.children[0];
  CHECK(c.provenance().ToString() == "app.apk!resources.arsc[arsc-strings]");
  CHECK(LabelOf(c, kApiKey) == "@string/google_api_key");
  CHECK(LabelOf(c, "Leaky") == "@string/app_name");
  CHECK(LabelOf(c, kStripe) == "@array/payment_keys");
  CHECK(LabelOf(c, kOrphan) == "");  // in the pool, referenced by no entry
}

TEST_CASE("truncated and corrupt resource tables are diagnosed, never a crash") {
  auto ex = lp::NewArscExtractor();
  const std::string good = BuildArsc(Values(), {});
  SECTION("every prefix") {
    for (std::size_t n = 0; n <= good.size(); ++n) {
      lp::Blob b = ArscBlob(good.substr(0, n));
      if (ex->CanExtract(b)) (void)RunExtractor(*ex, b);
    }
    auto run = RunExtractor(*ex, ArscBlob(good.substr(0, good.size() - 20)));
    CHECK(run.Diagnosed("truncated"));
    REQUIRE(run.children.size() == 1);  // the value pool still comes out
    CHECK(run.children[0].bytes().find(kApiKey) != std::string_view::npos);
  }
  SECTION("every single-byte corruption") {
    for (std::size_t i = 0; i < good.size(); ++i) {
      std::string bad = good;
      bad[i] = static_cast<char>(bad[i] ^ 0x5C);
      lp::Blob b = ArscBlob(bad);
      if (ex->CanExtract(b)) (void)RunExtractor(*ex, b);
    }
    SUCCEED();
  }
}

TEST_CASE("arsc magic detection") {
  auto ex = lp::NewArscExtractor();
  CHECK(ex->CanExtract(
      ArscBlob(std::string("\x02\x00\x0c\x00\x0c\x00\x00\x00\x00\x00\x00\x00", 12))));
  CHECK_FALSE(ex->CanExtract(ArscBlob(std::string("\x03\x00\x08\x00\x08\x00\x00\x00", 8))));
  auto run = RunExtractor(
      *ex, ArscBlob(std::string("\x02\x00\x0c\x00\x0c\x00\x00\x00\x00\x00\x00\x00", 12)));
  CHECK(run.status.code() == lp::StatusCode::kCorrupt);
}

TEST_CASE("arsc values carry their resource name, so keyword-gated rules find them") {
  // A Twilio auth token is 32 hex digits: only its name says what it is.
  constexpr char kToken[] = "3f9a1c7e2b4d6f8a0c1e3b5d7f9a2c4e";
  auto run = RunExtractor(*lp::NewArscExtractor(),
                          ArscBlob(BuildArsc({{"string", "twilio_auth_token", {kToken}}}, {})));
  REQUIRE(run.children.size() == 1);
  const lp::Blob& c = run.children[0];
  CHECK(c.bytes().find(std::string("twilio_auth_token = ") + kToken) != std::string_view::npos);
  CHECK(LabelOf(c, kToken) == "@string/twilio_auth_token");

  auto engine = BuiltinEngine();
  auto scratch = engine->NewScratch();
  auto rules_matching = [&](std::string_view text) {
    std::vector<lp::RawMatch> out;
    REQUIRE(engine->Match(text, *scratch, out).ok());
    std::vector<std::string> ids;
    for (const auto& m : out) ids.push_back(engine->rules().rules()[m.rule_index].id);
    return ids;
  };
  const auto with_name = rules_matching(c.bytes());
  CHECK(std::find(with_name.begin(), with_name.end(), "twilio.auth-token") != with_name.end());
  const auto bare = rules_matching(kToken);  // what the value alone would give
  CHECK(std::find(bare.begin(), bare.end(), "twilio.auth-token") == bare.end());
}
