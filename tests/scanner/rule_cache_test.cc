// The on-disk cache of compiled Hyperscan databases (match/hs_database.cc): a database
// loaded from the cache (mapped file, hs_deserialize_database_at) matches exactly like
// the one just compiled, and a damaged cache file is recompiled and rewritten, never
// trusted or crashed on.
#include "leakproof/scanner/engine.h"

#include "support/test_rules.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <tuple>

namespace lp = leakproof::scanner;
using leakproof::testing::TempDir;

namespace {

std::unique_ptr<lp::Engine> MakeEngine(const std::filesystem::path& cache_dir) {
  lp::RuleSet rules;
  REQUIRE(rules.AddToml(leakproof::testing::kTestRulesToml, "test.toml", false).ok());
  lp::EngineOptions eo;
  eo.cache_dir = cache_dir.string();
  auto engine = lp::Engine::Create(std::move(rules), eo);
  INFO(engine.status().ToString());
  REQUIRE(engine.ok());
  return std::move(engine).value();
}

using Spans = std::vector<std::tuple<std::size_t, std::uint64_t, std::uint64_t>>;

Spans Matches(const lp::Engine& e, std::string_view text) {
  auto scratch = e.NewScratch();
  std::vector<lp::RawMatch> out;
  REQUIRE(e.Match(text, *scratch, out).ok());
  Spans spans;
  for (const auto& m : out) spans.emplace_back(m.rule_index, m.secret_start, m.secret_end);
  return spans;
}

std::filesystem::path OnlyCacheFile(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".hsdb") files.push_back(entry.path());
  }
  REQUIRE(files.size() == 1);
  return files.front();
}

void Overwrite(const std::filesystem::path& file, const std::string& bytes) {
  std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
}

std::string Slurp(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST_CASE("rule cache: a loaded database matches like a compiled one; damage recompiles") {
  TempDir dir;
  std::uint32_t seed = 7;
  const std::string text = "a=1;k=\"" + leakproof::testing::TestKey(seed) + "\";b=\"" +
                           leakproof::testing::TestKey(seed) + "\"\n";
  auto compiled = MakeEngine(dir.path());  // compiles and writes the cache
  const Spans reference = Matches(*compiled, text);
  REQUIRE(reference.size() == 2);
  const std::filesystem::path file = OnlyCacheFile(dir.path());
  const std::string good = Slurp(file);
  REQUIRE(good.rfind("LPHS1\n", 0) == 0);

  auto cached = MakeEngine(dir.path());
  CHECK(Matches(*cached, text) == reference);
  CHECK(cached->max_span() == compiled->max_span());
  CHECK(cached->problems().size() == compiled->problems().size());

  const std::vector<std::pair<std::string, std::string>> damages = {
      {"empty", ""},
      {"header only", good.substr(0, 20)},
      {"truncated database", good.substr(0, good.size() / 2)},
      {"one byte short", good.substr(0, good.size() - 1)},
      {"wrong magic", "LPHS0\n" + good.substr(6)},
      {"garbage database", good.substr(0, good.size() - 64) + std::string(64, '\xff')},
  };
  for (const auto& [name, bytes] : damages) {
    INFO(name);
    Overwrite(file, bytes);
    auto e = MakeEngine(dir.path());
    CHECK(Matches(*e, text) == reference);
  }
  // The last recompile replaced the damaged file with a good one.
  Overwrite(file, "");
  MakeEngine(dir.path());
  CHECK(Slurp(file) == good);
}
