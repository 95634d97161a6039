// The CLI contract CI relies on: exit codes (0 clean, 1 findings, 2 usage/error,
// 3 incomplete), a `complete` verdict in every format, flag values rejected up front,
// stdout kept for the report, and the small things (help, -V, colour, --quiet).
#include "cli/cli_support.h"
#include "support/android_zip_builder.h"
#include "support/scan_run.h"
#include "support/test_rules.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <unistd.h>

using leakproof::testing::BuildZip;
using leakproof::testing::ReadWholeFile;
using leakproof::testing::RunLeakproof;
using leakproof::testing::RunLeakproofWith;
using leakproof::testing::TempDir;
using leakproof::testing::ZipMember;

namespace {

// A GitHub classic token shape, assembled so the source holds no key literal.
const std::string kGithub = std::string("ghp_") + "R8mK2xQ9vLp4TzW7nYb3HcJ6dF1sA5gE0uNi";

std::string Q(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

int Lines(const std::string& s) {
  int n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

}  // namespace

TEST_CASE("an incomplete scan exits 3; --allow-incomplete exits 0; findings still exit 1") {
  TempDir d;
  const auto clean = d.Write("clean.js", "console.log('hello');\n");
  auto r = RunLeakproof("scan --max-file-size 0 " + Q(clean));
  CHECK(r.exit_code == 3);  // was 0: the file was never read
  CHECK_THAT(r.out, Catch::Contains("INCOMPLETE"));
  CHECK(RunLeakproof("scan --max-file-size 0 --allow-incomplete " + Q(clean)).exit_code == 0);

  d.Write("tree/small.js", "t='" + kGithub + "'\n");
  d.Write("tree/big.js", std::string(4096, ' ') + "t='" + kGithub + "'\n");
  CHECK(RunLeakproof("scan --max-file-size 1KiB " + Q(d.path() / "tree")).exit_code == 1);
  CHECK(
      RunLeakproof("scan --max-file-size 1KiB --fail-on none " + Q(d.path() / "tree")).exit_code ==
      3);
}

TEST_CASE("every format carries the complete verdict with reasons counted") {
  TempDir d;
  const auto zip =
      d.Write("many.zip", BuildZip({{"a.txt", "one"}, {"b.txt", "two"}, {"c.txt", "three"}}));
  const std::string args = "scan --max-entries 2 " + Q(zip);

  auto json = RunLeakproof(args + " --format json");
  CHECK(json.exit_code == 3);
  auto j = nlohmann::json::parse(json.out);
  CHECK(j["complete"] == false);
  CHECK(j["incomplete"]["reasons"]["limit-exceeded"] == 1);
  CHECK_THAT(json.err, Catch::Contains("INCOMPLETE"));  // and said on stderr

  auto jsonl = RunLeakproof(args + " --format jsonl");
  const std::string last = jsonl.out.substr(jsonl.out.rfind('\n', jsonl.out.size() - 2) + 1);
  auto summary = nlohmann::json::parse(last);
  CHECK(summary["type"] == "summary");
  CHECK(summary["complete"] == false);

  auto sarif = nlohmann::json::parse(RunLeakproof(args + " --format sarif").out);
  const auto& run = sarif["runs"][0];
  CHECK(run["invocations"][0]["executionSuccessful"] == false);
  CHECK(run["invocations"][0]["toolExecutionNotifications"].size() == 1);
  CHECK(run["properties"]["complete"] == false);

  auto junit = RunLeakproof(args + " --format junit");
  CHECK_THAT(junit.out, Catch::Contains("<error type=\"incomplete\""));

  // A complete scan says so too.
  auto ok =
      nlohmann::json::parse(RunLeakproof("scan --format json " + Q(d.Write("c.js", "x\n"))).out);
  CHECK(ok["complete"] == true);
  CHECK(ok["incomplete"]["reasons"].empty());
}

TEST_CASE("--max-findings counts findings in total, not per input") {
  TempDir d;
  for (int i = 0; i < 3; ++i) {
    // Distinct tokens: each file holds one finding.
    std::string key = kGithub;
    key[10] = static_cast<char>('a' + i);
    d.Write("f" + std::to_string(i) + ".js", "t='" + key + "'\n");
  }
  auto r = RunLeakproof("scan --max-findings 2 --format json " + Q(d.path()));
  CHECK(r.exit_code == 1);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["findings"].size() == 2);
  CHECK(j["complete"] == false);
  CHECK(RunLeakproof("scan --max-findings 2 --fail-on none " + Q(d.path())).exit_code == 3);
}

TEST_CASE("encrypted and truncated archives make the scan incomplete") {
  TempDir d;
  const auto ipa = d.Write("app.ipa", BuildZip({{"Payload/App.app/c.json", "t='" + kGithub + "'",
                                                 false, "pass" + std::string("word")}}));
  CHECK(RunLeakproof("scan " + Q(ipa)).exit_code == 3);
  std::string noise;
  std::uint32_t x = 99;
  for (int i = 0; i < 20000; ++i) {
    x = x * 1103515245u + 12345u;
    noise += static_cast<char>('a' + (x >> 16) % 26);
  }
  const std::string whole = BuildZip({{"big.txt", noise, true}});
  const auto cut = d.Write("cut.zip", whole.substr(0, whole.size() / 2));
  CHECK(RunLeakproof("scan " + Q(cut)).exit_code == 3);
}

TEST_CASE("unreadable files and directories in a tree are lost coverage (exit 3)") {
  // Root reads through chmod 000, so the scan runs as nobody (setpriv) when we are root.
  const std::string as_user =
      geteuid() == 0 ? "setpriv --reuid=65534 --regid=65534 --clear-groups" : "";
  TempDir d;
  const auto rules = d.Write("r.toml", R"([provider]
id = "acme"
name = "ACME"
[[rules]]
id = "acme.token"
regex = '''\b(acme_[a-z0-9]{20})\b'''
)");
  d.Write("tree/ok.txt", "nothing here\n");
  const auto secret_file = d.Write("tree/locked.txt", "acme_k3j9x2m7q8w4e6r1t5y0\n");
  const auto secret_dir = d.path() / "tree" / "private";
  d.Write("tree/private/key.txt", "acme_k3j9x2m7q8w4e6r1t5y0\n");
  // Readable by nobody whatever the umask, until we take it away below.
  std::filesystem::permissions(d.path(), std::filesystem::perms(0755));
  for (const auto& e : std::filesystem::recursive_directory_iterator(d.path())) {
    std::filesystem::permissions(e.path(), std::filesystem::perms(e.is_directory() ? 0755 : 0644));
  }
  const std::string args = "scan --no-builtin-rules --cache-dir - --rules " + Q(rules) +
                           " --format json " + Q(d.path() / "tree");
  REQUIRE(RunLeakproofWith(as_user, args).exit_code == 1);  // readable: both found

  std::filesystem::permissions(secret_file, std::filesystem::perms::none);
  std::filesystem::permissions(secret_dir, std::filesystem::perms::none);
  auto r = RunLeakproofWith(as_user, args);
  std::filesystem::permissions(secret_dir, std::filesystem::perms(0755));  // so it can be removed
  INFO(r.out << r.err);
  CHECK(r.exit_code == 3);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["findings"].empty());
  CHECK(j["complete"] == false);
  CHECK(j["incomplete"]["reasons"]["io-error"] == 2);  // the file and the directory
  CHECK_THAT(r.err, Catch::Contains("locked.txt"));    // errors reach stderr
}

