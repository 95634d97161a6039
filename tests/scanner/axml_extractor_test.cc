// AxmlExtractor: binary XML attribute values come out labelled by element and
// attribute (meta-data by its android:name), from UTF-16 and UTF-8 pools alike.
#include "extract/android/axml_extractor.h"

#include "support/android_builders.h"
#include "support/android_extract_run.h"

#include <catch2/catch.hpp>

namespace lp = leakproof::scanner;
using leakproof::testing::AxmlNode;
using leakproof::testing::BuildAxml;
using leakproof::testing::LabelOf;
using leakproof::testing::PutU32;
using leakproof::testing::RunExtractor;

namespace {

constexpr char kMapsKey[] = "AIzaSyBq4Tn8Wc1Lr6Xp3Hv9Zk0Md7Jg2Fs5Qy1";
constexpr char kFabricKey[] = "9f3c61ab07d2e45f88a1c0b6d3e7f2a941c5b8d0";

std::vector<AxmlNode> Manifest() {
  return {
      {false, "manifest", {{"package", "com.example.leaky"}}, ""},
      {false, "application", {{"label", "Leaky"}}, ""},
      {false, "meta-data", {{"name", "com.google.android.geo.API_KEY"}, {"value", kMapsKey}}, ""},
      {true, "meta-data", {}, ""},
      {false, "meta-data", {{"value", kFabricKey}, {"name", "io.fabric.ApiKey"}}, ""},
      {true, "meta-data", {}, ""},
      {false, "provider", {{"authorities", "com.example.leaky.files"}}, "inline text"},
      {true, "provider", {}, ""},
      {true, "application", {}, ""},
      {true, "manifest", {}, ""},
  };
}

lp::Blob AxmlBlob(std::string bytes) {
  return lp::Blob::FromString(std::move(bytes),
                              lp::Provenance("app.apk").Child({"AndroidManifest.xml", "", false}));
}

}  // namespace

TEST_CASE("manifest meta-data values are labelled by their android:name") {
  auto ex = lp::NewAxmlExtractor();
  const bool utf8 = GENERATE(false, true);
  lp::Blob blob = AxmlBlob(BuildAxml(Manifest(), utf8));
  if (!utf8) {  // the reason this extractor exists: the key is not in the raw bytes
    CHECK(blob.bytes().find(kMapsKey) == std::string_view::npos);
  }
  CHECK(ex->CanExtract(blob));
  CHECK(ex->ReplacesParentScan());
  auto run = RunExtractor(*ex, blob);
  CHECK(run.status.ok());
  CHECK(run.diagnostics.empty());
  REQUIRE(run.children.size() == 1);
  const lp::Blob& c = run.children[0];
  CHECK(c.provenance().ToString() == "app.apk!AndroidManifest.xml[axml-strings]");
  CHECK(LabelOf(c, kMapsKey) == "meta-data com.google.android.geo.API_KEY");
  CHECK(LabelOf(c, kFabricKey) == "meta-data io.fabric.ApiKey");  // value before name
  // "name = value", dots as underscores, for rules that need the name beside the key.
  CHECK(c.bytes().find(std::string("com_google_android_geo_API_KEY = ") + kMapsKey) !=
        std::string_view::npos);
  CHECK(c.bytes().find(std::string("io_fabric_ApiKey = ") + kFabricKey) != std::string_view::npos);
  CHECK(LabelOf(c, "com.example.leaky.files") == "provider@authorities");
  CHECK(LabelOf(c, "com.example.leaky\n") == "manifest@package");
  CHECK(LabelOf(c, "inline text") == "provider#text");
  // Names and element strings are still there, unlabelled.
  CHECK(LabelOf(c, "application") == "");
}

TEST_CASE("truncated and corrupt binary XML is diagnosed, never a crash") {
  auto ex = lp::NewAxmlExtractor();
  const std::string good = BuildAxml(Manifest(), false);
  SECTION("every prefix") {
    for (std::size_t n = 0; n <= good.size(); ++n) {
      lp::Blob b = AxmlBlob(good.substr(0, n));
      if (ex->CanExtract(b)) (void)RunExtractor(*ex, b);
    }
    auto run = RunExtractor(*ex, AxmlBlob(good.substr(0, good.size() - 30)));
    CHECK(run.Diagnosed("truncated"));
  }
  SECTION("every single-byte corruption") {
    for (std::size_t i = 0; i < good.size(); ++i) {
      std::string bad = good;
      bad[i] = static_cast<char>(bad[i] ^ 0xA5);
      lp::Blob b = AxmlBlob(bad);
      if (ex->CanExtract(b)) (void)RunExtractor(*ex, b);
    }
    SUCCEED();
  }
  SECTION("a string pool whose count runs past the chunk") {
    std::string bad = good;
    PutU32(bad, 8 + 8, 0x10000000);  // stringCount of the pool at offset 8
    auto run = RunExtractor(*ex, AxmlBlob(bad));
    CHECK(run.Diagnosed("string count exceeds chunk"));
    CHECK(run.status.code() == lp::StatusCode::kCorrupt);
  }
}

TEST_CASE("axml magic detection") {
  auto ex = lp::NewAxmlExtractor();
  CHECK_FALSE(ex->CanExtract(AxmlBlob(std::string("\x03\x00\x08\x00", 4))));
  CHECK_FALSE(ex->CanExtract(AxmlBlob(std::string("\x02\x00\x0c\x00\x00\x00\x00\x00", 8))));
  CHECK(ex->CanExtract(AxmlBlob(std::string("\x03\x00\x08\x00\x08\x00\x00\x00", 8))));
}
