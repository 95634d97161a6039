// `scan --shard K/N` and `--inputs-from`: the N shards of a scan together report exactly
// the full scan's findings, none twice, on samples/ and on a generated tree.
#include "cli/cli_support.h"
#include "support/test_rules.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <map>
#include <set>
#include <sstream>

using leakproof::testing::RunLeakproof;
using leakproof::testing::TempDir;

namespace {

// Built from pieces so this file holds no credential-shaped literal.
const std::string kGithub = std::string("ghp_") + "R8mK2xQ9vLp4TzW7nYb3HcJ6dF1sA5gE0uNi";

std::string Q(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

struct ScanOutput {
  std::multiset<std::string> findings;  // "path|offset|rule|fingerprint"
  std::uint64_t files = 0;
  std::uint64_t bytes = 0;
};

ScanOutput Scan(const std::string& args) {
  auto r = RunLeakproof("scan --format jsonl --sort -q --fail-on none " + args);
  REQUIRE(r.exit_code != 2);
  ScanOutput out;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) {
    auto j = nlohmann::json::parse(line);
    if (j["type"] == "finding") {
      out.findings.insert(j["location"]["path"].get<std::string>() + "|" +
                          std::to_string(j["location"]["offset"].get<std::uint64_t>()) + "|" +
                          j["rule_id"].get<std::string>() + "|" +
                          j["fingerprint"].get<std::string>());
    } else if (j["type"] == "summary") {
      out.files = j["files"];
      out.bytes = j["bytes"];
    }
  }
  return out;
}

// Union of the N shards == the full scan, no finding twice; returns per-shard bytes.
std::vector<std::uint64_t> CheckShardsCover(const std::string& inputs, const ScanOutput& full,
                                            int n) {
  std::multiset<std::string> all;
  std::uint64_t files = 0;
  std::vector<std::uint64_t> bytes;
  for (int k = 0; k < n; ++k) {
    const ScanOutput part =
        Scan("--shard " + std::to_string(k) + "/" + std::to_string(n) + " " + inputs);
    all.insert(part.findings.begin(), part.findings.end());
    files += part.files;
    bytes.push_back(part.bytes);
  }
  INFO("N = " << n);
  CHECK(all == full.findings);  // a multiset: a finding in two shards would count twice
  CHECK(files == full.files);
  return bytes;
}

}  // namespace

TEST_CASE("shards of samples/ add up to the full scan") {
  const std::string samples = Q(std::filesystem::path(LEAKPROOF_SOURCE_DIR) / "samples");
  const ScanOutput full = Scan(samples);
  REQUIRE(full.findings.size() > 20);
  for (int n : {1, 3, 7}) CheckShardsCover(samples, full, n);
}

TEST_CASE("shards of a generated tree of 2000 files add up to the full scan, balanced") {
  TempDir d;
  for (int i = 0; i < 2000; ++i) {
    const std::string dir = "d" + std::to_string(i % 13) + "/s" + std::to_string(i % 5);
    std::string body = "// file " + std::to_string(i) + "\n";
    if (i % 7 == 0) body += "const t = \"" + kGithub + "\";\n";
    d.Write(dir + "/f" + std::to_string(i) + ".js", body);
  }
  // Seven large files (1.5 MiB, a key at the end): spread one per shard with N = 7.
  const std::string pad(3 << 19, ' ');
  for (int i = 0; i < 7; ++i) {
    d.Write("big/bundle" + std::to_string(i) + ".js", pad + "x=\"" + kGithub + "\"\n");
  }
  const ScanOutput full = Scan(Q(d.path()));
  REQUIRE(full.files == 2007);
  REQUIRE(full.findings.size() == 2000 / 7 + 1 + 7);
  for (int n : {1, 3, 7}) {
    const auto bytes = CheckShardsCover(Q(d.path()), full, n);
    if (n == 7) {
      for (std::uint64_t b : bytes) {
        CHECK(b > (3u << 19));      // every shard got one large file
        CHECK(b < 2 * (3u << 19));  // and only one
      }
    }
  }
}

TEST_CASE("--shard values are checked") {
  TempDir d;
  const auto f = d.Write("a.js", "x\n");
  for (const char* bad : {"3/3", "1", "a/b", "0/0", "-1/2", "1/2/3", "0/70000"}) {
    auto r = RunLeakproof(std::string("scan --shard ") + bad + " " + Q(f));
    INFO(bad);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("--shard must be K/N"));
  }
}

TEST_CASE("--inputs-from reads paths one per line, from a file or stdin") {
  TempDir d;
  const auto a = d.Write("a/one.js", "const t = \"" + kGithub + "\";\n");
  const auto b = d.Write("b/two.js", "const u = \"" + kGithub + "\";\n");
  d.Write("c/three.js", "const v = \"" + kGithub + "\";\n");  // not listed: not scanned
  const auto list = d.Write("list.txt", "# apps to scan\n\n" + a.string() + "\r\n  " +
                                            b.parent_path().string() + "  \n# the end\n");
  const ScanOutput direct = Scan(Q(a) + " " + Q(b.parent_path()));
  REQUIRE(direct.findings.size() == 2);
  const ScanOutput listed = Scan("--inputs-from " + Q(list));
  CHECK(listed.findings == direct.findings);
  CHECK(listed.files == 2);

  auto from_stdin =
      RunLeakproof("scan --format jsonl -q --inputs-from -", a.string() + "\n" + b.string() + "\n");
  CHECK(from_stdin.exit_code == 1);
  CHECK(std::count(from_stdin.out.begin(), from_stdin.out.end(), '\n') == 3);  // 2 + summary

  // With shards: the list is split like any other input.
  CHECK(CheckShardsCover("--inputs-from " + Q(list), direct, 2).size() == 2);

  auto missing = RunLeakproof("scan --inputs-from " + Q(d.path() / "nope.txt"));
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Catch::Contains("nope.txt"));
  const auto empty = d.Write("empty.txt", "# nothing\n\n");
  auto none = RunLeakproof("scan --inputs-from " + Q(empty));
  CHECK(none.exit_code == 2);
  CHECK_THAT(none.err, Catch::Contains("lists no inputs"));
  CHECK(RunLeakproof("scan --inputs-from - -", "x\n").exit_code == 2);
  // PATH... being optional must not let a repeatable option swallow the paths after it.
  auto excluded = RunLeakproof("scan -q --format jsonl --exclude '*.min.js' --exclude zzz " +
                               Q(b.parent_path()) + " " + Q(a));
  CHECK(excluded.exit_code == 1);
  CHECK(std::count(excluded.out.begin(), excluded.out.end(), '\n') == 3);  // 2 + summary
  CHECK(RunLeakproof("scan").exit_code == 2);
}
