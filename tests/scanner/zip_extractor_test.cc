// ZipExtractor: members become children named by entry; limits, encryption, traversal
// names and corrupt archives become diagnostics, never crashes or huge allocations.
#include "extract/archive/zip_extractor.h"

#include "leakproof/scanner/rules_check.h"

#include "support/android_builders.h"
#include "support/android_extract_run.h"
#include "support/android_zip_builder.h"
#include "support/test_rules.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <optional>
#include <thread>

namespace lp = leakproof::scanner;
using leakproof::testing::BuildZip;
using leakproof::testing::RunExtractor;
using leakproof::testing::TestKey;
using leakproof::testing::ZipMember;

namespace {

constexpr char kKey[] = "AIzaSyD3kq9Vw2LmZp0Xr7TbN4cQh1YfUe6JsG8";

lp::Blob ZipBlob(std::string bytes, const char* name = "app.apk") {
  return lp::Blob::FromString(std::move(bytes), lp::Provenance(name));
}

std::uint32_t U32At(const std::string& s, std::size_t at) {
  std::uint32_t v = 0;
  for (int k = 3; k >= 0; --k) v = (v << 8) | static_cast<unsigned char>(s[at + k]);
  return v;
}

std::string ReadSample(const std::string& relative) {
  std::ifstream in(std::string(LEAKPROOF_SOURCE_DIR) + "/" + relative, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Every blob below `blob`, nested archives opened too, as "provenance#index:bytes".
void Flatten(const lp::Extractor& ex, const lp::Blob& blob, std::vector<std::string>& out,
             std::vector<std::string>& diagnostics) {
  auto run = RunExtractor(ex, blob);
  for (const auto& d : run.diagnostics) diagnostics.push_back(d.location + ": " + d.message);
  for (const auto& c : run.children) {
    out.push_back(c.provenance().ToString() + "#" + std::to_string(c.member_index()) + ":" +
                  std::string(c.bytes()));
    if (ex.CanExtract(c)) Flatten(ex, c, out, diagnostics);
  }
}

// Text members with one test key each, a stored one, an empty one, binary noise and a
// member of a few megabytes: the shapes an APK holds.
std::string ManyMemberZip(int members) {
  std::vector<ZipMember> m;
  std::uint32_t x = 12345;
  for (int i = 0; i < members; ++i) {
    std::string text = "// module " + std::to_string(i) + "\n";
    for (int k = 0; k < i % 40; ++k)
      text += "var v" + std::to_string(k) + " = " + std::to_string(k * i) + ";\n";
    text += "const key = \"" + TestKey(x) + "\";\n";
    m.push_back({"assets/m" + std::to_string(i) + ".js", text, i % 17 == 0});
  }
  m.push_back({"empty.txt", ""});
  std::string noise(200000, '\0');
  for (char& c : noise) {
    x = x * 1103515245u + 12345u;
    c = static_cast<char>(x >> 24);
  }
  m.push_back({"lib/noise.so", noise});
  std::string big;
  while (big.size() < (3u << 20))
    big += "function f" + std::to_string(big.size()) + "(){return 1}\n";
  m.push_back({"assets/index.android.bundle", big});
  return BuildZip(m);
}

}  // namespace

TEST_CASE("zip members become children named by entry") {
  auto ex = lp::NewZipExtractor();
  std::string zip = BuildZip({{"assets/config.json", std::string("{\"k\":\"") + kKey + "\"}"},
                              {"resources.arsc", "stored bytes", true},
                              {"res/", ""}});
  REQUIRE(!zip.empty());
  lp::Blob blob = ZipBlob(zip);
  CHECK(ex->CanExtract(blob));
  CHECK(ex->ReplacesParentScan());
  auto run = RunExtractor(*ex, blob);
  CHECK(run.status.ok());
  REQUIRE(run.children.size() == 2);  // the directory entry is skipped
  const lp::Blob* cfg = run.Child("app.apk!assets/config.json");
  REQUIRE(cfg != nullptr);
  CHECK(cfg->bytes().find(kKey) != std::string_view::npos);
  const lp::Blob* arsc = run.Child("app.apk!resources.arsc");
  REQUIRE(arsc != nullptr);
  CHECK(arsc->bytes() == "stored bytes");
  CHECK(run.diagnostics.empty());
}

TEST_CASE("a zip inside a zip is emitted as a child that is itself a zip") {
  auto ex = lp::NewZipExtractor();
  std::string inner = BuildZip({{"classes.dex", kKey}});
  std::string outer = BuildZip({{"base.apk", inner}, {"manifest.json", "{}"}});
  auto run = RunExtractor(*ex, ZipBlob(outer, "app.xapk"));
  const lp::Blob* apk = run.Child("app.xapk!base.apk");
  REQUIRE(apk != nullptr);
  CHECK(apk->bytes() == inner);
  CHECK(ex->CanExtract(*apk));
  auto inner_run = RunExtractor(*ex, *apk);
  REQUIRE(inner_run.Child("app.xapk!base.apk!classes.dex") != nullptr);
}

TEST_CASE("a zip bomb is reported and not inflated") {
  auto ex = lp::NewZipExtractor();
  std::string zeros(50u << 20, '\0');
  std::string zip = BuildZip({{"bomb.bin", zeros}, {"ok.txt", kKey}});
  zeros.clear();
  zeros.shrink_to_fit();
  REQUIRE(zip.size() < (1u << 20));  // deflate packs 50 MB of zeros ~1000:1
  auto run = RunExtractor(*ex, ZipBlob(zip, "bomb.zip"));
  CHECK(run.Diagnosed("compression ratio"));
  CHECK(run.Child("bomb.zip!bomb.bin") == nullptr);
  CHECK(run.Child("bomb.zip!ok.txt") != nullptr);  // the rest is still scanned
  lp::ExtractLimits defaults;
  CHECK(defaults.max_total_bytes - run.budget_left < 1024);  // nothing big was inflated
}

TEST_CASE("a member that inflates past its declared size is cut at the limit") {
  auto ex = lp::NewZipExtractor();
  std::string big(300000, 'a');
  for (std::size_t i = 0; i < big.size(); i += 97) big[i] = static_cast<char>('b' + i % 20);
  lp::ExtractLimits limits;
  limits.max_member_bytes = 100000;
  auto run = RunExtractor(*ex, ZipBlob(BuildZip({{"big.txt", big}})), limits);
  CHECK(run.Diagnosed("per-member limit"));
  CHECK(run.children.empty());
}

TEST_CASE("a member whose directory understates its size is cut at the declared size") {
  auto ex = lp::NewZipExtractor();
  std::string text(5000, 'k');
  for (std::size_t i = 0; i < text.size(); i += 3) text[i] = static_cast<char>('a' + i % 23);
  std::string z = BuildZip({{"d.txt", text}});
  // Rewrite the uncompressed size in the local header (offset 22) and the central
  // directory entry (offset 24) to 1000: the deflate stream still holds 5000 bytes.
  const std::size_t cd = z.find("PK\x01\x02");
  REQUIRE(cd != std::string::npos);
  leakproof::testing::PutU32(z, 22, 1000);
  leakproof::testing::PutU32(z, cd + 24, 1000);
  auto run = RunExtractor(*ex, ZipBlob(z));
  CHECK_FALSE(run.diagnostics.empty());
  for (const auto& c : run.children) CHECK(c.size() <= 1000);
}

TEST_CASE("the total byte budget stops extraction") {
  auto ex = lp::NewZipExtractor();
  const std::string a(70000, 'q');  // stored, so the ratio limit stays out of the way
  lp::ExtractLimits limits;
  limits.max_total_bytes = 100000;
  auto run = RunExtractor(*ex, ZipBlob(BuildZip({{"a", a, true}, {"b", a, true}, {"c", a, true}})),
                          limits);
  CHECK(run.Diagnosed("budget exhausted"));
  CHECK(run.children.size() == 1);
}

TEST_CASE("entry count limit") {
  auto ex = lp::NewZipExtractor();
  std::vector<ZipMember> members;
  for (int i = 0; i < 10; ++i) members.push_back({"f" + std::to_string(i), "x"});
  lp::ExtractLimits limits;
  limits.max_entries = 4;
  auto run = RunExtractor(*ex, ZipBlob(BuildZip(members)), limits);
  CHECK(run.Diagnosed("entries exceed the limit"));
  CHECK(run.children.size() == 4);
}

TEST_CASE("path traversal names are flagged and still scanned as data") {
  auto ex = lp::NewZipExtractor();
  auto run = RunExtractor(
      *ex,
      ZipBlob(BuildZip({{"../../etc/cron.d/x", kKey}, {"/abs/path", "y"}, {"fine/..name", "z"}})));
  int suspicious = 0;
  for (const auto& d : run.diagnostics) {
    if (d.message.find("suspicious member name") != std::string::npos) ++suspicious;
  }
  CHECK(suspicious == 2);
  const lp::Blob* evil = run.Child("app.apk!../../etc/cron.d/x");
  REQUIRE(evil != nullptr);
  CHECK(evil->bytes() == kKey);
}

TEST_CASE("encrypted members are reported as not scannable") {
  auto ex = lp::NewZipExtractor();
  std::string zip = BuildZip({{"secret.txt", kKey, false, "pw"}, {"plain.txt", "hello"}});
  REQUIRE(!zip.empty());
  auto run = RunExtractor(*ex, ZipBlob(zip));
  CHECK(run.Diagnosed("encrypted member, not scannable"));
  CHECK(run.Child("app.apk!secret.txt") == nullptr);
  CHECK(run.Child("app.apk!plain.txt") != nullptr);
}

TEST_CASE("truncated and corrupt archives give a diagnostic, never a crash") {
  auto ex = lp::NewZipExtractor();
  std::string zip = BuildZip({{"a.txt", std::string("stored ") + kKey, true}, {"b.txt", "bbb"}});
  SECTION("cut inside the second member: the first is recovered from its local header") {
    const std::size_t second = zip.find(std::string("PK\x03\x04", 4), 4);
    REQUIRE(second != std::string::npos);
    auto run = RunExtractor(*ex, ZipBlob(zip.substr(0, second + 33)));
    CHECK(run.Diagnosed("recovered 1 complete members"));
    REQUIRE(run.children.size() == 1);
    CHECK(run.children[0].provenance().ToString() == "app.apk!a.txt");
    CHECK(run.children[0].bytes() == std::string("stored ") + kKey);
  }
  SECTION("cut inside the first header: the raw bytes are handed on") {
    lp::Blob blob = ZipBlob(zip.substr(0, 20));
    auto run = RunExtractor(*ex, blob);
    CHECK(run.Diagnosed("cannot open archive"));
    REQUIRE(run.children.size() == 1);
    CHECK(run.children[0].provenance().ToString() == "app.apk[unreadable-zip]");
    CHECK_FALSE(ex->CanExtract(run.children[0]));  // no loop
  }
  SECTION("every prefix and single-byte corruption") {
    for (std::size_t n = 0; n <= zip.size(); n += 7) {
      (void)RunExtractor(*ex, ZipBlob(zip.substr(0, n)));
    }
    for (std::size_t i = 0; i < zip.size(); ++i) {
      std::string bad = zip;
      bad[i] = static_cast<char>(bad[i] ^ 0x5A);
      (void)RunExtractor(*ex, ZipBlob(bad));
    }
    SUCCEED();
  }
  SECTION("a damaged deflate stream is reported on the member") {
    std::string text(5000, 'k');
    for (std::size_t i = 0; i < text.size(); i += 3) text[i] = static_cast<char>('a' + i % 23);
    std::string z = BuildZip({{"d.txt", text}});
    const std::size_t data = 30 + 5;  // local header + name "d.txt"
    for (std::size_t i = data + 10; i < data + 40; ++i) z[i] = static_cast<char>(~z[i]);
    auto run = RunExtractor(*ex, ZipBlob(z));
    CHECK_FALSE(run.diagnostics.empty());
  }
}

TEST_CASE("a streamed member (data descriptor) is recovered from a cut-off archive") {
  auto ex = lp::NewZipExtractor();
  const std::string data = std::string("token=") + kKey;
  std::uint32_t crc = 0xFFFFFFFF;  // CRC-32 (IEEE), so libzip's check passes
  for (unsigned char c : data) {
    crc ^= c;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  crc = ~crc;
  std::string z = std::string("PK\x03\x04", 4) + std::string(26, '\0') + "s.env" + data;
  leakproof::testing::PutU16(z, 4, 20);      // version needed
  leakproof::testing::PutU16(z, 6, 0x0008);  // sizes follow in a data descriptor
  leakproof::testing::PutU16(z, 26, 5);      // name length
  z += std::string("PK\x07\x08", 4) + std::string(12, '\0');
  leakproof::testing::PutU32(z, z.size() - 12, crc);
  leakproof::testing::PutU32(z, z.size() - 8, static_cast<std::uint32_t>(data.size()));
  leakproof::testing::PutU32(z, z.size() - 4, static_cast<std::uint32_t>(data.size()));
  z += std::string("PK\x03\x04", 4) + "cut";  // the next member and the directory are gone
  auto run = RunExtractor(*ex, ZipBlob(z));
  const lp::Blob* env = run.Child("app.apk!s.env");
  REQUIRE(env != nullptr);
  CHECK(env->bytes() == data);
}

TEST_CASE("zip magic detection") {
  auto ex = lp::NewZipExtractor();
  CHECK(ex->CanExtract(ZipBlob(std::string("PK\x05\x06", 4) + std::string(18, '\0'))));
  CHECK_FALSE(ex->CanExtract(ZipBlob("PK")));
  CHECK_FALSE(ex->CanExtract(ZipBlob("hello world")));
  auto run = RunExtractor(*ex, ZipBlob(std::string("PK\x05\x06", 4) + std::string(18, '\0')));
  CHECK(run.children.empty());
  CHECK(run.diagnostics.empty());
}

TEST_CASE("libdeflate and libzip inflate every member to the same bytes") {
  auto fast = lp::NewZipExtractor();
  auto reference = lp::NewZipExtractor(lp::ZipInflate::kLibzipOnly);
  const std::vector<std::pair<std::string, std::string>> archives = {
      {"samples/android/app.apk", ReadSample("samples/android/app.apk")},
      {"samples/android/app.xapk", ReadSample("samples/android/app.xapk")},
      {"samples/ios/App.ipa", ReadSample("samples/ios/App.ipa")},
      {"many.zip", ManyMemberZip(120)},
  };
  for (const auto& [name, bytes] : archives) {
    INFO(name);
    REQUIRE(bytes.size() > 100);
    std::vector<std::string> a, b, da, db;
    Flatten(*fast, ZipBlob(bytes, name.c_str()), a, da);
    Flatten(*reference, ZipBlob(bytes, name.c_str()), b, db);
    CHECK(a.size() > 2);
    CHECK(a == b);
    CHECK(da == db);
  }
}

TEST_CASE("the libdeflate path finds the same keys as the libzip path") {
  auto engine = leakproof::testing::TestEngine();
  const lp::Blob zip = ZipBlob(ManyMemberZip(60));
  auto fingerprints = [&](const lp::Extractor& ex) {
    std::vector<std::string> out;
    for (const auto& c : RunExtractor(ex, zip).children) {
      for (const auto& f : lp::ScanBytesForTest(*engine, c.bytes())) {
        out.push_back(c.provenance().ToString() + " " + f.fingerprint + " " +
                      std::to_string(f.location.offset));
      }
    }
    return out;
  };
  const auto fast = fingerprints(*lp::NewZipExtractor());
  CHECK(fast.size() == 60);
  CHECK(fast == fingerprints(*lp::NewZipExtractor(lp::ZipInflate::kLibzipOnly)));
}

TEST_CASE("a damaged deflated member is reported by either inflater") {
  std::string text(5000, 'k');
  for (std::size_t i = 0; i < text.size(); i += 3) text[i] = static_cast<char>('a' + i % 23);
  const std::string zip = BuildZip({{"d.txt", text}, {"e.txt", kKey}});
  const std::size_t cd = zip.find("PK\x01\x02");
  REQUIRE(cd != std::string::npos);
  for (auto mode : {lp::ZipInflate::kLibdeflate, lp::ZipInflate::kLibzipOnly}) {
    auto ex = lp::NewZipExtractor(mode);
    INFO((mode == lp::ZipInflate::kLibdeflate ? "libdeflate" : "libzip"));
    {  // a wrong CRC
      std::string z = zip;
      leakproof::testing::PutU32(z, 14, 0x12345678);       // local header
      leakproof::testing::PutU32(z, cd + 16, 0x12345678);  // central directory
      auto run = RunExtractor(*ex, ZipBlob(z));
      CHECK(run.Diagnosed("CRC error"));
      const lp::Blob* d = run.Child("app.apk!d.txt");
      REQUIRE(d != nullptr);  // the bytes are still scanned
      CHECK(d->bytes() == text);
      CHECK(run.Child("app.apk!e.txt") != nullptr);
    }
    {  // a garbled stream
      std::string z = zip;
      const std::size_t data = 30 + 5;  // local header + name "d.txt"
      for (std::size_t i = data + 10; i < data + 40; ++i) z[i] = static_cast<char>(~z[i]);
      auto run = RunExtractor(*ex, ZipBlob(z));
      CHECK_FALSE(run.diagnostics.empty());
      for (const auto& c : run.children) CHECK(c.size() <= text.size());
      CHECK(run.Child("app.apk!e.txt") != nullptr);  // the next member is fine
    }
    {  // a cut stream
      std::string z = zip;
      const std::size_t comp = U32At(z, cd + 20);
      leakproof::testing::PutU32(z, 18, static_cast<std::uint32_t>(comp / 2));
      leakproof::testing::PutU32(z, cd + 20, static_cast<std::uint32_t>(comp / 2));
      auto run = RunExtractor(*ex, ZipBlob(z));
      CHECK_FALSE(run.diagnostics.empty());
      for (const auto& c : run.children) CHECK(c.size() <= text.size());
    }
  }
}

TEST_CASE("a member that inflates to less than declared is reported, and scanned") {
  std::string text(5000, 'k');
  for (std::size_t i = 0; i < text.size(); i += 3) text[i] = static_cast<char>('a' + i % 23);
  std::string z = BuildZip({{"d.txt", text}});
  const std::size_t cd = z.find("PK\x01\x02");
  REQUIRE(cd != std::string::npos);
  leakproof::testing::PutU32(z, 22, 6000);
  leakproof::testing::PutU32(z, cd + 24, 6000);
  auto run = RunExtractor(*lp::NewZipExtractor(), ZipBlob(z));
  CHECK(run.Diagnosed("fewer than the 6000 its directory entry declares"));
  const lp::Blob* d = run.Child("app.apk!d.txt");
  REQUIRE(d != nullptr);
  CHECK(d->bytes() == text);
  lp::ExtractLimits defaults;
  CHECK(defaults.max_total_bytes - run.budget_left == 5000);  // the unused 1000 went back
}

TEST_CASE("members can be emitted largest first, each with its entry number") {
  auto ex = lp::NewZipExtractor();
  auto text = [](std::size_t n) {
    std::string t;
    std::uint32_t x = static_cast<std::uint32_t>(n);
    while (t.size() < n) t += TestKey(x) + "\n";  // incompressible enough for the ratio limit
    return t.substr(0, n);
  };
  const lp::Blob zip = ZipBlob(BuildZip({{"small", "s"},
                                         {"large", text(9000)},
                                         {"dir/", ""},
                                         {"medium", text(300), true},
                                         {"large-too", text(9000)}}));
  lp::ExtractLimits limits;
  lp::ByteBudget budget(limits.max_total_bytes);
  lp::ExtractContext ctx(limits, budget, [](lp::Diagnostic) {});
  ctx.set_members_largest_first(true);
  std::vector<std::string> order;
  std::vector<std::uint64_t> index;
  REQUIRE(ex->Extract(zip, ctx, [&](lp::Blob c) {
              order.push_back(c.provenance().chain().back().name);
              index.push_back(c.member_index());
              return true;
            }).ok());
  CHECK(order == std::vector<std::string>{"large", "large-too", "medium", "small"});
  CHECK(index == std::vector<std::uint64_t>{1, 4, 3, 0});
  auto in_order = RunExtractor(*ex, zip);  // the default: archive order
  REQUIRE(in_order.children.size() == 4);
  CHECK(in_order.children[0].member_index() == 0);
  CHECK(in_order.children[3].member_index() == 4);
}

TEST_CASE("a member handed over unmade is inflated by its maker on another thread") {
  auto ex = lp::NewZipExtractor();
  std::string text(5000, 'k');
  for (std::size_t i = 0; i < text.size(); i += 3) text[i] = static_cast<char>('a' + i % 23);
  std::string z = BuildZip({{"a.txt", text}, {"s.txt", "stored", true}, {"d.txt", text}});
  const std::size_t damaged = z.find("d.txt") + 5;  // the data of the last member
  for (std::size_t i = damaged + 10; i < damaged + 40; ++i) z[i] = static_cast<char>(~z[i]);
  const lp::Blob zip = ZipBlob(z);

  lp::ExtractLimits limits;
  lp::ByteBudget budget(limits.max_total_bytes);
  std::vector<lp::Diagnostic> diagnostics;
  lp::ExtractContext ctx(limits, budget, [&](lp::Diagnostic d) { diagnostics.push_back(d); });
  std::vector<std::pair<std::uint64_t, lp::ChildMaker>> makers;
  std::vector<lp::Blob> made;
  ctx.set_deferred_sink([&](std::uint64_t index, std::uint64_t held, lp::ChildMaker make) {
    CHECK(held < text.size());  // a queued member holds its stream, not its bytes
    makers.emplace_back(index, std::move(make));
    return true;
  });
  REQUIRE(ex->Extract(zip, ctx, [&](lp::Blob c) {
              made.push_back(std::move(c));
              return true;
            }).ok());
  REQUIRE(made.size() == 1);  // the stored member: nothing to inflate
  CHECK(made[0].bytes() == "stored");
  REQUIRE(makers.size() == 2);

  std::vector<std::optional<lp::Blob>> children;
  std::thread worker([&] {
    lp::ExtractContext own(limits, budget, [&](lp::Diagnostic d) { diagnostics.push_back(d); });
    for (auto& [index, make] : makers) children.push_back(make(own));
  });
  worker.join();
  REQUIRE(children[0].has_value());
  CHECK(children[0]->bytes() == text);
  CHECK(children[0]->member_index() == makers[0].first);
  CHECK(children[0]->provenance().ToString() == "app.apk!a.txt");
  // The damaged stream went to libzip's reader, on a handle of its own, which reports it
  // exactly as when the whole archive is read in place.
  auto in_place = RunExtractor(*ex, zip);
  REQUIRE(in_place.diagnostics.size() == 1);
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0].message == in_place.diagnostics[0].message);
  const lp::Blob* d = in_place.Child("app.apk!d.txt");
  CHECK((children[1].has_value() ? std::string(children[1]->bytes()) : "") ==
        (d != nullptr ? std::string(d->bytes()) : ""));
  CHECK(budget.remaining() ==
        limits.max_total_bytes - text.size() - 6 - (children[1] ? children[1]->size() : 0));
}
