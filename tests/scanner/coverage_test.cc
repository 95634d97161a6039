// Incomplete scans: every cause of lost coverage (a limit, encryption, corruption, a
// read error) makes ScanResult::Completeness() false with the reason counted, and info
// diagnostics never do. --max-findings holds for the whole run, not per input.
#include "leakproof/scanner/scanner.h"

#include "support/android_zip_builder.h"
#include "support/test_rules.h"

#include <catch2/catch.hpp>

namespace lp = leakproof::scanner;
using leakproof::testing::BuildZip;
using leakproof::testing::TempDir;
using leakproof::testing::TestEngine;
using leakproof::testing::ZipMember;

namespace {

lp::ScanResult ScanPaths(const std::vector<std::string>& paths, lp::ScanOptions o = {}) {
  static auto e = TestEngine();
  o.paths = paths;
  o.threads = 2;
  return lp::Scan(*e, o);
}

}  // namespace

TEST_CASE("Completeness counts warnings and errors by code and ignores info") {
  lp::ScanResult r;
  CHECK(r.Completeness().complete);
  r.diagnostics.push_back({lp::DiagnosticLevel::kInfo, lp::StatusCode::kUnsupported, "a", "x"});
  CHECK(r.Completeness().complete);
  r.diagnostics.push_back(
      {lp::DiagnosticLevel::kWarning, lp::StatusCode::kLimitExceeded, "b", "y"});
  r.diagnostics.push_back(
      {lp::DiagnosticLevel::kWarning, lp::StatusCode::kLimitExceeded, "c", "y"});
  r.diagnostics.push_back({lp::DiagnosticLevel::kError, lp::StatusCode::kIOError, "d", "z"});
  const lp::Coverage c = r.Completeness();
  CHECK_FALSE(c.complete);
  CHECK(c.lost == 3);
  CHECK(c.reasons.at("limit-exceeded") == 2);
  CHECK(c.reasons.at("io-error") == 1);
  CHECK(c.reasons.count("unsupported") == 0);
}

TEST_CASE("--max-findings limits the whole run, and hitting it is incomplete") {
  TempDir d;
  std::uint32_t seed = 7;
  for (int i = 0; i < 4; ++i) {
    d.Write("f" + std::to_string(i) + ".js", "k=\"" + leakproof::testing::TestKey(seed) + "\"\n");
  }
  lp::ScanOptions o;
  o.max_findings = 2;
  auto r = ScanPaths({d.path().string()}, o);
  CHECK(r.findings.size() == 2);  // was 4: the limit applied per input
  const lp::Coverage c = r.Completeness();
  CHECK_FALSE(c.complete);
  CHECK(c.reasons.count("limit-exceeded") == 1);

  o.max_findings = 4;  // exactly enough: nothing lost
  auto all = ScanPaths({d.path().string()}, o);
  CHECK(all.findings.size() == 4);
  CHECK(all.Completeness().complete);
}

TEST_CASE("limits, encryption and corruption make a scan incomplete") {
  TempDir d;
  const std::string key = "tc_live_9fK2mQ7xLp4RtZ8vWb3NcY6d";
  const auto file = d.Write("a.js", "k=\"" + key + "\"\n");
  SECTION("a clean scan is complete") { CHECK(ScanPaths({file.string()}).Completeness().complete); }
  SECTION("--max-file-size 0") {
    lp::ScanOptions o;
    o.limits.max_file_bytes = 0;
    auto r = ScanPaths({file.string()}, o);
    CHECK(r.findings.empty());
    CHECK(r.Completeness().reasons.at("limit-exceeded") == 1);
  }
  SECTION("more zip entries than --max-entries") {
    const auto zip =
        d.Write("many.zip",
                BuildZip({{"a.txt", "hello"}, {"b.txt", "world"}, {"c.txt", "k=\"" + key + "\""}}));
    lp::ScanOptions o;
    o.limits.max_entries = 2;
    auto r = ScanPaths({zip.string()}, o);
    CHECK_FALSE(r.Completeness().complete);
    CHECK(r.Completeness().reasons.count("limit-exceeded") == 1);
  }
  SECTION("an encrypted member") {
    const auto zip =
        d.Write("locked.ipa", BuildZip({{"Payload/App.app/config.json", "k=\"" + key + "\"", false,
                                         "pass" + std::string("word")}}));
    auto r = ScanPaths({zip.string()});
    CHECK(r.findings.empty());
    CHECK_FALSE(r.Completeness().complete);
    CHECK(r.Completeness().reasons.count("unsupported") == 1);
  }
  SECTION("a truncated member") {
    std::string noise;  // incompressible, so half the archive cuts the member's data
    std::uint32_t x = 12345;
    for (int i = 0; i < 20000; ++i) {
      x = x * 1103515245u + 12345u;
      noise += static_cast<char>('a' + (x >> 16) % 26);
    }
    std::string bytes = BuildZip({{"big.txt", noise + " k=\"" + key + "\"", true}});
    REQUIRE(bytes.size() > 200);
    const auto zip = d.Write("cut.zip", bytes.substr(0, bytes.size() / 2));
    auto r = ScanPaths({zip.string()});
    CHECK_FALSE(r.Completeness().complete);
  }
}
