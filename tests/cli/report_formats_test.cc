// Report formats CI can trust (issue 12): no format leaks a key, text output is safe on
// a terminal, fingerprints are per place and secret_hash per key, JUnit follows
// --fail-on, the text summary reads like English, format names ignore case.
#include "cli/cli_support.h"
#include "support/test_rules.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <sys/stat.h>
#include <sys/wait.h>

using leakproof::testing::CommandResult;
using leakproof::testing::RunLeakproof;
using leakproof::testing::TempDir;

namespace {

// Fake keys shaped like real ones, assembled from pieces so no literal looks issued.
const std::string kGithub = std::string("ghp_") + "R8mK2xQ9vLp4TzW7nYb3" + "HcJ6dF1sA5gE0uNi";
const std::string kMaps = std::string("AIza") + "SyBq4Tn8Wc1Lr6Xp3Hv9" + "Zk0Md7Jg2Fs5Qy1";
const std::string kStripe = std::string("sk_") + "live_" + "4eC39HqLyjWDarjtT1zdp7dc";

std::string Q(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

std::string Slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// RunLeakproof from `dir` as the working directory (relative and './' paths).
CommandResult RunIn(const std::filesystem::path& dir, const std::string& args,
                    const std::string& env = "") {
  TempDir tmp;
  const auto out = tmp.path() / "stdout";
  const auto err = tmp.path() / "stderr";
  const std::string cmd = "cd " + Q(dir) + " && XDG_CACHE_HOME='" LEAKPROOF_TEST_CACHE "' " + env +
                          " '" LEAKPROOF_BINARY "' " + args + " </dev/null >" + Q(out) + " 2>" +
                          Q(err);
  const int rc = std::system(cmd.c_str());
  CommandResult r;
  r.exit_code = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  r.out = Slurp(out);
  r.err = Slurp(err);
  return r;
}

bool ValidUtf8(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

const nlohmann::json* FindingOf(const nlohmann::json& report, const std::string& provider) {
  for (const auto& f : report["findings"]) {
    if (f["provider"] == provider) return &f;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("several keys on one line: no format, file or stream carries any full key") {
  TempDir d;
  // A Maps key inside a URL next to a GitHub token and a Stripe secret: each finding's
  // context (snippet, context_urls) holds the others.
  const auto leak =
      d.Write("app.js", "fetch('https://maps.googleapis.com/maps/api/geocode/json?key=" + kMaps +
                            "&region=eu',{headers:{Authorization:'token " + kGithub +
                            "'}});stripe('" + kStripe + "');\n");
  const std::vector<std::string> keys = {kGithub, kMaps, kStripe};
  auto json = RunLeakproof("scan --format json " + Q(leak));
  REQUIRE(json.exit_code == 1);
  const auto report = nlohmann::json::parse(json.out);
  // Each key is found: the test below is not vacuous.
  for (const char* provider : {"github", "google", "stripe"}) {
    INFO(provider);
    CHECK(FindingOf(report, provider) != nullptr);
  }
  // The GitHub finding keeps the Maps URL for the BFF generator, with the key redacted.
  const nlohmann::json* gh = FindingOf(report, "github");
  REQUIRE(gh != nullptr);
  REQUIRE((*gh)["context_urls"].size() >= 1);
  CHECK((*gh)["context_urls"][0] ==
        "https://maps.googleapis.com/maps/api/geocode/json?key=AIza\xE2\x80\xA6&region=eu");

  for (const char* format : {"text", "json", "jsonl", "sarif", "junit", "SARIF"}) {
    const auto file = d.path() / (std::string("report.") + format);
    auto r = RunLeakproof(std::string("scan --color always -f ") + format + " " + Q(leak));
    auto to_file =
        RunLeakproof(std::string("scan -f ") + format + " -o " + Q(file) + " " + Q(leak));
    for (const std::string& key : keys) {
      INFO(format << " " << key.substr(0, 4));
      CHECK(r.exit_code == 1);
      CHECK(r.out.find(key) == std::string::npos);
      CHECK(r.err.find(key) == std::string::npos);
      CHECK(to_file.out.find(key) == std::string::npos);
      CHECK(to_file.err.find(key) == std::string::npos);
      CHECK(Slurp(file).find(key) == std::string::npos);
    }
  }
  // --no-redact shows each finding's own secret, never a neighbour inside its URLs.
  auto full = RunLeakproof("scan --format json --no-redact " + Q(leak));
  const auto full_report = nlohmann::json::parse(full.out);
  const nlohmann::json* gh_full = FindingOf(full_report, "github");
  REQUIRE(gh_full != nullptr);
  CHECK((*gh_full)["secret"] == kGithub);
  CHECK((*gh_full)["context_urls"].dump().find(kMaps) == std::string::npos);
  CHECK((*gh_full)["snippet"].get<std::string>().find(kStripe) == std::string::npos);
}

TEST_CASE("text output escapes terminal controls and invalid UTF-8 from the artifact") {
  TempDir d;
  // A file name that would turn the terminal red, and binary bytes around the key.
  const auto leak = d.Write("a\033[31mred.bin", std::string("\x01\xff\xfe\x9b") + "k='" + kGithub +
                                                    "'\x1b]0;pwned\x07\xc3\n");
  const auto broken = d.Write("b\033[2Jz.zip", std::string("PK\x03\x04") + "\x1b[2J broken");
  auto r = RunLeakproof("scan --color never " + Q(leak) + " " + Q(broken));
  CHECK(r.exit_code == 1);
  CHECK(r.out.find('\033') == std::string::npos);
  CHECK(r.out.find('\x07') == std::string::npos);
  CHECK(ValidUtf8(r.out));
  CHECK_THAT(r.out, Catch::Contains("a\\x1b[31mred.bin"));
  // JSON keeps the bytes as data: escaped by JSON itself, invalid UTF-8 replaced.
  auto j = RunLeakproof("scan --format json " + Q(leak));
  CHECK(ValidUtf8(j.out));
  CHECK_NOTHROW(nlohmann::json::parse(j.out));
  // JUnit is XML: no control bytes, valid UTF-8.
  auto x = RunLeakproof("scan --format junit " + Q(leak));
  CHECK(ValidUtf8(x.out));
  CHECK(x.out.find('\033') == std::string::npos);
}

TEST_CASE("the text summary uses human units and plurals") {
  TempDir d;
  const std::string content = "const t = \"" + kGithub + "\";\n";
  const auto leak = d.Write("a.js", content);
  auto r = RunLeakproof("scan --color never " + Q(leak) + " " + Q(d.path() / "missing.js"));
  const std::string bytes = std::to_string(content.size()) + " B";
  CHECK_THAT(r.out,
             Catch::Contains("1 finding (1 secret, 0 conditional, 0 publishable) in 1 file, " +
                             bytes + " in "));
  CHECK(r.out.find("e-0") == std::string::npos);
  CHECK(std::regex_search(r.out, std::regex(bytes + R"( in [0-9.]+ (ms|s); 1 diagnostic\n)")));
}

TEST_CASE("text: the bff hint only for keys of an HTTP API a route can hold") {
  TempDir d;
  const auto leak = d.Write("a.js", "const t = \"" + kStripe + "\";\n");
  auto api = RunLeakproof("scan --color never " + Q(leak));
  CHECK_THAT(api.out, Catch::Contains("then `leakproof bff` generates the server route"));
  // A keystore has no provider API to move behind a route: replace and revoke it.
  const std::string jks =
      (std::filesystem::path(LEAKPROOF_SOURCE_DIR) / "samples/android/keystores/release.jks")
          .string();
  auto store = RunLeakproof("scan --color never " + Q(jks));
  CHECK(store.exit_code == 1);
  CHECK_THAT(store.out, Catch::Contains("rotate  replace it and revoke the old one"));
  CHECK(store.out.find("leakproof bff") == std::string::npos);
}

TEST_CASE("format names are case-insensitive") {
  TempDir d;
  const auto leak = d.Write("a.js", "const t = \"" + kGithub + "\";\n");
  auto sarif = RunLeakproof("scan -f SARIF " + Q(leak));
  CHECK(sarif.exit_code == 1);
  CHECK(nlohmann::json::parse(sarif.out)["version"] == "2.1.0");
  CHECK(RunLeakproof("scan -f Json " + Q(leak)).exit_code == 1);
  CHECK(RunLeakproof("scan -f yaml " + Q(leak)).exit_code == 2);
}

TEST_CASE("junit follows --fail-on: findings that do not fail pass with their details") {
  TempDir d;
  const auto leak = d.Write("a.js", "const t = \"" + kGithub + "\";\n");
  auto none = RunLeakproof("scan --format junit --fail-on none " + Q(leak));
  CHECK(none.exit_code == 0);
  CHECK_THAT(none.out, Catch::Contains("failures=\"0\""));
  CHECK(none.out.find("<failure") == std::string::npos);
  CHECK_THAT(none.out, Catch::Contains("<system-out>secret: "));
  CHECK_THAT(none.out, Catch::Contains("ghp_\xE2\x80\xA6"));
  auto secret = RunLeakproof("scan --format junit " + Q(leak));
  CHECK(secret.exit_code == 1);
  CHECK_THAT(secret.out, Catch::Contains("failures=\"1\"") && Catch::Contains("<failure"));
}

TEST_CASE("fingerprints are per place and stable; secret_hash is per key and keyed") {
  TempDir d;
  const std::string line = "const t = \"" + kGithub + "\";\n";
  d.Write("src/a.js", "// a\n" + line);
  d.Write("src/b.js", line);
  const std::string env = "LEAKPROOF_HASH_KEY=test-key-1";
  auto scan = [&](const std::string& args, const std::string& e) {
    auto r = RunIn(d.path(), "scan --format json --sort " + args, e);
    REQUIRE(r.exit_code == 1);
    return nlohmann::json::parse(r.out);
  };
  const auto both = scan("src", env);
  REQUIRE(both["findings"].size() == 2);
  const auto& fa = both["findings"][0];
  const auto& fb = both["findings"][1];
  CHECK(fa["fingerprint"] != fb["fingerprint"]);  // two places
  CHECK(fa["secret_hash"] == fb["secret_hash"]);  // one key
  CHECK(fa["secret_hash"].get<std::string>().size() == 32);
  CHECK(both["secret_hash_key"] == "env");

  // Stable across reruns and across the ways of naming the same file.
  const std::string print_a = fa["fingerprint"];
  CHECK(scan("src/a.js", env)["findings"][0]["fingerprint"] == print_a);
  CHECK(scan("./src/a.js", env)["findings"][0]["fingerprint"] == print_a);
  CHECK(scan(Q(d.path() / "src/a.js"), env)["findings"][0]["fingerprint"] == print_a);
  // A line shift above leaves it alone; an edit to the secret's own line changes it.
  d.Write("src/a.js", "// a\n// inserted\n\n" + line);
  CHECK(scan("src/a.js", env)["findings"][0]["fingerprint"] == print_a);
  d.Write("src/a.js", "// a\nconst token = \"" + kGithub + "\";\n");
  CHECK(scan("src/a.js", env)["findings"][0]["fingerprint"] != print_a);

  // The key decides secret_hash: another key, another hash; no key, a per-run one.
  CHECK(scan("src/b.js", "LEAKPROOF_HASH_KEY=test-key-2")["findings"][0]["secret_hash"] !=
        fb["secret_hash"]);
  const auto run1 = scan("--cache-dir - src/b.js", "LEAKPROOF_HASH_KEY=");
  const auto run2 = scan("--cache-dir - src/b.js", "LEAKPROOF_HASH_KEY=");
  CHECK(run1["secret_hash_key"] == "run");
  CHECK(run1["findings"][0]["secret_hash"] != run2["findings"][0]["secret_hash"]);
  // An installation key is created once, private, and reused.
  const auto cache = d.path() / "cache";
  const auto inst1 = scan("--cache-dir " + Q(cache) + " src/b.js", "LEAKPROOF_HASH_KEY=");
  const auto inst2 = scan("--cache-dir " + Q(cache) + " src/b.js", "LEAKPROOF_HASH_KEY=");
  CHECK(inst1["secret_hash_key"] == "installation");
  CHECK(inst1["findings"][0]["secret_hash"] == inst2["findings"][0]["secret_hash"]);
  struct stat st {};
  REQUIRE(::stat((cache / "secret-hash.key").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);

  // SARIF carries the per-place fingerprint, never the secret_hash.
  auto sarif = RunIn(d.path(), "scan --format sarif src/b.js", env);
  const auto s = nlohmann::json::parse(sarif.out);
  CHECK(s["runs"][0]["results"][0]["partialFingerprints"]["leakproofLocation/v2"] ==
        fb["fingerprint"]);
  CHECK(sarif.out.find(fb["secret_hash"].get<std::string>()) == std::string::npos);
  CHECK(sarif.out.find("secret_hash") == std::string::npos);
}

TEST_CASE("sarif: relative URIs against %SRCROOT%, members as logical locations") {
  TempDir d;
  d.Write("src/with space/a#1.js", "x\nconst t = \"" + kGithub + "\";\n");
  auto r = RunIn(d.path(), "scan --format sarif './src/with space/a#1.js'");
  REQUIRE(r.exit_code == 1);
  const auto run = nlohmann::json::parse(r.out)["runs"][0];
  const auto& phys = run["results"][0]["locations"][0]["physicalLocation"];
  CHECK(phys["artifactLocation"]["uri"] == "src/with%20space/a%231.js");
  CHECK(phys["artifactLocation"]["uriBaseId"] == "%SRCROOT%");
  CHECK(phys["region"]["startLine"] == 2);
  CHECK(run["originalUriBaseIds"]["%SRCROOT%"]["uri"].get<std::string>().rfind("file:///", 0) == 0);
  CHECK(run["results"][0]["properties"]["provider"] == "github");
  const auto tags = run["tool"]["driver"]["rules"][0]["properties"]["tags"];
  CHECK(tags == nlohmann::json({"security", "secret"}));
  CHECK_FALSE(run["tool"]["driver"].contains("informationUri"));
}
