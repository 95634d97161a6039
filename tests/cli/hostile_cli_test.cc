// Hostile inputs end to end, measured: each is generated here (tests/cli/hostile_gen.py;
// no bomb is committed), run through the binary under GNU time, and must finish within
// 10 s under 300 MB of RSS with a report under 1 MB, saying what it skipped. Bounds are
// generous on purpose: these run on 2 shared cores next to other tests.
#include "support/test_rules.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
using leakproof::testing::TempDir;

namespace {

// The bounds (10 s, 300 MB) hold for the release build, which runs these tests
// first. Under AddressSanitizer the same binary keeps freed memory in quarantine and pays
// shadow memory and ~3-10x slower code, so the sanitizer pass checks memory safety on the
// same inputs with bounds scaled to that cost, not the product's limits.
#if defined(__SANITIZE_ADDRESS__)
constexpr double kMaxSeconds = 60.0;
constexpr long kMaxRssKb = 1536 * 1024;
#else
constexpr double kMaxSeconds = 10.0;
constexpr long kMaxRssKb = 300 * 1024;
#endif
constexpr std::uintmax_t kMaxReportBytes = 1 << 20;

const std::string kGen = LEAKPROOF_SOURCE_DIR "/tests/cli/hostile_gen.py";

// A GitHub classic token shape (built-in pack), `c` varying one character: fake keys.
std::string GithubKey(char c) {
  std::string k = std::string("ghp_") + "R8mK2xQ9vLp4TzW7nYb3HcJ6dF1sA5gE0uN";
  return k + c;
}

std::string Q(const fs::path& p) { return "'" + p.string() + "'"; }

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Measured {
  int exit_code = -1;
  double seconds = 0;
  long rss_kb = 0;
  std::uintmax_t report_bytes = 0;
  nlohmann::json report;  // --format json output
};

// The first run after a build compiles the rule database into the test cache: not
// what is measured here.
void WarmRuleCache() {
  static const bool warm = [] {
    return std::system("XDG_CACHE_HOME='" LEAKPROOF_TEST_CACHE "' '" LEAKPROOF_BINARY
                       "' scan - </dev/null >/dev/null 2>&1") != -1;
  }();
  REQUIRE(warm);
}

// Runs `[feed |] [prefix] leakproof scan --format json args` under GNU time.
Measured RunMeasured(const TempDir& tmp, const std::string& args, const std::string& feed = "",
                     const std::string& prefix = "",
                     const std::string& cache = LEAKPROOF_TEST_CACHE) {
  WarmRuleCache();
  const fs::path out = tmp.path() / "report.json";
  const fs::path err = tmp.path() / "stderr";
  const fs::path timing = tmp.path() / "time";
  const std::string cmd = (feed.empty() ? "" : feed + " | ") + prefix +
                          " /usr/bin/time -f '%e %M' -o " + Q(timing) + " env XDG_CACHE_HOME='" +
                          cache + "' '" LEAKPROOF_BINARY "' scan --format json " + args +
                          (feed.empty() ? " </dev/null" : "") + " >" + Q(out) + " 2>" + Q(err);
  const fs::path script = tmp.path() / "run.sh";
  std::ofstream(script) << "set -o pipefail\n" << cmd << "\n";
  const int rc = std::system(("/bin/bash " + Q(script)).c_str());
  Measured m;
  m.exit_code = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  // The last line: GNU time puts "Command exited with non-zero status N" before it.
  std::string text_time = Slurp(timing), last;
  std::istringstream lines(text_time);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) last = line;
  }
  std::istringstream t(last);
  t >> m.seconds >> m.rss_kb;
  REQUIRE(m.rss_kb > 0);
  m.report_bytes = fs::exists(out) ? fs::file_size(out) : 0;
  const std::string text = Slurp(out);
  if (m.report_bytes <= kMaxReportBytes) m.report = nlohmann::json::parse(text, nullptr, false);
  UNSCOPED_INFO("exit " << m.exit_code << ", " << m.seconds << " s, " << m.rss_kb << " KB, report "
                        << m.report_bytes << " bytes; stderr: " << Slurp(err).substr(0, 2000));
  std::printf("  measured: %s -> %.2f s, %ld KB RSS, report %ju bytes\n", args.c_str(), m.seconds,
              m.rss_kb, m.report_bytes);
  return m;
}

void CheckBounded(const Measured& m) {
  CHECK(m.seconds < kMaxSeconds);
  CHECK(m.rss_kb < kMaxRssKb);
  CHECK(m.report_bytes < kMaxReportBytes);
  CHECK(m.report.is_object());
}

