// The whole pipeline on the bundled real artifacts (samples/, built by
// scripts/make-samples.sh): every planted key listed in samples/expected-keys.tsv is
// found, in the right file and member, with the class the manifest gives; no decoy
// from samples/expected-decoys.tsv is reported; and one key found through different
// containers keeps one rule and one fingerprint.
#include "leakproof/scanner/scanner.h"

#include "support/test_rules.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace lp = leakproof::scanner;

namespace {

const std::string kSamples = std::string(LEAKPROOF_SOURCE_DIR) + "/samples";

std::map<std::string, std::string> ReadKeys() {
  std::map<std::string, std::string> keys;
  std::ifstream in(kSamples + "/keys.env");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto eq = line.find('=');
    if (eq != std::string::npos) keys[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return keys;
}

std::vector<std::vector<std::string>> ReadTsv(const std::string& name) {
  std::vector<std::vector<std::string>> rows;
  std::ifstream in(kSamples + "/" + name);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cols;
    std::stringstream ss(line);
    std::string col;
    while (std::getline(ss, col, '\t')) cols.push_back(col);
    rows.push_back(cols);
  }
  return rows;
}

// Member named in a provenance hint: "base.apk!resources.arsc:arsc-string/x" ->
// "base.apk!resources.arsc".
std::string HintMember(const std::string& hint) { return hint.substr(0, hint.find(':')); }

const lp::ScanResult& SamplesScan() {
  // Findings point at the engine's rules: the engine lives as long as the result.
  static const auto engine = leakproof::testing::BuiltinEngine();
  static const lp::ScanResult result = [] {
    lp::ScanOptions o;
    o.paths = {kSamples};
    o.threads = 2;
    o.use_ignore_file = false;  // the manifests are excluded by samples/.leakproofignore otherwise
    return lp::Scan(*engine, o);
  }();
  return result;
}

}  // namespace

TEST_CASE("every planted sample key is found where the manifest says") {
  const auto keys = ReadKeys();
  const auto rows = ReadTsv("expected-keys.tsv");
  REQUIRE(rows.size() >= 40);
  const auto& r = SamplesScan();
  for (const auto& row : rows) {
    REQUIRE(row.size() >= 7);
    const std::string& file = row[0];
    const std::string& label = row[4];
    const std::string& cls = row[6];
    if (cls == "identifier") continue;  // ids (app ids) are not credentials
    const auto key = keys.find(label);
    REQUIRE(key != keys.end());
    const std::string path = kSamples + "/" + file;
    const std::string member = HintMember(row[1]);
    bool found = false;
    std::string classes;
    for (const auto& f : r.findings) {
      if (f.location.path.rfind(path, 0) != 0) continue;
      if (!member.empty() && f.location.path.find(member) == std::string::npos) continue;
      // The manifest lists a Twilio SID:token string once per key; a key is found when a
      // finding's secret is it (or, for URLs that carry it, contains it).
      if (f.secret != key->second && f.secret.find(key->second) == std::string::npos) continue;
      found = true;
      classes += std::string(lp::RuleClassName(f.rule->rule_class)) + " ";
    }
    INFO(file << " " << row[1] << " " << label);
    CHECK(found);
    if (found && (cls == "secret" || cls == "publishable")) {
      CHECK_THAT(classes, Catch::Contains(cls));
    }
  }
}

TEST_CASE("no decoy in the samples is reported as a key") {
  const auto& r = SamplesScan();
  for (const auto& row : ReadTsv("expected-decoys.tsv")) {
    const std::string prefix = row[3];
    const std::string path = kSamples + "/" + row[0];
    for (const auto& f : r.findings) {
      if (f.location.path.rfind(path, 0) != 0) continue;
      INFO(row[0] << " " << row[6] << " reported as " << f.rule->id << " at " << f.location.path);
      if (row[4] == "-") {
        CHECK(f.secret.rfind(prefix, 0) != 0);  // placeholder value
      } else {
        const auto keys = ReadKeys();
        CHECK(f.secret != keys.at(row[4]));
      }
    }
  }
}

TEST_CASE("one key through different containers keeps its rule and secret_hash") {
  const auto keys = ReadKeys();
  const auto& r = SamplesScan();
  // The Maps key sits in the APK manifest and again in the XAPK's base.apk; the Stripe
  // secret in a source file, the bundle and the source map.
  for (const std::string label :
       {"GOOGLE_MAPS_KEY_MANIFEST", "STRIPE_SECRET_KEY_WEB", "ANTHROPIC_API_KEY_HBC"}) {
    std::map<std::string, std::string> print_by_path;
    std::set<std::string> hashes;
    std::set<std::string> places;
    for (const auto& f : r.findings) {
      if (f.secret != keys.at(label)) continue;
      print_by_path[f.location.path] = f.rule->id + "/" + f.secret_hash;
      hashes.insert(f.rule->id + "/" + f.secret_hash);
      places.insert(f.fingerprint);
    }
    INFO(label);
    CHECK(print_by_path.size() >= 2);
    CHECK(hashes.size() == 1);                     // one key: one secret_hash
    CHECK(places.size() >= print_by_path.size());  // but a fingerprint per place
  }
}

TEST_CASE("samples produce no diagnostics above info") {
  for (const auto& d : SamplesScan().diagnostics) {
    INFO(d.location << ": " << d.message);
    CHECK(d.level == lp::DiagnosticLevel::kInfo);
  }
}
