// Compressed streams and archives beyond zip (issue 18), built by the real tools
// (gzip, bzip2, xz, zstd, lz4, brotli, tar, npm pack, dpkg-deb) at test time: every
// planted key is found with its full provenance chain, decoys are not reported, and
// damaged or hostile inputs are warnings, never a crash or a silent skip.
#include "leakproof/scanner/scanner.h"

#include "extract/archive/libarchive_extractor.h"
#include "support/android_extract_run.h"
#include "support/scan_run.h"
#include "support/test_rules.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>

namespace lp = leakproof::scanner;
using leakproof::testing::DiagnosticLines;
using leakproof::testing::FoundUnder;
using leakproof::testing::ReadWholeFile;
using leakproof::testing::RunExtractor;
using leakproof::testing::RunShellIn;
using leakproof::testing::ScanWithTestRules;
using leakproof::testing::TempDir;
using leakproof::testing::TestKey;

namespace {

// ~600 KB of minified-looking JavaScript with `key` in the middle and a decoy that
// the rules must not report (a test-mode key).
std::string Bundle(const std::string& key) {
  std::string js;
  int i = 0;
  while (js.size() < 300 * 1024) {
    js += "function m" + std::to_string(i) + "(e,t){return e.map(function(n){return n+" +
          std::to_string(i) + "*t})};";
    ++i;
  }
  js += "var cfg={apiKey:\"" + key + "\",mode:\"tc_test_9fK2mQ7xLp4RtZ8vWb3NcY6d\"};";
  while (js.size() < 600 * 1024) {
    js += "var v" + std::to_string(i) + "=document.getElementById(\"n" + std::to_string(i) + "\");";
    ++i;
  }
  return js;
}

bool HasWarning(const lp::ScanResult& r, const std::string& text) {
  for (const auto& d : r.diagnostics) {
    if (d.level == lp::DiagnosticLevel::kWarning && d.message.find(text) != std::string::npos) {
      return true;
    }
  }
  return false;
}

}  // namespace

TEST_CASE("precompressed bundles are decoded by magic (brotli by its .br name)") {
  TempDir d;
  std::uint32_t seed = 1801;
  const std::map<std::string, std::string> tools = {
      {"main.js.gz", "gzip -9 -c"},  {"main.js.bz2", "bzip2 -c"},  {"main.js.xz", "xz -c"},
      {"main.js.zst", "zstd -q -c"}, {"main.js.lz4", "lz4 -q -c"}, {"main.js.br", "brotli -c"},
      {"asset.bin", "gzip -c"},  // renamed: the magic, not the name, decides
  };
  std::map<std::string, std::string> planted;
  RunShellIn(d, "mkdir -p dist");
  for (const auto& [name, tool] : tools) {
    const std::string key = TestKey(seed);
    planted[name] = key;
    d.Write("src/" + name + ".js", Bundle(key));
    RunShellIn(d, tool + " src/" + name + ".js > dist/" + name);
  }
  std::filesystem::remove_all(d.path() / "src");
  const auto r = ScanWithTestRules(d.path().string());
  INFO(DiagnosticLines(r));
  const auto found = FoundUnder(r, d);
  const std::map<std::string, std::string> step = {{"main.js.gz", "gzip"}, {"main.js.bz2", "bzip2"},
                                                   {"main.js.xz", "xz"},   {"main.js.zst", "zstd"},
                                                   {"main.js.lz4", "lz4"}, {"main.js.br", "brotli"},
                                                   {"asset.bin", "gzip"}};
  for (const auto& [name, key] : planted) {
    const std::string where = "dist/" + name + "[" + step.at(name) + "]";
    INFO(where);
    REQUIRE(found.count(where) == 1);
    CHECK(found.find(where)->second == key);
  }
  CHECK(found.size() == planted.size());  // the decoys stay unreported
  CHECK(r.diagnostics.empty());
}

