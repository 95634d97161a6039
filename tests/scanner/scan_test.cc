// The scan pipeline on real files: walking, excludes, ignore files, filters, baselines,
// special files, and per-input diagnostics.
#include "leakproof/scanner/rules_check.h"
#include "leakproof/scanner/scanner.h"

#include "support/test_rules.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <sys/stat.h>

namespace lp = leakproof::scanner;
using leakproof::testing::TempDir;
using leakproof::testing::TestEngine;

namespace {

const std::string kKey = "tc_live_9fK2mQ7xLp4RtZ8vWb3NcY6d";

lp::ScanResult ScanDir(const lp::Engine& e, const std::string& root, lp::ScanOptions o = {}) {
  o.paths = {root};
  o.threads = 2;
  return lp::Scan(e, o);
}

}  // namespace

TEST_CASE("directory walk finds keys with line and column, skips .git") {
  auto e = TestEngine();
  TempDir d;
  d.Write("src/app.js", "// header\nconst k = \"" + kKey + "\";\n");
  d.Write(".git/config", "token=" + kKey + "\n");
  auto r = ScanDir(*e, d.path().string());
  REQUIRE(r.findings.size() == 1);
  const auto& f = r.findings[0];
  CHECK(f.location.path == (d.path() / "src/app.js").string());
  CHECK(f.location.line == 2);
  CHECK(f.location.column == 12);
  CHECK(f.secret == kKey);
  // Per place: the rule, the path and the secret's own line around it (docs/report-format.md).
  CHECK(f.fingerprint ==
        lp::LocationFingerprint("testco.secret-key",
                                lp::NormalisedPath(f.location.path, lp::CurrentDirectory()),
                                "const k = \"", "\";", kKey));
  CHECK(f.secret_hash.size() == 32);
  CHECK(r.stats.files == 1);
}

TEST_CASE("--exclude globs and .leakproofignore skip files") {
  auto e = TestEngine();
  TempDir d;
  d.Write("dist/app.min.js", kKey);
  d.Write("vendor/lib.js", kKey);
  d.Write("keep.js", kKey);
  d.Write(".leakproofignore", "# comment\nvendor/\n");
  lp::ScanOptions o;
  o.excludes = {"*.min.js"};
  auto r = ScanDir(*e, d.path().string(), o);
  REQUIRE(r.findings.size() == 1);
  CHECK_THAT(r.findings[0].location.path, Catch::EndsWith("keep.js"));
}

TEST_CASE(".leakproofignore in a subdirectory applies below it, relative to it") {
  auto e = TestEngine();
  TempDir d;
  d.Write("web/generated/keys.js", kKey);
  d.Write("web/fixtures/a.js", kKey);
  d.Write("web/src/app.js", kKey);
  d.Write("generated/keys.js", kKey);  // same relative name outside web/: still scanned
  d.Write("api/fixtures/b.js", kKey);  // web's "fixtures/" does not reach api/
  d.Write("web/.leakproofignore", "generated/keys.js\nfixtures/\n");
  lp::ScanOptions o;
  auto r = ScanDir(*e, d.path().string(), o);
  std::vector<std::string> paths;
  for (const auto& f : r.findings) {
    paths.push_back(std::filesystem::path(f.location.path).lexically_relative(d.path()).string());
  }
  std::sort(paths.begin(), paths.end());
  CHECK(paths ==
        std::vector<std::string>{"api/fixtures/b.js", "generated/keys.js", "web/src/app.js"});

  o.use_ignore_file = false;
  CHECK(ScanDir(*e, d.path().string(), o).findings.size() == 5);
}

TEST_CASE("a file named on the command line obeys the ignore files of its directories") {
  auto e = TestEngine();
  TempDir d;
  std::filesystem::create_directories(d.path() / ".git");
  d.Write("web/generated/keys.js", kKey);
  d.Write("web/src/app.js", kKey);
  d.Write("web/.leakproofignore", "generated/\n");
  lp::ScanOptions o;
  CHECK(ScanDir(*e, (d.path() / "web/generated/keys.js").string(), o).findings.empty());
  CHECK(ScanDir(*e, (d.path() / "web/src/app.js").string(), o).findings.size() == 1);
}