TEST_CASE("nonsense flag values are rejected up front with exit 2 and one line") {
  TempDir d;
  const auto clean = d.Write("a.js", "x\n");
  for (const std::string bad :
       {"-j -3", "-j 0", "--max-depth -1", "--max-file-size -5", "--max-file-size 10XB",
        "--max-ratio 0", "--max-entries 0", "--max-member-size 0", "--max-findings -1"}) {
    auto r = RunLeakproof("scan " + bad + " " + Q(clean));
    INFO(bad << " -> " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    const std::string flag = bad.substr(0, bad.find(' '));
    CHECK_THAT(r.err, Catch::Contains(flag == "-j" ? "threads" : flag.substr(2)));
  }
  for (const std::string good : {"--max-file-size 10MB", "--max-file-size 1GiB",
                                 "--max-total-size 512k", "-j 2", "--max-depth 3"}) {
    INFO(good);
    CHECK(RunLeakproof("scan " + good + " " + Q(clean)).exit_code == 0);
  }
}

TEST_CASE("-o: checked before the scan, '-' is stdout, and a one-line summary on stderr") {
  TempDir d;
  const auto leak = d.Write("a.js", "t='" + kGithub + "'\n");
  auto bad = RunLeakproof("scan -o " + Q(d.path() / "no" / "such" / "dir.json") + " " + Q(leak));
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("cannot write"));
  CHECK(Lines(bad.err) == 1);

  auto dash = RunLeakproof("scan -o - --format json " + Q(leak));
  CHECK(dash.exit_code == 1);
  CHECK(nlohmann::json::parse(dash.out)["findings"].size() == 1);
  CHECK_FALSE(std::filesystem::exists("-"));

  const auto report = d.path() / "report.json";
  auto file = RunLeakproof("scan -o " + Q(report) + " --format json " + Q(leak));
  CHECK(file.exit_code == 1);
  CHECK(file.out.empty());
  CHECK(Lines(file.err) == 1);  // was silent
  CHECK_THAT(file.err, Catch::Contains("1 finding") && Catch::Contains(report.string()));
  CHECK(file.err.find(kGithub) == std::string::npos);

  auto quiet = RunLeakproof("scan -q -o " + Q(report) + " " + Q(leak));
  CHECK(quiet.exit_code == 1);
  CHECK(quiet.err.empty());
}

