// DexExtractor: string_ids become one segmented child, MUTF-8 decoded to UTF-8;
// corrupt headers and offsets are diagnosed without crashing.
#include "extract/android/dex_extractor.h"

#include "extract/android/android_byte_reader.h"
#include "support/android_builders.h"
#include "support/android_extract_run.h"
#include "support/test_rules.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace lp = leakproof::scanner;
using leakproof::testing::BuildDex;
using leakproof::testing::BuildDexWithConstants;
using leakproof::testing::LabelOf;
using leakproof::testing::PutU32;
using leakproof::testing::RunExtractor;

namespace {

constexpr char kKey[] = "AIzaSyC8hW2pLq5Zr0Tn7Vb3Xk9Md4Jf1Gs6Ey2";

lp::Blob DexBlob(std::string bytes) {
  return lp::Blob::FromString(std::move(bytes),
                              lp::Provenance("app.apk").Child({"classes2.dex", "", false}));
}

}  // namespace

TEST_CASE("dex strings are emitted as one segmented child") {
  auto ex = lp::NewDexExtractor();
  lp::Blob blob = DexBlob(BuildDex({"Lcom/example/Secrets;", kKey, "getKey"}));
  CHECK(ex->CanExtract(blob));
  CHECK(ex->ReplacesParentScan());
  auto run = RunExtractor(*ex, blob);
  CHECK(run.status.ok());
  CHECK(run.diagnostics.empty());
  REQUIRE(run.children.size() == 1);
  const lp::Blob& child = run.children[0];
  CHECK(child.provenance().ToString() == "app.apk!classes2.dex[dex-strings]");
  CHECK(child.bytes() == std::string("Lcom/example/Secrets;\n") + kKey + "\ngetKey");
  CHECK(child.segments().size() == 3);
  CHECK_FALSE(child.report_lines());
}

TEST_CASE("MUTF-8 is decoded: non-ASCII, U+0000 and supplementary characters") {
  auto ex = lp::NewDexExtractor();
  const std::string uni = std::string("p\xC3\xA4ssw\xC3\xB6rd_") + kKey;
  const std::string nul = std::string("a\0b", 3);
  const std::string emoji = "key\xF0\x9F\x94\x91:";  // U+1F511 as a CESU-8 pair on disk
  lp::Blob blob = DexBlob(BuildDex({uni, nul, emoji}));
  // The builder really wrote MUTF-8: no raw NUL inside, surrogates (ED A0..) present.
  CHECK(blob.bytes().find("\xC0\x80") != std::string_view::npos);
  CHECK(blob.bytes().find("\xED\xA0\xBD") != std::string_view::npos);
  auto run = RunExtractor(*ex, blob);
  REQUIRE(run.children.size() == 1);
  CHECK(run.children[0].bytes() == uni + "\n" + nul + "\n" + emoji);
}

TEST_CASE("invalid MUTF-8 bytes are replaced, the key next to them survives") {
  auto ex = lp::NewDexExtractor();
  std::string dex = BuildDex({std::string("xx") + kKey});
  const std::size_t at = dex.find("xx" + std::string(kKey));
  dex[at] = '\xFF';
  dex[at + 1] = '\xE2';  // truncated 3-byte lead
  auto run = RunExtractor(*ex, DexBlob(dex));
  REQUIRE(run.children.size() == 1);
  CHECK(run.children[0].bytes().find(kKey) != std::string_view::npos);
  CHECK(run.children[0].bytes().substr(0, 3) == "\xEF\xBF\xBD");
}

TEST_CASE("corrupt dex headers and offsets are diagnosed") {
  auto ex = lp::NewDexExtractor();
  const std::string good = BuildDex({"one", kKey, "three"});
  SECTION("truncated header") {
    auto run = RunExtractor(*ex, DexBlob(good.substr(0, 0x40)));
    CHECK(run.status.code() == lp::StatusCode::kCorrupt);
    CHECK(run.children.empty());
  }
  SECTION("string_ids outside the file") {
    std::string bad = good;
    PutU32(bad, 0x38, 0x40000000);
    auto run = RunExtractor(*ex, DexBlob(bad));
    CHECK(run.status.code() == lp::StatusCode::kCorrupt);
    CHECK(run.status.message().find("string_ids") != std::string::npos);
  }
  SECTION("one string offset past the end: the others still come out") {
    std::string bad = good;
    PutU32(bad, 0x70, 0x7FFFFFF0);
    auto run = RunExtractor(*ex, DexBlob(bad));
    CHECK(run.Diagnosed("1 of 3 strings"));
    REQUIRE(run.children.size() == 1);
    CHECK(run.children[0].bytes().find(kKey) != std::string_view::npos);
  }
  SECTION("file cut inside the string data, and every other prefix") {
    for (std::size_t n = 0; n <= good.size(); ++n) {
      (void)RunExtractor(*ex, DexBlob(good.substr(0, n)));
    }
    auto run = RunExtractor(*ex, DexBlob(good.substr(0, good.size() - 3)));
    CHECK(run.Diagnosed("unterminated"));
  }
}

