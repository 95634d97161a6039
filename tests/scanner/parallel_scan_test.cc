// Archive members scanned by several workers at once (ScanScheduler, MemberFanOut)
// give exactly the report of one worker scanning them in turn: same findings in the
// same (member) order, same diagnostics, same stats, same --max-findings cut.
#include "leakproof/scanner/report.h"
#include "leakproof/scanner/scanner.h"

#include "support/android_zip_builder.h"
#include "support/test_rules.h"

#include <catch2/catch.hpp>

#include <algorithm>

namespace lp = leakproof::scanner;
using leakproof::testing::BuildZip;
using leakproof::testing::TempDir;
using leakproof::testing::TestEngine;
using leakproof::testing::TestKey;
using leakproof::testing::ZipMember;

namespace {

// `n` members of varied size, most holding keys (some two, at varied lines), a few
// stored; plus the members that make diagnostics: an encrypted one and a '..' name.
std::vector<ZipMember> KeyedMembers(int n, std::uint32_t seed, const std::string& prefix) {
  std::vector<ZipMember> m;
  std::uint32_t x = seed;
  for (int i = 0; i < n; ++i) {
    std::string text;
    for (int line = 0; line < (i * 37) % 300; ++line) {
      text += "export const v" + std::to_string(line) + " = " + std::to_string(line * i) + ";\n";
    }
    if (i % 5 != 4) text += "const key = \"" + TestKey(x) + "\";\n";
    if (i % 7 == 0) text += "// second\nconst other = '" + TestKey(x) + "'\n";
    m.push_back({prefix + "m" + std::to_string(i) + ".js", text, i % 11 == 0});
  }
  m.push_back({prefix + "locked.txt", TestKey(x), false, "pw"});
  m.push_back({"../" + prefix + "escape.txt", TestKey(x)});
  return m;
}

void PutU32(std::string& z, std::size_t at, std::uint32_t v) {
  for (int k = 0; k < 4; ++k) z[at + k] = static_cast<char>((v >> (8 * k)) & 0xFF);
}

// Damages member `name` of `zip`: its deflate stream (garble) or its CRC in both
// headers. The libdeflate path then hands it to libzip's reader, on another worker.
void Damage(std::string& zip, const std::string& name, bool garble) {
  const std::size_t local = zip.find(name);  // local headers come before the directory
  const std::size_t central = zip.find(name, local + 1);
  REQUIRE(central != std::string::npos);
  if (garble) {
    const std::size_t data = local + name.size() + static_cast<unsigned char>(zip[local - 2]);
    for (std::size_t i = data + 8; i < data + 40; ++i) zip[i] = static_cast<char>(~zip[i]);
  } else {
    PutU32(zip, local - 30 + 14, 0x12345678);
    PutU32(zip, central - 46 + 16, 0x12345678);
  }
}

std::string App(std::uint32_t seed) {
  std::vector<ZipMember> members = KeyedMembers(240, seed, "assets/");
  members.push_back({"split.apk", BuildZip(KeyedMembers(40, seed + 1, "inner/"))});
  members.push_back(
      {"base.apk", BuildZip({{"in/base.apk", BuildZip(KeyedMembers(12, seed + 2, ""))},
                             {"in/x.js", "const key = '" + TestKey(seed) + "'"}})});
  std::string zip = BuildZip(members);
  Damage(zip, "assets/m2.js", true);
  Damage(zip, "assets/m3.js", false);
  return zip;
}

std::string Describe(const lp::Finding& f) {
  return f.location.path + " @" + std::to_string(f.location.offset) + " " +
         std::to_string(f.location.line) + ":" + std::to_string(f.location.column) + " " +
         f.rule->id + " " + f.fingerprint + " " + f.location.detail;
}

std::vector<std::string> Findings(const lp::ScanResult& r) {
  std::vector<std::string> out;
  for (const auto& f : r.findings) out.push_back(Describe(f));
  return out;
}

std::vector<std::string> Diagnostics(const lp::ScanResult& r) {
  std::vector<std::string> out;
  for (const auto& d : r.diagnostics) {
    std::string line = d.location + ": " + d.message + " x" + std::to_string(d.count);
    for (const auto& e : d.examples) line += " " + e;
    out.push_back(line);
  }
  return out;
}

lp::ScanResult ScanWith(const lp::Engine& e, const std::string& path, int threads,
                        lp::ScanOptions o = {}) {
  o.paths = {path};
  o.threads = threads;
  return lp::Scan(e, o);
}

}  // namespace