TEST_CASE("npm pack tarball: members named inside the package") {
  TempDir d;
  std::uint32_t seed = 1802;
  const std::string key = TestKey(seed);
  d.Write("pkg/package.json",
          R"({"name":"leaky-widget","version":"1.2.3","main":"dist/index.js"})");
  d.Write("pkg/dist/index.js", Bundle(key));
  RunShellIn(d, "cd pkg && npm pack --silent --pack-destination .. --offline");
  std::filesystem::remove_all(d.path() / "pkg");
  const auto r = ScanWithTestRules(d.path().string());
  INFO(DiagnosticLines(r));
  const auto found = FoundUnder(r, d);
  REQUIRE(found.count("leaky-widget-1.2.3.tgz!package/dist/index.js") == 1);
  CHECK(found.size() == 1);
  CHECK(r.diagnostics.empty());
}

TEST_CASE(".deb from dpkg-deb: ar, then the data tarball, then the file") {
  TempDir d;
  std::uint32_t seed = 1803;
  const std::string key = TestKey(seed);
  d.Write("root/DEBIAN/control",
          "Package: leaky\nVersion: 1.0\nArchitecture: all\nMaintainer: t <t@example.com>\n"
          "Description: test\n");
  d.Write("root/usr/share/leaky/config.js", "module.exports = { token: '" + key + "' };\n");
  RunShellIn(d, "dpkg-deb -Zxz --root-owner-group --build root leaky.deb");
  std::filesystem::remove_all(d.path() / "root");
  const auto r = ScanWithTestRules(d.path().string());
  INFO(DiagnosticLines(r));
  const auto found = FoundUnder(r, d);
  REQUIRE(found.count("leaky.deb!data.tar.xz!usr/share/leaky/config.js") == 1);
  CHECK(found.size() == 1);
}

TEST_CASE("tar in every compression, and cpio, keep member names") {
  TempDir d;
  std::uint32_t seed = 1804;
  const std::string key = TestKey(seed);
  d.Write("tree/app/server.js", "const token = \"" + key + "\";\n");
  RunShellIn(d,
             "tar cf plain.tar -C tree app && tar czf gz.tar.gz -C tree app && "
             "tar cJf xz.txz -C tree app && tar --zstd -cf z.tar.zst -C tree app && "
             "tar cjf b.tbz2 -C tree app && (cd tree && find app | cpio -o -H newc > ../a.cpio)");
  std::filesystem::remove_all(d.path() / "tree");
  const auto r = ScanWithTestRules(d.path().string());
  INFO(DiagnosticLines(r));
  const auto found = FoundUnder(r, d);
  for (const char* where :
       {"plain.tar!app/server.js", "gz.tar.gz!app/server.js", "xz.txz!app/server.js",
        "z.tar.zst!app/server.js", "b.tbz2!app/server.js", "a.cpio!app/server.js"}) {
    INFO(where);
    CHECK(found.count(where) == 1);
  }
  CHECK(found.size() == 6);
  CHECK(r.diagnostics.empty());
}

TEST_CASE("a gzip bomb stops at the ratio limit with a warning") {
  TempDir d;
  RunShellIn(
      d, "head -c 64M /dev/zero | gzip -1 > bomb.gz && head -c 64M /dev/zero | zstd -q > bomb.zst");
  for (const char* name : {"bomb.gz", "bomb.zst"}) {
    INFO(name);
    const lp::Blob blob =
        lp::Blob::FromString(ReadWholeFile(d.path() / name), lp::Provenance(name));
    const auto ex = lp::NewLibarchiveExtractor();
    REQUIRE(ex->CanExtract(blob));
    const auto run = RunExtractor(*ex, blob);
    CHECK(run.Diagnosed("decompression bomb"));
    REQUIRE(run.children.size() == 1);
    // Stopped near 200 times the compressed size, long before 64 MiB.
    CHECK(run.children[0].size() <= std::max<std::size_t>(blob.size() * 200, 1u << 20));
    CHECK(run.children[0].size() < (64u << 20));
  }
}

TEST_CASE("a tar with more entries than the limit is cut short with a warning") {
  TempDir d;
  RunShellIn(d,
             "mkdir many && cd many && seq 1 3000 | xargs touch && cd .. && tar czf many.tgz many");
  lp::ExtractLimits limits;
  limits.max_entries = 1000;
  const lp::Blob blob =
      lp::Blob::FromString(ReadWholeFile(d.path() / "many.tgz"), lp::Provenance("many.tgz"));
  const auto run = RunExtractor(*lp::NewLibarchiveExtractor(), blob, limits);
  CHECK(run.Diagnosed("more than 1000 entries"));
}

