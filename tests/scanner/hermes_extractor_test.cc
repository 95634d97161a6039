// Hermes extractor: each string of the string table comes out on its own, so a key is
// found with clean boundaries and two packed neighbours never form a "phantom" key.
// Uses real hermesc output (tests/data/hermes, v99) and built files for older layouts.
#include "extract/js/hermes_extractor.h"

#include "support/native_builders.h"
#include "support/native_extract_run.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <regex>

namespace lp = leakproof::scanner;
namespace nt = leakproof::native_testing;
using nt::RunNative;

namespace {

constexpr char kFixtureKey[] = "AIzaSyD8fK2mQ9vLp3Xw7RtZb5Nc1HjGe4UsY0a";
constexpr char kNearToken[] = "ghp_R4nd0mL00k1ngX7qW2zP9vL4mT8bN3kJ6hY";  // 35 after ghp_
constexpr char kFixtureUtf16Token[] = "ghp_Wq7Lm2Xc9Rv4Tz8Bn1Ks6Hd3Fj5Yp0Ga2Ue7";

std::string ReadFixture(const char* rel) {
  std::ifstream in(std::string(LEAKPROOF_SOURCE_DIR) + "/" + rel, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

lp::Blob Hbc(std::string bytes) {
  return lp::Blob::FromString(std::move(bytes), lp::Provenance("index.android.bundle"));
}

// The shapes of the builtin google.api-key and github.personal-access-token rules.
const std::regex kGoogleKey(R"(\bAIza[\w-]{35}(?:[^\w-]|$))");
const std::regex kGithubToken(R"(\bghp_[A-Za-z0-9]{36,251}\b)");

std::vector<std::string> Matches(std::string_view text, const std::regex& re) {
  std::vector<std::string> out;
  const std::string s(text);
  for (auto it = std::sregex_iterator(s.begin(), s.end(), re); it != std::sregex_iterator(); ++it) {
    out.push_back(it->str());
  }
  return out;
}

}  // namespace

TEST_CASE("real hermesc v99 bundle: planted keys found, no phantom key") {
  const std::string hbc = ReadFixture("tests/data/hermes/phantom_v99.hbc");
  REQUIRE(hbc.size() > 128);
  auto ex = lp::NewHermesExtractor();
  lp::Blob blob = Hbc(hbc);
  REQUIRE(ex->CanExtract(blob));
  CHECK(ex->ReplacesParentScan());

  // What a raw scan would see: the real key glued to "apiKey" (missed), and a phantom
  // token made of a too-short token and the identifiers "near" and "other" after it.
  CHECK(Matches(hbc, kGoogleKey).empty());
  const auto raw_tokens = Matches(hbc, kGithubToken);
  REQUIRE(raw_tokens.size() == 1);
  CHECK(raw_tokens[0] == std::string(kNearToken) + "nearother");

  auto run = RunNative(*ex, blob);
  CHECK(run.status.ok());
  CHECK(run.diagnostics.empty());
  REQUIRE(run.children.size() == 1);
  const lp::Blob* strings = run.Child("index.android.bundle[hermes]");
  REQUIRE(strings != nullptr);
  CHECK_FALSE(strings->report_lines());
  // The real key, on its own and labelled with its string index.
  CHECK(nt::SegmentText(*strings, "string #0") == kFixtureKey);
  // No phantom: each string is its own segment, so the regexes only see whole strings.
  for (const auto& seg : strings->segments()) {
    const std::string text = nt::SegmentText(*strings, seg.label);
    for (const auto& m : Matches(text, kGithubToken)) {
      CHECK(m == kFixtureUtf16Token);
    }
  }
  CHECK(nt::SegmentText(*strings, "string #3") == std::string("token: ") + kNearToken);
  CHECK(nt::SegmentText(*strings, "string #9") == "near");
  CHECK(nt::SegmentText(*strings, "string #10") == "other");
  // The UTF-16LE string, decoded.
  CHECK(nt::SegmentText(*strings, "string #4") ==
        std::string("Schl\xC3\xBCssel ") + kFixtureUtf16Token);
  CHECK(nt::SegmentText(*strings, "string #5") == "apiKey");
}

TEST_CASE("older layouts (16-byte function headers) and the overflow table") {
  const std::u16string long_text = nt::U16(std::string(300, 'q') + " " + kFixtureKey);
  for (std::uint32_t version : {84u, 90u, 96u, 97u, 99u}) {
    INFO("version " << version);
    const std::string hbc = nt::BuildHermes(version, 3,
                                            {{false, nt::U16("ghp_R4nd0mL00k1ng")},
                                             {false, nt::U16("Q8zX2vB7nM4kP9sW1tY6uH3jF5dG")},
                                             {true, u"\u00fc " + nt::U16(kFixtureUtf16Token)},
                                             {false, long_text}});
    auto run = RunNative(*lp::NewHermesExtractor(), Hbc(hbc));
    CHECK(run.status.ok());
    const lp::Blob* strings = run.Child("index.android.bundle[hermes]");
    REQUIRE(strings != nullptr);
    CHECK(nt::SegmentText(*strings, "string #0") == "ghp_R4nd0mL00k1ng");
    CHECK(nt::SegmentText(*strings, "string #2") == std::string("\xC3\xBC ") + kFixtureUtf16Token);
    CHECK(nt::SegmentText(*strings, "string #3") == std::string(300, 'q') + " " + kFixtureKey);
  }
}

TEST_CASE("unknown Hermes version: diagnostic and raw fallback, no guessing") {
  std::string hbc = nt::BuildHermes(99, 1, {{false, nt::U16("hello")}});
  hbc[8] = 120;  // version 120
  auto run = RunNative(*lp::NewHermesExtractor(), Hbc(hbc));
  CHECK(run.Diagnosed("version 120 is not supported"));
  CHECK(run.Diagnosed("raw bytes scanned instead"));
  REQUIRE(run.children.size() == 1);
  const lp::Blob* raw = run.Child("index.android.bundle[hermes-raw]");
  REQUIRE(raw != nullptr);
  CHECK(raw->bytes() == std::string_view(hbc).substr(8));
  CHECK_FALSE(lp::NewHermesExtractor()->CanExtract(*raw));  // no re-extraction loop
}

TEST_CASE("corrupt Hermes files give a status and the raw fallback, never a crash") {
  auto ex = lp::NewHermesExtractor();
  const std::string good = ReadFixture("tests/data/hermes/phantom_v99.hbc");
  REQUIRE(!good.empty());
  SECTION("truncated") {
    for (std::size_t n = 8; n < good.size(); n += 3) {
      auto run = RunNative(*ex, Hbc(good.substr(0, n)));
      if (!run.status.ok()) CHECK(run.Child("index.android.bundle[hermes-raw]") != nullptr);
    }
  }
  SECTION("string count far too large") {
    std::string bad = good;
    bad[52 + 3] = '\x40';
    auto run = RunNative(*ex, Hbc(bad));
    CHECK(run.status.code() == lp::StatusCode::kCorrupt);
    CHECK(run.Child("index.android.bundle[hermes-raw]") != nullptr);
  }
  SECTION("every byte flipped") {
    for (std::size_t i = 8; i < good.size(); ++i) {
      std::string bad = good;
      bad[i] = static_cast<char>(bad[i] ^ 0x81);
      (void)RunNative(*ex, Hbc(bad));
    }
  }
}