TEST_CASE("one archive scanned by several workers reports as one worker does") {
  auto e = TestEngine();
  TempDir d;
  const std::string apk = d.Write("app.apk", App(7)).string();
  const lp::ScanResult one = ScanWith(*e, apk, 1);
  REQUIRE(one.findings.size() > 250);
  // One input's diagnostics of one kind are one line with a count (diagnostic_list.h).
  const auto encrypted =
      std::find_if(one.diagnostics.begin(), one.diagnostics.end(),
                   [](const auto& x) { return x.message.find("encrypted") != std::string::npos; });
  REQUIRE(encrypted != one.diagnostics.end());
  CHECK(encrypted->count == 3);  // app.apk, split.apk, base.apk!in/base.apk
  CHECK(encrypted->examples.size() == 3);
  CHECK(std::count_if(one.diagnostics.begin(), one.diagnostics.end(), [](const auto& x) {
          return x.message.find("CRC error") != std::string::npos;
        }) == 1);
  CHECK(std::count_if(one.diagnostics.begin(), one.diagnostics.end(), [](const auto& x) {
          return x.message.find("Zlib error") != std::string::npos;
        }) == 1);
  for (int threads : {2, 3, 8}) {
    INFO(threads << " threads");
    const lp::ScanResult many = ScanWith(*e, apk, threads);
    // One input: no sorting needed, members come back in archive order.
    CHECK(Findings(many) == Findings(one));
    CHECK(Diagnostics(many) == Diagnostics(one));
    CHECK(many.stats.blobs == one.stats.blobs);
    CHECK(many.stats.scanned_bytes == one.stats.scanned_bytes);
    CHECK(many.stats.suppressed == one.stats.suppressed);
  }
}

TEST_CASE("many archives and files scanned by several workers sort to the same report") {
  auto e = TestEngine();
  TempDir d;
  std::uint32_t x = 99;
  for (int i = 0; i < 6; ++i) d.Write("apps/a" + std::to_string(i) + ".apk", App(100 + i));
  for (int i = 0; i < 20; ++i)
    d.Write("src/f" + std::to_string(i) + ".js", "k='" + TestKey(x) + "'");
  lp::ScanResult one = ScanWith(*e, d.path().string(), 1);
  lp::SortResult(one);
  lp::ScanResult many = ScanWith(*e, d.path().string(), 4);
  lp::SortResult(many);
  REQUIRE(one.findings.size() > 1000);
  CHECK(Findings(many) == Findings(one));
  CHECK(Diagnostics(many) == Diagnostics(one));
  CHECK(many.stats.blobs == one.stats.blobs);
}

TEST_CASE("--max-findings holds for a shared archive, with one diagnostic") {
  auto e = TestEngine();
  TempDir d;
  const std::string apk = d.Write("app.apk", App(3)).string();
  const auto all = Findings(ScanWith(*e, apk, 1));
  lp::ScanOptions o;
  o.max_findings = 25;
  const lp::ScanResult one = ScanWith(*e, apk, 1, o);
  const lp::ScanResult many = ScanWith(*e, apk, 2, o);
  // Which members make the cut depends on which finished first; each is a real finding.
  for (const auto* r : {&one, &many}) {
    CHECK(r->findings.size() == 25);
    for (const auto& f : Findings(*r)) CHECK(std::find(all.begin(), all.end(), f) != all.end());
    CHECK(std::count_if(r->diagnostics.begin(), r->diagnostics.end(), [](const auto& x) {
            return x.message.find("--max-findings") != std::string::npos;
          }) == 1);
  }
}