TEST_CASE("per-member and budget limits apply to archive members") {
  TempDir d;
  // Text that barely compresses, so the budget, not the ratio, is what stops it.
  std::string big;
  std::uint32_t x = 7;
  while (big.size() < (3u << 20)) {
    x = x * 1103515245u + 12345u;
    big += static_cast<char>('a' + (x >> 16) % 26);
  }
  d.Write("t/big.txt", big);
  d.Write("t/small.txt", "hello");
  RunShellIn(d, "tar czf t.tgz -C t big.txt small.txt");
  const lp::Blob blob =
      lp::Blob::FromString(ReadWholeFile(d.path() / "t.tgz"), lp::Provenance("t.tgz"));
  lp::ExtractLimits limits;
  limits.max_member_bytes = 1u << 20;
  auto run = RunExtractor(*lp::NewLibarchiveExtractor(), blob, limits);
  CHECK(run.Diagnosed("exceeds the per-member limit"));
  CHECK(run.Child("t.tgz!small.txt") != nullptr);  // the archive goes on after the big one
  lp::ExtractLimits tight;
  tight.max_total_bytes = 1u << 20;
  run = RunExtractor(*lp::NewLibarchiveExtractor(), blob, tight);
  CHECK(run.Diagnosed("budget exhausted"));
}

TEST_CASE("damaged streams: what decoded is scanned, and the damage is a warning") {
  TempDir d;
  std::uint32_t seed = 1805;
  const std::string key = TestKey(seed);
  d.Write("a/early.js", "var k = \"" + key + "\";\n");
  d.Write("a/late.js", Bundle("nothing"));
  RunShellIn(d,
             "tar czf cut.tgz -C a early.js late.js && head -c 20000 cut.tgz > cut2.tgz && "
             "mv cut2.tgz cut.tgz && rm -r a");
  // Starts with gzip's magic, is not gzip: the raw bytes are scanned instead.
  const std::string fake_key = TestKey(seed);
  d.Write("fake.gz",
          std::string("\x1f\x8b\x08\0\0\0\0\0\0\x03", 10) + "garbage k=\"" + fake_key + "\"");
  // Named .br, not brotli: the same.
  const std::string br_key = TestKey(seed);
  d.Write("plain.js.br", "var k=\"" + br_key + "\";\n");
  const auto r = ScanWithTestRules(d.path().string());
  INFO(DiagnosticLines(r));
  const auto found = FoundUnder(r, d);
  CHECK(found.count("cut.tgz!early.js") == 1);
  CHECK(found.count("fake.gz[unreadable-archive]") == 1);
  CHECK(found.count("plain.js.br[not-brotli]") == 1);
  CHECK(HasWarning(r, "scanning the bytes read so far"));
  CHECK(HasWarning(r, "archive: cannot read"));
  CHECK(HasWarning(r, "brotli: named .br but does not decode"));
}

TEST_CASE("magic checks are strict enough for text that happens to start alike") {
  CHECK_FALSE(lp::LooksLikeLibarchiveInput("070701 is the first number in the list\n"));
  CHECK_FALSE(lp::LooksLikeLibarchiveInput(std::string("\x1f\x8b\x08garbage", 10)));
  CHECK_FALSE(lp::LooksLikeLibarchiveInput("BZh? not bzip2"));
  CHECK(lp::LooksLikeLibarchiveInput(std::string("\x1f\x8b\x08\0", 4)));
  CHECK(lp::LooksLikeLibarchiveInput("070701" + std::string(104, '0')));
}

TEST_CASE("7z and iso9660 written by bsdtar keep member names") {
  TempDir d;
  std::uint32_t seed = 1806;
  const std::string key = TestKey(seed);
  d.Write("tree/app/server.js", "const token = \"" + key + "\";\n");
  RunShellIn(d,
             "cd tree && bsdtar --format 7zip -cf ../a.7z app && bsdtar --format iso9660 -cf "
             "../a.iso app");
  std::filesystem::remove_all(d.path() / "tree");
  const auto r = ScanWithTestRules(d.path().string());
  INFO(DiagnosticLines(r));
  const auto found = FoundUnder(r, d);
  CHECK(found.count("a.7z!app/server.js") == 1);
  CHECK(found.count("a.iso!app/server.js") == 1);
  CHECK(found.size() == 2);
  CHECK(r.diagnostics.empty());
}

