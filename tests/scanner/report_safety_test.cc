// The report layer's pieces: terminal escaping, human units, the secret_hash HMAC, the
// per-location fingerprint recipe, SARIF URIs and locations, and context_urls redaction.
#include "leakproof/scanner/finding.h"
#include "leakproof/scanner/report.h"
#include "leakproof/scanner/rules_check.h"
#include "leakproof/scanner/secret_hash.h"

#include "report/sarif_location.h"
#include "report/terminal_text.h"
#include "support/test_rules.h"

#include <catch2/catch.hpp>

namespace lp = leakproof::scanner;

namespace {

const std::string kGithub = std::string("ghp_") + "R8mK2xQ9vLp4TzW7nYb3" + "HcJ6dF1sA5gE0uNi";
const std::string kMaps = std::string("AIza") + "SyBq4Tn8Wc1Lr6Xp3Hv9" + "Zk0Md7Jg2Fs5Qy1";

lp::Finding MemberFinding(const std::string& path, std::vector<std::string> chain,
                          std::uint32_t line) {
  lp::Finding f;
  f.secret = kGithub;
  f.location.path = path;
  f.location.provenance = std::move(chain);
  f.location.line = line;
  f.location.column = line > 0 ? 7 : 0;
  f.location.offset = 120;
  return f;
}

}  // namespace

TEST_CASE("TerminalSafe escapes controls, bidi overrides and invalid UTF-8, keeps text") {
  CHECK(lp::TerminalSafe("a\033[31mred") == "a\\x1b[31mred");
  CHECK(lp::TerminalSafe("bell\x07 del\x7f") == "bell\\x07 del\\x7f");
  CHECK(lp::TerminalSafe("\xff\xfe ok") == "\\xff\\xfe ok");
  CHECK(lp::TerminalSafe("\xc2\x9b"
                         "2J") == "\\u{009B}2J");  // C1 CSI
  CHECK(lp::TerminalSafe("\xe2\x80\xae"
                         "evil") == "\\u{202E}evil");   // right-to-left override
  CHECK(lp::TerminalSafe("\xc3") == "\\xc3");           // truncated sequence
  CHECK(lp::TerminalSafe("\xc0\xaf") == "\\xc0\\xaf");  // overlong '/'
  CHECK(lp::TerminalSafe("caf\xc3\xa9 \xe2\x80\xa6 \xf0\x9f\x94\x91") ==
        "caf\xc3\xa9 \xe2\x80\xa6 \xf0\x9f\x94\x91");
}

