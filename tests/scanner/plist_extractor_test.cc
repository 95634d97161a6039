// Binary and XML plist extractors: strings come out one per segment labelled with their
// key path, UTF-16BE is decoded, data values become children, and hostile plists
// (cycles, bad offsets, truncation) end in diagnostics rather than hangs or crashes.
#include "extract/apple/plist_extractor.h"

#include "support/native_builders.h"
#include "support/native_extract_run.h"
#include "support/test_rules.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace lp = leakproof::scanner;
using leakproof::native_testing::BplistBuilder;
using leakproof::native_testing::LabelAt;
using leakproof::native_testing::RunNative;
using leakproof::native_testing::SegmentText;

namespace {

constexpr char kKey[] = "AIzaSyC4rT9wLq2mZx7VbN3kP8sJd5HfGy1UeA6";
constexpr char kKey2[] = "AIzaSyM7pQ2xW9cV4bN8kL3jH6gF1dS5aZ0tYrE";

lp::Blob Plist(std::string bytes, const char* name = "GoogleService-Info.plist") {
  return lp::Blob::FromString(std::move(bytes), lp::Provenance(name));
}

// {API_KEY: kKey, NSAppTransportSecurity: {NSExceptionDomains: "example.org"},
//  URLTypes: ["a", "b", "c", <utf-16 "Schlüssel kKey2">], Blob: <data>}
std::string SampleBplist(int ref_size) {
  BplistBuilder b(ref_size);
  const int k_api = b.Ascii("API_KEY");
  const int v_api = b.Ascii(kKey);
  const int k_ats = b.Ascii("NSAppTransportSecurity");
  const int k_dom = b.Ascii("NSExceptionDomains");
  const int v_dom = b.Ascii("example.org");
  const int ats = b.Dict({{k_dom, v_dom}});
  const int k_types = b.Ascii("URLTypes");
  std::u16string uni = u"Schl\u00fcssel ";
  for (const char* c = kKey2; *c; ++c) uni.push_back(static_cast<char16_t>(*c));
  const int types = b.Array({b.Ascii("a"), b.Ascii("b"), b.Ascii("c"), b.Utf16(uni)});
  const int k_blob = b.Ascii("Blob");
  const int v_blob = b.Data(std::string("raw:") + kKey2);
  const int top = b.Dict({{k_api, v_api}, {k_ats, ats}, {k_types, types}, {k_blob, v_blob}});
  return b.Build(top);
}

}  // namespace

TEST_CASE("bplist strings are emitted one per segment, labelled by key path") {
  auto ex = lp::NewBinaryPlistExtractor();
  for (int ref_size : {1, 2, 8}) {
    INFO("ref size " << ref_size);
    lp::Blob blob = Plist(SampleBplist(ref_size));
    REQUIRE(ex->CanExtract(blob));
    CHECK(ex->ReplacesParentScan());
    auto run = RunNative(*ex, blob);
    CHECK(run.status.ok());
    CHECK(run.diagnostics.empty());
    const lp::Blob* strings = run.Child("GoogleService-Info.plist[plist]");
    REQUIRE(strings != nullptr);
    CHECK(SegmentText(*strings, "API_KEY") == std::string("API_KEY = ") + kKey);
    CHECK(LabelAt(*strings, kKey) == "API_KEY");
    CHECK(SegmentText(*strings, "NSAppTransportSecurity.NSExceptionDomains") ==
          "NSAppTransportSecurity_NSExceptionDomains = example.org");
    CHECK(SegmentText(*strings, "URLTypes[2]") == "URLTypes[2] = c");
    // UTF-16BE decoded to UTF-8: the key is now visible to an ASCII/UTF-8 matcher.
    CHECK(SegmentText(*strings, "URLTypes[3]") ==
          std::string("URLTypes[3] = Schl\xC3\xBCssel ") + kKey2);
    CHECK(LabelAt(*strings, "NSAppTransportSecurity") == "NSAppTransportSecurity (key)");
    CHECK_FALSE(strings->report_lines());
    const lp::Blob* data = run.Child("GoogleService-Info.plist[plist-data]");
    REQUIRE(data != nullptr);
    CHECK(data->bytes() == std::string("raw:") + kKey2);
    CHECK(data->provenance().chain().back().detail == "Blob");
  }
}