TEST_CASE("-o: a run that fails leaves no empty report and keeps the previous one") {
  TempDir d;
  const auto leak = d.Write("a.js", "t='" + kGithub + "'\n");
  const auto bad_rules = d.Write("bad.toml", "[[rules]]\nid = \"x\"\nregex = \"((\"\n");
  const auto fresh = d.path() / "fresh.json";
  auto failed = RunLeakproof("scan --rules " + Q(bad_rules) + " -o " + Q(fresh) + " " + Q(leak));
  CHECK(failed.exit_code == 2);
  CHECK_FALSE(std::filesystem::exists(fresh));

  const auto previous = d.Write("previous.json", "{\"kept\": true}\n");
  failed = RunLeakproof("scan --rules " + Q(bad_rules) + " -o " + Q(previous) + " " + Q(leak));
  CHECK(failed.exit_code == 2);
  CHECK(ReadWholeFile(previous) == "{\"kept\": true}\n");
  // Nothing else is left beside it (the temporary file is removed).
  CHECK(std::distance(std::filesystem::directory_iterator(d.path()),
                      std::filesystem::directory_iterator()) == 3);

  auto ok = RunLeakproof("scan --format json -o " + Q(previous) + " " + Q(leak));
  CHECK(ok.exit_code == 1);
  CHECK(nlohmann::json::parse(ReadWholeFile(previous))["findings"].size() == 1);
}

TEST_CASE("errors go to stderr in text mode, never into the report on stdout") {
  TempDir d;
  const auto ok = d.Write("a.js", "x\n");
  auto r = RunLeakproof("scan " + Q(ok) + " " + Q(d.path() / "missing.js"));
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("no such file") == std::string::npos);
  CHECK_THAT(r.err, Catch::Contains("missing.js") && Catch::Contains("no such file"));
}

TEST_CASE("unknown commands, help and version") {
  auto bogus = RunLeakproof("bogus");
  CHECK(bogus.exit_code == 2);
  CHECK_THAT(bogus.err, Catch::Contains("unknown command 'bogus'"));
  auto help = RunLeakproof("help");
  CHECK(help.exit_code == 0);
  CHECK_THAT(help.out, Catch::Contains("scan"));
  auto help_scan = RunLeakproof("help scan");
  CHECK(help_scan.exit_code == 0);
  CHECK_THAT(help_scan.out,
             Catch::Contains("--max-findings") && Catch::Contains("Usage: leakproof scan"));
  CHECK(help_scan.out.find("{false}") == std::string::npos);
  CHECK_THAT(help_scan.out, Catch::Contains("--allow-incomplete") && Catch::Contains("--quiet"));
  auto v = RunLeakproof("-V");
  CHECK(v.exit_code == 0);
  CHECK_THAT(v.out, Catch::Contains("leakproof 0."));
  CHECK(RunLeakproof("--version").exit_code == 0);
  CHECK(RunLeakproof("rules list --help").out.find("{false}") == std::string::npos);
}

