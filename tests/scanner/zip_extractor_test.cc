// ZipExtractor: members become children named by entry; limits, encryption, traversal
// names and corrupt archives become diagnostics, never crashes or huge allocations.
#include "extract/zip_extractor.h"

#include "support/android_builders.h"
#include "support/android_extract_run.h"
#include "support/android_zip_builder.h"

#include <catch2/catch.hpp>

namespace lp = leakproof::scanner;
using leakproof::testing::BuildZip;
using leakproof::testing::RunExtractor;
using leakproof::testing::ZipMember;

namespace {

constexpr char kKey[] = "AIzaSyD3kq9Vw2LmZp0Xr7TbN4cQh1YfUe6JsG8";

lp::Blob ZipBlob(std::string bytes, const char* name = "app.apk") {
  return lp::Blob::FromString(std::move(bytes), lp::Provenance(name));
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