TEST_CASE("bplist with long strings uses the extended length form") {
  BplistBuilder b;
  const std::string long_value = std::string(kKey) + " and more text after the key...";
  const int top = b.Dict({{b.Ascii("LongValueKeyName"), b.Ascii(long_value)}});
  auto run = RunNative(*lp::NewBinaryPlistExtractor(), Plist(b.Build(top)));
  const lp::Blob* strings = run.Child("GoogleService-Info.plist[plist]");
  REQUIRE(strings != nullptr);
  CHECK(SegmentText(*strings, "LongValueKeyName") == "LongValueKeyName = " + long_value);
}

TEST_CASE("a cyclic bplist terminates with a diagnostic and keeps what it read") {
  BplistBuilder b;
  const int root = b.Reserve();
  const int inner = b.Reserve();
  b.SetDict(root, {{b.Ascii("API_KEY"), b.Ascii(kKey)}, {b.Ascii("loop"), inner}});
  b.SetArray(inner, {b.Ascii("x"), root, inner});  // back to the root and to itself
  auto run = RunNative(*lp::NewBinaryPlistExtractor(), Plist(b.Build(root)));
  CHECK(run.Diagnosed("cyclic"));
  const lp::Blob* strings = run.Child("GoogleService-Info.plist[plist]");
  REQUIRE(strings != nullptr);
  CHECK(SegmentText(*strings, "API_KEY") == std::string("API_KEY = ") + kKey);
  CHECK(SegmentText(*strings, "loop[0]") == "loop[0] = x");
  // Raw fallback so nothing of a malformed plist goes unscanned.
  CHECK(run.Child("GoogleService-Info.plist[bplist-raw]") != nullptr);
}

TEST_CASE("a deeply nested bplist stops at the depth limit") {
  BplistBuilder b;
  int cur = b.Array({b.Ascii(kKey)});
  for (int i = 0; i < 200; ++i) cur = b.Array({cur});
  auto run = RunNative(*lp::NewBinaryPlistExtractor(), Plist(b.Build(cur)));
  CHECK(run.Diagnosed("nesting deeper"));
}

TEST_CASE("corrupt or truncated bplists give diagnostics, never crashes") {
  auto ex = lp::NewBinaryPlistExtractor();
  const std::string good = SampleBplist(1);
  SECTION("truncated to every length") {
    for (std::size_t n = 0; n < good.size(); ++n) {
      lp::Blob blob = Plist(good.substr(0, n));
      if (!ex->CanExtract(blob)) continue;
      auto run = RunNative(*ex, blob);
      CHECK((!run.status.ok() || !run.diagnostics.empty() ||
             run.Child("GoogleService-Info.plist[bplist-raw]") != nullptr ||
             run.Child("GoogleService-Info.plist[plist]") != nullptr));
    }
  }
  SECTION("bad trailer sizes") {
    std::string bad = good;
    bad[bad.size() - 26] = 9;  // offsetIntSize
    auto run = RunNative(*ex, Plist(bad));
    CHECK(run.status.code() == lp::StatusCode::kCorrupt);
    CHECK(run.Child("GoogleService-Info.plist[bplist-raw]") != nullptr);
  }
  SECTION("huge object count") {
    std::string bad = good;
    for (int i = 0; i < 8; ++i) bad[bad.size() - 24 + i] = '\x7f';
    auto run = RunNative(*ex, Plist(bad));
    CHECK(run.status.code() == lp::StatusCode::kCorrupt);
  }
  SECTION("every byte flipped") {
    for (std::size_t i = 8; i < good.size(); ++i) {
      std::string bad = good;
      bad[i] = static_cast<char>(bad[i] ^ 0xA5);
      (void)RunNative(*ex, Plist(bad));
    }
  }
}