// The first diagnostic of `level` whose message contains `text` (null when none).
const nlohmann::json* Diagnostic(const Measured& m, const std::string& level,
                                 const std::string& text) {
  if (!m.report.is_object()) return nullptr;
  for (const auto& d : m.report["diagnostics"]) {
    if (d["level"] == level && d["message"].get<std::string>().find(text) != std::string::npos) {
      return &d;
    }
  }
  return nullptr;
}

void Generate(const std::string& args) {
  REQUIRE(std::system(("python3 '" + kGen + "' " + args).c_str()) == 0);
}

}  // namespace

TEST_CASE("42.zip-style nested bombs finish in seconds with one aggregated line") {
  // 16^5 = 1,048,576 over-ratio leaves (22 KB), and the same with 4 MiB leaves.
  for (const char* leaf : {"1048576", "4194304"}) {
    TempDir d;
    const fs::path bomb = d.path() / "bomb.zip";
    Generate("bomb " + Q(bomb) + " 16 5 " + leaf);
    REQUIRE(fs::file_size(bomb) < 64 * 1024);
    Measured m = RunMeasured(d, Q(bomb));
    CheckBounded(m);
    // What was not extracted is said, as a warning (the run is incomplete), on one line.
    const nlohmann::json* w = Diagnostic(m, "warning", "not extracted");
    REQUIRE(w != nullptr);
    CHECK((*w)["count"].get<std::uint64_t>() > 1);
    CHECK((*w)["examples"].size() > 1);
    CHECK(m.report["diagnostics"].size() < 20);
    // Keys may sit in what was not extracted: the run says so, in the report and the exit.
    CHECK(m.report["complete"] == false);
    CHECK(m.exit_code == 3);
  }
}

TEST_CASE("gigabytes on stdin are scanned in windows with flat memory, boundary keys kept") {
  TempDir d;
  constexpr std::uint64_t kWindow = 32ull << 20;  // stdin_scan.h: kStdinWindowBytes
  const std::uint64_t total = 1100ull * 1000 * 1000;
  // One in the first window, one straddling its end, one far past it, one at the end.
  const std::uint64_t offsets[] = {1000, kWindow - 10, 700ull * 1000 * 1000 + 7, total - 100};
  std::string feed = "python3 '" + kGen + "' stream " + std::to_string(total);
  for (std::size_t i = 0; i < 4; ++i) {
    // Quoted, as in code: a key run into the filler would be no token at all.
    feed +=
        " '" + std::to_string(offsets[i]) + "=\"" + GithubKey(static_cast<char>('a' + i)) + "\"'";
  }
  Measured m = RunMeasured(d, "-", feed);
  CHECK(m.rss_kb < kMaxRssKb);
  CHECK(m.seconds < 180);  // a gigabyte takes what it takes on 2 shared cores; memory may not
  REQUIRE(m.report.is_object());
  CHECK(m.exit_code == 1);
  REQUIRE(m.report["findings"].size() == 4);
  for (std::size_t i = 0; i < 4; ++i) {
    const auto& loc = m.report["findings"][i]["location"];
    CHECK(loc["path"] == "-");
    // 99-byte lines: the stream's own offset, line and column, carried across windows
    // (each planted key sits inside one line, after its opening quote).
    CHECK(loc["offset"] == offsets[i] + 1);
    CHECK(loc["line"] == offsets[i] / 99 + 1);
    CHECK(loc["column"] == offsets[i] % 99 + 2);
  }
  CHECK(m.report["stats"]["bytes"] == total);
}

TEST_CASE("an archive on stdin is held whole up to a bound, and past it says so") {
  TempDir d;
  const fs::path small = d.path() / "small.zip";
  const fs::path big = d.path() / "big.zip";
  Generate("big-stored-zip " + Q(small) + " " + GithubKey('s') + " 1000");
  Generate("big-stored-zip " + Q(big) + " " + GithubKey('s') + " 150000000");  // > 128 MiB
  Measured whole = RunMeasured(d, "-", "cat " + Q(small));
  REQUIRE(whole.report.is_object());
  REQUIRE(whole.report["findings"].size() == 1);
  CHECK(whole.report["findings"][0]["location"]["path"] == "-!a.js");
  CHECK(whole.report["diagnostics"].empty());

  Measured cut = RunMeasured(d, "-", "cat " + Q(big));
  CHECK(cut.rss_kb < kMaxRssKb);
  CHECK(cut.seconds < kMaxSeconds);
  REQUIRE(cut.report.is_object());
  CHECK(cut.report["findings"].size() == 1);  // a.js, from the part held
  CHECK(Diagnostic(cut, "warning", "only its first") != nullptr);
}

