// SelectShard(): a partition of the inputs, independent of their order, with large
// files spread by size.
#include "scan/shard.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <random>
#include <set>

using leakproof::scanner::kShardLargeFile;
using leakproof::scanner::SelectShard;
using leakproof::scanner::ShardInput;
using leakproof::scanner::ShardSpec;

namespace {

std::vector<ShardInput> Inputs(std::size_t small, std::size_t large) {
  std::vector<ShardInput> in;
  for (std::size_t i = 0; i < small; ++i) {
    in.push_back({{"tree/dir" + std::to_string(i % 17) + "/f" + std::to_string(i) + ".js",
                   "tree/dir" + std::to_string(i % 17) + "/f" + std::to_string(i) + ".js", false},
                  100 + i % 5000});
  }
  for (std::size_t i = 0; i < large; ++i) {
    const std::string p = "apps/app" + std::to_string(i) + ".apk";
    in.push_back({{p, p, false}, kShardLargeFile * (2 + i % 3)});
  }
  return in;
}

// shard index -> displays it got
std::map<std::uint32_t, std::vector<std::string>> Assign(const std::vector<ShardInput>& in,
                                                         std::uint32_t n) {
  std::map<std::uint32_t, std::vector<std::string>> out;
  for (std::uint32_t k = 0; k < n; ++k) {
    for (const auto& item : SelectShard(in, ShardSpec{k, n})) out[k].push_back(item.display);
  }
  return out;
}

}  // namespace

TEST_CASE("shards partition the inputs: every file in exactly one shard") {
  const auto in = Inputs(2000, 23);
  for (std::uint32_t n : {1u, 2u, 3u, 7u, 64u}) {
    std::multiset<std::string> seen;
    for (const auto& [k, files] : Assign(in, n)) seen.insert(files.begin(), files.end());
    CHECK(seen.size() == in.size());
    for (const auto& input : in) CHECK(seen.count(input.item.display) == 1);
  }
}

TEST_CASE("the assignment does not depend on the order the walk found the files") {
  auto in = Inputs(500, 9);
  const auto before = Assign(in, 7);
  std::mt19937 rng(42);
  std::shuffle(in.begin(), in.end(), rng);
  CHECK(Assign(in, 7) == before);
}

TEST_CASE("large files are spread by size, not left to the hash") {
  // 14 equal APKs over 7 shards: two each, whatever their names hash to.
  std::vector<ShardInput> in;
  for (int i = 0; i < 14; ++i) {
    const std::string p = "apps/a" + std::to_string(i) + ".apk";
    in.push_back({{p, p, false}, 50 * kShardLargeFile});
  }
  for (const auto& [k, files] : Assign(in, 7)) CHECK(files.size() == 2);
  // Mixed: the heaviest shard carries at most the lightest plus one large file.
  const auto mixed = Inputs(3000, 40);
  std::map<std::string, std::uint64_t> size;
  for (const auto& i : mixed) size[i.item.display] = i.size;
  std::vector<std::uint64_t> load;
  for (const auto& [k, files] : Assign(mixed, 5)) {
    std::uint64_t total = 0;
    for (const auto& f : files) total += size[f];
    load.push_back(total);
  }
  REQUIRE(load.size() == 5);
  const auto [lo, hi] = std::minmax_element(load.begin(), load.end());
  CHECK(*hi - *lo <= 4 * kShardLargeFile);
}

TEST_CASE("stdin belongs to shard 0") {
  std::vector<ShardInput> in = {{{"-", "-", true}, 0}, {{"a.js", "a.js", false}, 10}};
  for (std::uint32_t n : {2u, 5u}) {
    auto first = SelectShard(in, ShardSpec{0, n});
    CHECK(std::any_of(first.begin(), first.end(), [](const auto& w) { return w.is_stdin; }));
    for (std::uint32_t k = 1; k < n; ++k) {
      auto other = SelectShard(in, ShardSpec{k, n});
      CHECK(std::none_of(other.begin(), other.end(), [](const auto& w) { return w.is_stdin; }));
    }
  }
}
