// Golden-file tests: fixture report + frozen rules -> the whole generated tree, compared
// file by file with tests/bff/golden/<case>/. Regenerate with UPDATE_GOLDEN=1.
#include "leakproof/proxy/bff/credential.h"
#include "leakproof/proxy/bff/generator.h"
#include "leakproof/proxy/bff/writer.h"

#include "bff/bff_test_support.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <set>

namespace fs = std::filesystem;
namespace bff = leakproof::proxy::bff;
using leakproof::bff_test::BffTestDir;
using leakproof::bff_test::FixtureRules;
using leakproof::bff_test::ReadFile;

namespace {

void CheckGolden(const std::string& name, const std::string& targets) {
  auto creds = bff::CredentialsFromReport(ReadFile(BffTestDir() / "fixtures" / (name + ".json")));
  REQUIRE(creds.ok());
  bff::BffOptions opts;
  auto parsed = bff::ParseTargets(targets);
  REQUIRE(parsed.ok());
  opts.targets = *parsed;
  auto tree = bff::GenerateBff(*creds, FixtureRules(), opts);
  INFO(tree.status().message());
  REQUIRE(tree.ok());

  const fs::path dir = BffTestDir() / "golden" / name;
  const char* update = std::getenv("UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    fs::remove_all(dir);
    REQUIRE(bff::WriteTree(*tree, dir.string(), false).ok());
  }
  std::set<std::string> on_disk;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) on_disk.insert(fs::relative(e.path(), dir).generic_string());
  }
  std::set<std::string> generated;
  for (const auto& [path, content] : *tree) generated.insert(path);
  CHECK(on_disk == generated);
  for (const auto& [path, content] : *tree) {
    INFO("golden file " << name << "/" << path << " differs (UPDATE_GOLDEN=1 to regenerate)");
    CHECK(ReadFile(dir / path) == content);
  }
}

}  // namespace

TEST_CASE("golden: mixed providers, every target") { CheckGolden("mixed", "all"); }

TEST_CASE("golden: two Stripe keys get distinct routes and env vars") {
  CheckGolden("two-stripe", "express,proxy");
}