TEST_CASE("many string ids pointing at one long string hit the size limit") {
  auto ex = lp::NewDexExtractor();
  std::string dex = BuildDex(std::vector<std::string>(2000, std::string(1000, 'q') + "z"));
  lp::ExtractLimits limits;
  limits.max_member_bytes = 100000;
  auto run = RunExtractor(*ex, DexBlob(dex), limits);
  CHECK(run.Diagnosed("limit"));
  REQUIRE(run.children.size() == 1);
  CHECK(run.children[0].size() <= 100000);
}

TEST_CASE("dex magic detection") {
  auto ex = lp::NewDexExtractor();
  CHECK(ex->CanExtract(DexBlob(std::string("dex\n039\0", 8))));
  CHECK_FALSE(ex->CanExtract(DexBlob(std::string("dex\n0a5\0", 8))));
  CHECK_FALSE(ex->CanExtract(DexBlob("dey\n035")));
}

TEST_CASE("strings that initialise static fields are written 'NAME = value'") {
  // A Twilio auth token is 32 hex digits: only the field's name says what it is.
  constexpr char kToken[] = "3f9a1c7e2b4d6f8a0c1e3b5d7f9a2c4e";
  const std::string dex = BuildDexWithConstants(
      "Lcom/example/BuildConfig;",
      {{"VERSION_CODE", "42", true}, {"TWILIO_AUTH_TOKEN", kToken}, {"API_KEY", kKey}}, {"getKey"});
  auto run = RunExtractor(*lp::NewDexExtractor(), DexBlob(dex));
  CHECK(run.status.ok());
  CHECK(run.diagnostics.empty());
  REQUIRE(run.children.size() == 1);
  const lp::Blob& c = run.children[0];
  CHECK(c.bytes().find(std::string("\nTWILIO_AUTH_TOKEN = ") + kToken + "\n") !=
        std::string_view::npos);
  CHECK(c.bytes().find(std::string("\nAPI_KEY = ") + kKey + "\n") != std::string_view::npos);
  CHECK(LabelOf(c, kToken) == "field com.example.BuildConfig.TWILIO_AUTH_TOKEN");
  CHECK(LabelOf(c, "getKey") == "");                                // initialises nothing
  CHECK(c.bytes().find("VERSION_CODE") != std::string_view::npos);  // the name itself stays

  auto engine = leakproof::testing::BuiltinEngine();
  auto scratch = engine->NewScratch();
  std::vector<lp::RawMatch> out;
  REQUIRE(engine->Match(c.bytes(), *scratch, out).ok());
  const bool found = std::any_of(out.begin(), out.end(), [&](const lp::RawMatch& m) {
    return engine->rules().rules()[m.rule_index].id == "twilio.auth-token";
  });
  CHECK(found);
}

TEST_CASE("broken class data or static values fall back to unnamed strings") {
  auto ex = lp::NewDexExtractor();
  const std::string good =
      BuildDexWithConstants("Lcom/example/BuildConfig;", {{"API_KEY", kKey}, {"N", "7", true}}, {});
  SECTION("static_values past the end of the file") {
    std::string bad = good;
    const std::uint32_t class_defs = *lp::AndroidByteReader(bad).U32(0x64);
    PutU32(bad, class_defs + 28, 0x7FFFFFF0);
    auto run = RunExtractor(*ex, DexBlob(bad));
    CHECK(run.Diagnosed("static values of 1 classes"));
    REQUIRE(run.children.size() == 1);
    CHECK(LabelOf(run.children[0], kKey) == "");
    CHECK(run.children[0].bytes().find(kKey) != std::string_view::npos);
  }
  SECTION("class_defs outside the file") {
    std::string bad = good;
    PutU32(bad, 0x60, 0x10000000);
    auto run = RunExtractor(*ex, DexBlob(bad));
    REQUIRE(run.children.size() == 1);
    CHECK(run.children[0].bytes().find(kKey) != std::string_view::npos);
  }
  SECTION("every prefix and every single-byte corruption: no crash, key still scanned") {
    for (std::size_t n = 0; n <= good.size(); ++n) {
      (void)RunExtractor(*ex, DexBlob(good.substr(0, n)));
    }
    for (std::size_t i = 0; i < good.size(); ++i) {
      std::string bad = good;
      bad[i] = static_cast<char>(bad[i] ^ 0x5C);
      (void)RunExtractor(*ex, DexBlob(bad));
    }
  }
}