TEST_CASE(".rpm: lead and headers skipped, the cpio payload opened") {
  TempDir d;
  std::uint32_t seed = 1807;
  const std::string key = TestKey(seed);
  d.Write("root/usr/share/leaky/app.js", "const k = \"" + key + "\";\n");
  // The payload as rpmbuild writes it: a newc cpio of ./-relative paths, gzipped.
  RunShellIn(d,
             "cd root && find . -type f | cpio -o -H newc --quiet | gzip -n > ../payload.cpio.gz");
  // Lead (96 bytes: magic, version 3.0, binary type, signature type 5) and two empty
  // header sections (signature, then main), as the RPM file format lays them out.
  std::string lead(96, '\0');
  lead.replace(0, 4, "\xed\xab\xee\xdb");
  lead[4] = 3;
  lead.replace(10, 5, "leaky");
  lead[79] = 5;
  const std::string header("\x8e\xad\xe8\x01\0\0\0\0\0\0\0\0\0\0\0\0", 16);
  {
    std::ofstream out(d.path() / "leaky-1.0-1.noarch.rpm", std::ios::binary);
    out << lead << header << header << ReadWholeFile(d.path() / "payload.cpio.gz");
  }
  std::filesystem::remove_all(d.path() / "root");
  std::filesystem::remove(d.path() / "payload.cpio.gz");
  const auto r = ScanWithTestRules(d.path().string());
  INFO(DiagnosticLines(r));
  const auto found = FoundUnder(r, d);
  CHECK(found.count("leaky-1.0-1.noarch.rpm!usr/share/leaky/app.js") == 1);
  CHECK(found.size() == 1);
  CHECK(r.diagnostics.empty());
}

TEST_CASE(".cab from gcab: MSZIP folder opened, member named") {
  TempDir d;
  std::uint32_t seed = 1808;
  const std::string key = TestKey(seed);
  d.Write("app/server.js", "const token = \"" + key + "\";\n");
  RunShellIn(d, "gcab -c -z a.cab app/server.js && rm -r app");
  const auto r = ScanWithTestRules(d.path().string());
  INFO(DiagnosticLines(r));
  const auto found = FoundUnder(r, d);
  CHECK(found.size() == 1);
  CHECK(found.count("a.cab!app/server.js") == 1);
  CHECK(r.diagnostics.empty());
}

TEST_CASE("members of an uncompressed tar are views of the input, not copies") {
  TempDir d;
  d.Write("t/a.js", std::string(200000, 'a'));
  d.Write("t/b.js", "var b = 1;\n");
  RunShellIn(d, "tar cf t.tar -C t a.js b.js && tar czf t.tgz -C t a.js b.js");
  const lp::Blob plain =
      lp::Blob::FromString(ReadWholeFile(d.path() / "t.tar"), lp::Provenance("t.tar"));
  const auto run = RunExtractor(*lp::NewLibarchiveExtractor(), plain);
  REQUIRE(run.children.size() == 2);
  for (const auto& c : run.children) {
    INFO(c.provenance().ToString());
    const auto at = c.bytes().data() - plain.bytes().data();
    CHECK(at >= 0);
    CHECK(static_cast<std::size_t>(at) + c.size() <= plain.size());
    CHECK(c.owner() == plain.owner());
  }
  CHECK(run.children[0].bytes() == std::string(200000, 'a'));
  CHECK(run.budget_left == lp::ExtractLimits{}.max_total_bytes);
  // Compressed: copies, charged to the budget.
  const lp::Blob gz =
      lp::Blob::FromString(ReadWholeFile(d.path() / "t.tgz"), lp::Provenance("t.tgz"));
  const auto zrun = RunExtractor(*lp::NewLibarchiveExtractor(), gz);
  REQUIRE(zrun.children.size() == 2);
  CHECK(zrun.children[0].bytes() == std::string(200000, 'a'));
  CHECK(zrun.children[0].owner() != gz.owner());
  CHECK(zrun.budget_left == lp::ExtractLimits{}.max_total_bytes - 200011);
}