TEST_CASE("XML plists: keys, entities, nested containers and data") {
  auto ex = lp::NewXmlPlistExtractor();
  const std::string xml = std::string(R"(<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <!-- a comment with <string>not a value</string> -->
  <key>API_KEY</key>
  <string>)") + kKey + R"(</string>
  <key>DATABASE_URL</key><string>https://a.example.org/?x=1&amp;y=&lt;2&gt;&#33;&#x41;</string>
  <key>IsEnabled</key><true/>
  <key>NSAppTransportSecurity</key>
  <dict>
    <key>NSExceptionDomains</key><string>example.org</string>
  </dict>
  <key>Schemes</key>
  <array><string>one</string><integer>2</integer><string><![CDATA[t<h>ree]]></string></array>
  <key>Blob</key>
  <data>
  cmF3OkFJemFTeU03cFEyeFc5Y1Y0Yk44a0wzakg2Z0YxZFM1
  YVowdFlyRQ==
  </data>
</dict>
</plist>
)";
  lp::Blob blob = Plist(xml, "Info.plist");
  REQUIRE(ex->CanExtract(blob));
  CHECK_FALSE(ex->ReplacesParentScan());
  CHECK_FALSE(lp::NewBinaryPlistExtractor()->CanExtract(blob));
  auto run = RunNative(*ex, blob);
  CHECK(run.status.ok());
  const lp::Blob* strings = run.Child("Info.plist[plist]");
  REQUIRE(strings != nullptr);
  CHECK(SegmentText(*strings, "API_KEY") == std::string("API_KEY = ") + kKey);
  CHECK(SegmentText(*strings, "DATABASE_URL") ==
        "DATABASE_URL = https://a.example.org/?x=1&y=<2>!A");
  CHECK(SegmentText(*strings, "NSAppTransportSecurity.NSExceptionDomains") ==
        "NSAppTransportSecurity_NSExceptionDomains = example.org");
  CHECK(SegmentText(*strings, "Schemes[0]") == "Schemes[0] = one");
  CHECK(SegmentText(*strings, "Schemes[2]") == "Schemes[2] = t<h>ree");
  CHECK(LabelAt(*strings, "not a value") == "<absent>");
  const lp::Blob* data = run.Child("Info.plist[plist-data]");
  REQUIRE(data != nullptr);
  CHECK(data->bytes() == std::string("raw:") + kKey2);
}

TEST_CASE("XML plist detection and broken XML") {
  auto ex = lp::NewXmlPlistExtractor();
  CHECK_FALSE(ex->CanExtract(Plist("<?xml version=\"1.0\"?><svg></svg>")));
  CHECK_FALSE(ex->CanExtract(Plist("just text <plist>")));
  CHECK(ex->CanExtract(Plist("\xEF\xBB\xBF\n<plist><string>x</string></plist>")));
  auto run = RunNative(*ex, Plist(std::string("<plist><dict><key>K</key><string>") + kKey));
  CHECK(run.status.code() == lp::StatusCode::kCorrupt);
  std::string deep = "<plist>";
  for (int i = 0; i < 500; ++i) deep += "<array>";
  run = RunNative(*ex, Plist(deep));
  CHECK(run.status.code() == lp::StatusCode::kLimitExceeded);
}

TEST_CASE("plist strings are charged to the byte budget") {
  lp::ExtractLimits limits;
  limits.max_member_bytes = 16;
  auto run = RunNative(*lp::NewBinaryPlistExtractor(), Plist(SampleBplist(1)), limits);
  CHECK(run.Diagnosed("byte limit"));
}

TEST_CASE("bplist values carry their key path, so keyword-gated rules find them") {
  // {Twilio: {AuthToken: <32 hex>}}: a binary plist hides the key from the raw scan.
  constexpr char kToken[] = "3f9a1c7e2b4d6f8a0c1e3b5d7f9a2c4e";
  BplistBuilder b;
  const int inner = b.Dict({{b.Ascii("AuthToken"), b.Ascii(kToken)}});
  const int top = b.Dict({{b.Ascii("Twilio"), inner}});
  auto run = RunNative(*lp::NewBinaryPlistExtractor(), Plist(b.Build(top), "Info.plist"));
  const lp::Blob* strings = run.Child("Info.plist[plist]");
  REQUIRE(strings != nullptr);
  CHECK(SegmentText(*strings, "Twilio.AuthToken") == std::string("Twilio_AuthToken = ") + kToken);
  CHECK(LabelAt(*strings, kToken) == "Twilio.AuthToken");

  auto engine = leakproof::testing::BuiltinEngine();
  auto scratch = engine->NewScratch();
  std::vector<lp::RawMatch> out;
  REQUIRE(engine->Match(strings->bytes(), *scratch, out).ok());
  const bool found = std::any_of(out.begin(), out.end(), [&](const lp::RawMatch& m) {
    return engine->rules().rules()[m.rule_index].id == "twilio.auth-token";
  });
  CHECK(found);
}