TEST_CASE("placeholders, allow comments and baselines suppress findings") {
  auto e = TestEngine();
  CHECK(lp::ScanBytesForTest(*e, "k=\"tc_live_EXAMPLEEXAMPLEEXAMPLE1234\"").empty());
  CHECK(lp::ScanBytesForTest(*e, "k=\"tc_live_00000000000000000000000000\"").empty());
  // Sequential filler is a fixture key, not a placeholder: reported.
  CHECK(lp::ScanBytesForTest(*e, "k=\"tc_live_1234567890abcdefghijKLMNOP\"").size() == 1);
  CHECK(lp::ScanBytesForTest(*e, "k=\"" + kKey + "\" // leakproof:allow").empty());
  CHECK(lp::ScanBytesForTest(*e, "k=\"" + kKey + "\"\n// leakproof:allow").size() == 1);

  TempDir d;
  d.Write("a.js", kKey);
  lp::ScanOptions o;
  const auto first = ScanDir(*e, d.path().string(), o);
  REQUIRE(first.findings.size() == 1);
  lp::BaselineEntry accepted;
  accepted.fingerprint = first.findings[0].fingerprint;
  o.baseline = {accepted};
  auto r = ScanDir(*e, d.path().string(), o);
  CHECK(r.findings.empty());
  CHECK(r.stats.baselined == 1);
}

TEST_CASE("entropy gate drops low-entropy values") {
  auto e = TestEngine();
  // Valid shape, but only two distinct characters (entropy 1 bit/byte, under 3.0).
  CHECK(lp::ScanBytesForTest(*e, "k=\"tc_live_ababababababababababababab\"").empty());
}

TEST_CASE("binary files are scanned") {
  auto e = TestEngine();
  std::string bin(
      "\x7f"
      "ELF\0\0\0\x01\x02",
      9);
  bin += kKey;
  bin += std::string("\0\0\xff", 3);
  CHECK(lp::ScanBytesForTest(*e, bin).size() == 1);
}

TEST_CASE("missing paths, FIFOs and broken symlinks are diagnostics, not crashes") {
  auto e = TestEngine();
  TempDir d;
  d.Write("ok.txt", kKey);
  const auto fifo = d.path() / "pipe";
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  std::filesystem::create_symlink(d.path() / "nowhere", d.path() / "dangling");
  lp::ScanOptions o;
  o.paths = {d.path().string(), (d.path() / "missing.txt").string(), fifo.string()};
  o.threads = 2;
  auto r = lp::Scan(*e, o);
  CHECK(r.findings.size() == 1);
  CHECK(r.input_error);
  auto has = [&](const std::string& what) {
    for (const auto& diag : r.diagnostics) {
      if (diag.message.find(what) != std::string::npos) return true;
    }
    return false;
  };
  CHECK(has("no such file"));
  CHECK(has("FIFO"));
  CHECK(has("broken symbolic link"));
}

TEST_CASE("files over --max-file-size are reported, not read") {
  auto e = TestEngine();
  TempDir d;
  d.Write("big.js", std::string(4096, 'a') + kKey);
  lp::ScanOptions o;
  o.limits.max_file_bytes = 1024;
  auto r = ScanDir(*e, d.path().string(), o);
  CHECK(r.findings.empty());
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].code == lp::StatusCode::kLimitExceeded);
}

TEST_CASE("a large mmapped file is chunked without losing a boundary key") {
  auto e = TestEngine();
  TempDir d;
  std::string big(20u << 20, ';');         // above the mmap threshold
  const std::size_t at = (1u << 20) - 10;  // straddles the 1 MiB chunk boundary below
  big.replace(at, kKey.size(), kKey);
  d.Write("big.js", big);
  lp::ScanOptions o;
  o.chunk_bytes = 1u << 20;
  auto r = ScanDir(*e, d.path().string(), o);
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].location.offset == at);
}

TEST_CASE("a finding's context never carries a neighbouring secret in full") {
  auto e = TestEngine();
  const std::string pub = "tc_pub_Hq3Lz9Xw2Pv7Rn4Tb8Kc5Md1";
  const auto findings = lp::ScanBytesForTest(*e, "var a=\"" + pub + "\",m=\"" + kKey + "\";go(m)");
  REQUIRE(findings.size() == 2);
  for (const auto& f : findings) {
    const std::string context = f.snippet_before + f.snippet_after;
    CHECK(context.find(kKey) == std::string::npos);
    CHECK(context.find(pub) == std::string::npos);
  }
  CHECK_THAT(findings[0].snippet_after, Catch::Contains("tc_l"));  // redacted neighbour
}

TEST_CASE("a key outside a source map's sourcesContent is still found, and none twice") {
  auto e = TestEngine();
  const std::string map = R"({"version":3,"file":"main.js","x_config":{"key":")" + kKey +
                          R"("},"sources":["src/a.ts"],"sourcesContent":["const k = ')" + kKey +
                          R"(';"],"names":[],"mappings":"AAAA"})";
  const auto findings = lp::ScanBytesForTest(*e, map, "main.js.map");
  // Reported once, in the original source: the raw map's copy is the same key.
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].location.path == "main.js.map!src/a.ts");
  const std::string other =
      R"({"version":3,"file":"main.js","x_config":{"key":")" + kKey +
      R"("},"sources":["src/a.ts"],"sourcesContent":["const k = 1;"],"names":[],"mappings":"AAAA"})";
  const auto outside = lp::ScanBytesForTest(*e, other, "main.js.map");
  REQUIRE(outside.size() == 1);
  CHECK(outside[0].location.path == "main.js.map");
}