TEST_CASE("--color auto: NO_COLOR='' keeps colour, NO_COLOR=1 and TERM=dumb disable it") {
  TempDir d;
  const auto leak = d.Write("a.js", "t='" + kGithub + "'\n");
  // `script` gives the command a terminal for stdout.
  auto colored = [&](const std::string& env) {
    const auto out = d.path() / "tty.out";
    const std::string inner = "XDG_CACHE_HOME='" LEAKPROOF_TEST_CACHE "' " + env +
                              " '" LEAKPROOF_BINARY "' scan --no-progress " + Q(leak);
    const std::string cmd = "script -qec \"" + inner + "\" /dev/null >'" + out.string() + "' 2>&1";
    REQUIRE(std::system(cmd.c_str()) != -1);
    std::FILE* f = std::fopen(out.c_str(), "rb");
    REQUIRE(f != nullptr);
    std::string text;
    char buf[4096];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
    std::fclose(f);
    REQUIRE_THAT(text, Catch::Contains("ghp_"));
    return text.find("\033[") != std::string::npos;
  };
  CHECK(colored("TERM=xterm"));
  CHECK(colored("TERM=xterm NO_COLOR="));
  CHECK_FALSE(colored("TERM=xterm NO_COLOR=1"));
  CHECK_FALSE(colored("TERM=dumb"));
}

TEST_CASE("rules check holds --rules files to the schema's two examples") {
  TempDir d;
  const auto rules = d.Write("mine.toml", R"([provider]
id = "acme"
name = "ACME"
[[rules]]
id = "acme.token"
name = "ACME token"
class = "secret"
severity = "high"
regex = '''\b(acme_[a-z0-9]{20})\b'''
)");
  auto r = RunLeakproof("rules check --rules " + Q(rules));
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::Contains("acme.token") && Catch::Contains("2 examples"));
}

TEST_CASE("--config refuses a leakproof rules file instead of misreading it") {
  TempDir d;
  const auto ours = d.Write("ours.toml", R"([provider]
id = "acme"
name = "ACME"
[[rules]]
id = "acme.token"
name = "ACME token"
class = "secret"
severity = "high"
regex = '''\b(acme_[a-z0-9]{20})\b'''
)");
  auto r = RunLeakproof("scan --config " + Q(ours) + " " + Q(d.Write("a.js", "x\n")));
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("--rules"));
}

TEST_CASE("gitleaks path scoping and allowlists (global, per rule) are applied") {
  TempDir d;
  const auto cfg = d.Write("gitleaks.toml", R"(title = "custom"
[allowlist]
paths = ['''(^|/)fixtures/''']
[[rules]]
id = "internal-token"
regex = '''itk_[0-9a-f]{24}'''
[rules.allowlist]
regexes = ['''itk_0{24}''']
paths = ['''\.md$''']
[[rules]]
id = "pem-only"
path = '''\.pem$'''
regex = '''pemtok_[0-9a-f]{16}'''
)");
  const std::string tok = std::string("itk_") + "9f2a6c1e7b3d8a0f4c5e2b91";
  d.Write("src/a.txt", "key: " + tok + "\n");                          // reported
  d.Write("fixtures/a.txt", "key: " + tok + "\n");                     // global allowlist path
  d.Write("docs/README.md", "key: " + tok + "\n");                     // rule allowlist path
  d.Write("src/zero.txt", "key: itk_" + std::string(24, '0') + "\n");  // rule allowlist regex
  d.Write("src/key.pem", "pemtok_0123456789abcdef\n");                 // path-scoped rule: in scope
  d.Write("src/key.txt", "pemtok_0123456789abcdef\n");                 // out of scope
  auto r = RunLeakproof("scan --no-builtin-rules --config " + Q(cfg) + " --format json --sort " +
                        Q(d.path() / "src") + " " + Q(d.path() / "fixtures") + " " +
                        Q(d.path() / "docs"));
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  auto j = nlohmann::json::parse(r.out);
  REQUIRE(j["findings"].size() == 2);
  CHECK_THAT(j["findings"][0]["location"]["path"].get<std::string>(), Catch::EndsWith("a.txt"));
  CHECK_THAT(j["findings"][1]["location"]["path"].get<std::string>(), Catch::EndsWith("key.pem"));
  CHECK(r.err.find("warning") == std::string::npos);  // nothing dropped any more
}