TEST_CASE("human units and plurals for the text summary") {
  CHECK(lp::HumanBytes(12) == "12 B");
  CHECK(lp::HumanBytes(1500) == "1.5 kB");
  CHECK(lp::HumanBytes(12'000'000) == "12 MB");
  CHECK(lp::HumanBytes(3'400'000'000ull) == "3.4 GB");
  CHECK(lp::HumanSeconds(0.00695767) == "7.0 ms");
  CHECK(lp::HumanSeconds(0.25) == "250 ms");
  CHECK(lp::HumanSeconds(1.234) == "1.23 s");
  CHECK(lp::HumanSeconds(125.0) == "2 min 5 s");
  CHECK(lp::Counted(1, "diagnostic", "diagnostics") == "1 diagnostic");
  CHECK(lp::Counted(2, "diagnostic", "diagnostics") == "2 diagnostics");
}

TEST_CASE("report format names ignore case") {
  CHECK(*lp::ParseReportFormat("SARIF") == lp::ReportFormat::kSarif);
  CHECK(*lp::ParseReportFormat("JUnit") == lp::ReportFormat::kJunit);
  CHECK_FALSE(lp::ParseReportFormat("yaml").ok());
}

TEST_CASE("secret_hash is HMAC-SHA256 with the installation's key") {
  // RFC 4231 test case 2, first 128 bits.
  lp::SecretHashKey key;
  key.key = "Jefe";
  CHECK(lp::SecretHash(key, "what do ya want for nothing?") ==
        "5bdcc146bf60754e6a04242608957"
        "5c7");
  lp::SecretHashKey other;
  other.key = "another";
  CHECK(lp::SecretHash(other, kGithub) != lp::SecretHash(key, kGithub));
}

TEST_CASE("the location fingerprint: per place, whitespace-tolerant, not a hash of the secret") {
  const auto fp = [](std::string_view path, std::string_view before) {
    return lp::LocationFingerprint("github.personal-access-token", path, before, "\";", kGithub);
  };
  const std::string base = fp("src/a.js", "const t = \"");
  CHECK(base.size() == 16);
  CHECK(fp("src/a.js", "  const   t = \"") == base);  // re-indented
  CHECK(fp("src/b.js", "const t = \"") != base);      // another file
  CHECK(fp("src/a.js", "const u = \"") != base);      // another line
  // Only what every report shows of the secret goes in: the same place with another key of
  // the same prefix and length has the same print (a guesser learns nothing from it).
  std::string other = kGithub;
  other[10] = other[10] == 'x' ? 'y' : 'x';
  CHECK(lp::LocationFingerprint("github.personal-access-token", "src/a.js", "const t = \"", "\";",
                                other) == base);
}

TEST_CASE("paths are normalised: './' dropped, absolute under the base made relative") {
  CHECK(lp::NormalisedPath("./src/a.js", "/repo") == "src/a.js");
  CHECK(lp::NormalisedPath("././src/a.js", "/repo") == "src/a.js");
  CHECK(lp::NormalisedPath("/repo/src/a.js", "/repo") == "src/a.js");
  CHECK(lp::NormalisedPath("/repository/a.js", "/repo") == "/repository/a.js");
  CHECK(lp::NormalisedPath("/elsewhere/a.js", "/repo") == "/elsewhere/a.js");
  CHECK(lp::NormalisedPath("-", "/repo") == "-");
  CHECK(lp::PercentEncodePath("src/with space/a#1?.js") == "src/with%20space/a%231%3F.js");
  CHECK(lp::PercentEncodePath("caf\xc3\xa9%.js") == "caf%C3%A9%25.js");
  CHECK(lp::FileDirectoryUri("/home/me/my repo") == "file:///home/me/my%20repo/");
}

TEST_CASE("sarif locations: region in the file itself, logical location for members") {
  // In the file itself, with a line: a region GitHub can annotate.
  auto plain = lp::SarifLocation(MemberFinding("./src/a.js", {"./src/a.js"}, 3), "/repo");
  CHECK(plain["physicalLocation"]["artifactLocation"]["uri"] == "src/a.js");
  CHECK(plain["physicalLocation"]["region"]["startLine"] == 3);
  CHECK_FALSE(plain.contains("logicalLocations"));
  // Inside an archive member: the archive is the file, the member chain is logical.
  auto member =
      lp::SarifLocation(MemberFinding("app.apk!classes.dex", {"app.apk", "classes.dex"}, 0), "/r");
  CHECK(member["physicalLocation"]["artifactLocation"]["uri"] == "app.apk");
  CHECK_FALSE(member["physicalLocation"].contains("region"));
  CHECK(member["logicalLocations"][0]["fullyQualifiedName"] == "app.apk!classes.dex");
  CHECK(member["logicalLocations"][0]["kind"] == "member");
  // A source map's original source keeps its line in the logical location only.
  auto map = lp::SarifLocation(
      MemberFinding("main.js.map!src/api/client.ts", {"main.js.map", "src/api/client.ts"}, 2),
      "/r");
  CHECK(map["logicalLocations"][0]["properties"]["line"] == 2);
  CHECK(lp::WhereText(
            MemberFinding("main.js.map!src/api/client.ts", {"main.js.map", "src/api/client.ts"}, 2)
                .location) == "main.js.map!src/api/client.ts:2:7");
  // A binary top-level file has no lines: the region is a byte range.
  auto binary = lp::SarifLocation(MemberFinding("/r/lib/libapp.so", {"/r/lib/libapp.so"}, 0), "/r");
  CHECK(binary["physicalLocation"]["artifactLocation"]["uri"] == "lib/libapp.so");
  CHECK(binary["physicalLocation"]["region"]["byteOffset"] == 120);
  CHECK(binary["physicalLocation"]["region"]["byteLength"] == kGithub.size());
  // Outside the base: an absolute file URI, percent-encoded.
  auto outside = lp::SarifLocation(MemberFinding("/tmp/x y.js", {"/tmp/x y.js"}, 1), "/r");
  CHECK(outside["physicalLocation"]["artifactLocation"]["uri"] == "file:///tmp/x%20y.js");
  CHECK_FALSE(outside["physicalLocation"]["artifactLocation"].contains("uriBaseId"));
  // stdin: nothing to annotate, named logically.
  auto in = lp::SarifLocation(MemberFinding("-", {"-"}, 1), "/r");
  CHECK_FALSE(in.contains("physicalLocation"));
  CHECK(in["logicalLocations"][0]["name"] == "<stdin>");
}

TEST_CASE("context_urls redact every other secret inside a URL, keeping host and path") {
  const auto engine = leakproof::testing::BuiltinEngine();
  const std::string text = "fetch('https://maps.googleapis.com/maps/api/js?key=" + kMaps +
                           "&v=3'); const gh = '" + kGithub + "';\n";
  const auto findings = lp::ScanBytesForTest(*engine, text, "app.js");
  const lp::Finding* gh = nullptr;
  for (const auto& f : findings) {
    if (f.secret == kGithub) gh = &f;
  }
  REQUIRE(gh != nullptr);
  REQUIRE(gh->context_urls.size() == 1);
  CHECK(gh->context_urls[0] == "https://maps.googleapis.com/maps/api/js?key=AIza\xE2\x80\xA6&v=3");
  for (const auto& f : findings) {
    for (const auto& url : f.context_urls) {
      CHECK(url.find(kMaps) == std::string::npos);
      CHECK(url.find(kGithub) == std::string::npos);
    }
  }
}