TEST_CASE("a key in an escaped JS literal is reported once, at its line and column") {
  auto e = TestEngine();
  // The literal holds a \u escape, so js-escape unescapes it into a child blob; the key
  // itself is plain, so the raw file shows it too. One finding, with the raw location.
  const std::string js = "var a = 1;\nvar s = \"\\u0041 then " + kKey + " end\";\n";
  const auto findings = lp::ScanBytesForTest(*e, js, "app.js");
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].location.path == "app.js");
  CHECK(findings[0].location.line == 2);
  CHECK(findings[0].location.column == 22);
  // Escaped inside the key: only the unescaped view can see it, and reports it.
  const std::string hidden =
      "var s = \"\\u0041 " + kKey.substr(0, 8) + "\\u0039" + kKey.substr(9) + " end\";\n";
  const auto only_child = lp::ScanBytesForTest(*e, hidden, "app.js");
  REQUIRE(only_child.size() == 1);
  CHECK(only_child[0].location.path == "app.js[js-unescape]");
}

TEST_CASE("a source map's sourcesContent is scanned once, unescaped, and nothing else is lost") {
  auto e = TestEngine();
  // Raw, the JSON escape cuts the key short ("...1234" then a backslash); unescaped it is
  // "...1234A". Only the original source's full key may be reported.
  const std::string map = R"({"version":3,"sources":["src/a.ts"],"sourcesContent":["const k = ')" +
                          kKey + R"(1234\u0041';"],"names":[],"mappings":"AAAA"})";
  const auto findings = lp::ScanBytesForTest(*e, map, "main.js.map");
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].location.path == "main.js.map!src/a.ts");
  CHECK(findings[0].secret == kKey + "1234A");
  // A field of the same name elsewhere (not the map's own) keeps its bytes scanned.
  const std::string vendor = R"({"version":3,"x_vendor":{"sourcesContent":[")" + kKey +
                             R"("]},"sources":["src/a.ts"],"sourcesContent":["const a = 1;"],)" +
                             R"("names":[],"mappings":"AAAA"})";
  const auto raw = lp::ScanBytesForTest(*e, vendor, "main.js.map");
  REQUIRE(raw.size() == 1);
  CHECK(raw[0].location.path == "main.js.map");
}

TEST_CASE("a source map's VLQ mappings are not scanned, anything else in them is") {
  auto e = leakproof::testing::BuiltinEngine();
  const auto map = [](const std::string& mappings) {
    return R"({"version":3,"sources":["a.ts"],"sourcesContent":["x"],"names":[],"mappings":")" +
           mappings + R"(","file":"a.js"})";
  };
  // An AWS key id is letters and digits only: inside VLQ mappings it is position data
  // like any other, and generated data is not scanned.
  const std::string key_id = "AKIAQ3EGT5ZXPL7MNB2W";
  REQUIRE(lp::ScanBytesForTest(*e, "id: " + key_id + "\n").size() == 1);
  CHECK(lp::ScanBytesForTest(*e, map("AAAA,SAASA;" + key_id + ";AACA"), "a.js.map").empty());
  // Any other character means the string is not pure VLQ: the raw scan covers it again.
  const auto found = lp::ScanBytesForTest(*e, map("AAAA,SAASA;id=" + key_id + ";AACA"), "a.js.map");
  REQUIRE(found.size() == 1);
  CHECK(found[0].location.path == "a.js.map");
}

TEST_CASE("a provider's catch-all rule gives way to its specific rule") {
  auto e = leakproof::testing::BuiltinEngine();
  // A well-formed bot token: the specific rule alone (the fallback matches it too).
  auto specific = lp::ScanBytesForTest(
      *e, "SLACK_BOT_TOKEN=xoxb-38627293669-0386847271890-Qm7Tz2LkW9pXc4Rv8Hn3Ys6D");
  REQUIRE(specific.size() == 1);
  CHECK(specific[0].rule->id == "slack.bot-token");
  // A shape only the catch-all knows: reported by it.
  auto broad = lp::ScanBytesForTest(*e, "token: \"xoxa-2-736479203-01524389958\"");
  REQUIRE(broad.size() == 1);
  CHECK(broad[0].rule->id == "slack.token-fallback");
}