TEST_CASE("a symlink loop under --follow-symlinks ends at once with each file once") {
  TempDir d;
  const auto key = d.Write("tree/sub/a.js", "t = \"" + GithubKey('l') + "\"\n");
  fs::create_directory_symlink("..", d.path() / "tree/sub/up");
  fs::create_directory_symlink(".", d.path() / "tree/self");
  fs::create_directory_symlink("/proc/self/root", d.path() / "tree/root");
  Measured m = RunMeasured(d, "--follow-symlinks " + Q(d.path() / "tree"));
  CheckBounded(m);
  REQUIRE(m.report["findings"].size() == 1);
  CHECK(m.report["findings"][0]["location"]["path"] == key.string());
  CHECK(Diagnostic(m, "warning", "holding the scanned paths") != nullptr);
}

TEST_CASE("an unreadable subdirectory is a warning when run without root") {
  // Root reads a 000 directory anyway: run the binary as nobody (setpriv) over a tree
  // nobody can read except for the one locked directory.
  TempDir d;
  const fs::path tree = d.path() / "tree";
  d.Write("tree/ok/a.js", "t = \"" + GithubKey('o') + "\"\n");
  d.Write("tree/locked/b.js", "t = \"" + GithubKey('b') + "\"\n");
  const fs::path cache = d.path() / "cache";
  fs::create_directories(cache);
  for (const fs::path& p : {d.path(), tree, tree / "ok", cache}) {
    fs::permissions(p, fs::perms::all);
  }
  fs::permissions(tree / "ok/a.js", fs::perms::owner_all | fs::perms::others_read);
  fs::permissions(tree / "locked", fs::perms::none);
  fs::permissions(d.path(), fs::perms::all);
  // Not root already: the 000 directory denies as it is.
  const std::string as_nobody =
      ::geteuid() == 0 ? "setpriv --reuid=nobody --regid=nogroup --clear-groups" : "";
  Measured m = RunMeasured(d, Q(tree), "", as_nobody, cache.string());
  fs::permissions(tree / "locked", fs::perms::owner_all);  // so TempDir can remove it
  REQUIRE(m.report.is_object());
  CHECK(m.report["findings"].size() == 1);
  const nlohmann::json* w = Diagnostic(m, "warning", "cannot read directory");
  REQUIRE(w != nullptr);
  CHECK((*w)["location"] == (tree / "locked").string());
  CHECK_THAT((*w)["message"].get<std::string>(), Catch::Contains("Permission denied"));
}

TEST_CASE("a zip whose central directory lies about a compressed size is read as unzip reads it") {
  TempDir d;
  const auto body = d.Write("body.js", std::string(5000, 'x') + "\nconst t = \"" + GithubKey('z') +
                                           "\";\n" + std::string(5000, 'y'));
  struct Case {
    const char* method;
    const char* comp;  // what the central directory claims
    const char* says;  // what the diagnostic must say
  };
  const Case cases[] = {
      {"DEFLATED", "10", "gives a compressed size of 10 bytes"},
      {"STORED", "10", "gives a compressed size of 10 bytes"},
      {"DEFLATED", "60", "gives a compressed size of 60 bytes"},
      {"STORED", "2147483632", "past the end of the archive"},
      {"DEFLATED", "2147483632", ""},  // libzip reads this one as it is: no complaint needed
  };
  for (const Case& c : cases) {
    INFO(c.method << " " << c.comp);
    const fs::path zip = d.path() / (std::string(c.method) + c.comp + ".zip");
    Generate("lying-zip " + Q(zip) + " " + c.method + " " + c.comp + " " + Q(body));
    REQUIRE(std::system(("unzip -tq " + Q(zip) + " >/dev/null").c_str()) == 0);
    // One worker reads members in place; two hand deflated ones over unmade.
    for (const char* threads : {"-j 1 ", "-j 2 "}) {
      INFO(threads);
      Measured m = RunMeasured(d, threads + Q(zip));
      CheckBounded(m);
      REQUIRE(m.report["findings"].size() == 1);
      CHECK(m.report["findings"][0]["location"]["path"] == zip.string() + "!a/app.js");
      CHECK(m.report["findings"][0]["location"]["line"] == 2);
      for (const auto& diag : m.report["diagnostics"]) {
        const std::string msg = diag["message"];
        CHECK(msg.find("per-member limit") == std::string::npos);
        CHECK(msg.find("stopped at") == std::string::npos);
        CHECK(msg.find("zip bomb") == std::string::npos);
      }
      if (*c.says != '\0') CHECK(Diagnostic(m, "info", c.says) != nullptr);
    }
  }
}
