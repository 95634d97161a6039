// SelectShard(): see shard.h for the assignment and why it is stable.
#include "scan/shard.h"

#include <algorithm>
#include <string_view>
#include <sys/stat.h>
#include <tuple>

namespace leakproof::scanner {
namespace {

// FNV-1a, 64 bit: tiny, fixed by its definition, the same on every platform.
std::uint64_t Fnv1a(std::string_view s) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

// A small file still costs an open and a few blobs: weigh it at least a page.
constexpr std::uint64_t kMinWeight = 4096;

}  // namespace

std::uint64_t ShardInputSize(const WalkItem& item) {
  struct stat st {};
  if (item.is_stdin || ::stat(item.path.c_str(), &st) != 0) return 0;
  return static_cast<std::uint64_t>(st.st_size);
}

std::vector<WalkItem> SelectShard(std::vector<ShardInput> inputs, const ShardSpec& spec) {
  const std::uint32_t n = std::max<std::uint32_t>(spec.count, 1);
  // Path order first: the walk's order depends on the file system's listing order.
  std::sort(inputs.begin(), inputs.end(), [](const ShardInput& a, const ShardInput& b) {
    return std::tie(a.item.display, a.item.path) < std::tie(b.item.display, b.item.path);
  });
  std::vector<std::uint32_t> owner(inputs.size(), 0);
  std::vector<std::uint64_t> load(n, 0);
  std::vector<std::size_t> large;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const ShardInput& in = inputs[i];
    if (in.item.is_stdin) {
      owner[i] = 0;
    } else if (in.size >= kShardLargeFile) {
      large.push_back(i);
      continue;
    } else {
      owner[i] = static_cast<std::uint32_t>(Fnv1a(in.item.display) % n);
    }
    load[owner[i]] += std::max(in.size, kMinWeight);
  }
  std::stable_sort(large.begin(), large.end(), [&](std::size_t a, std::size_t b) {
    return inputs[a].size > inputs[b].size;  // ties keep path order
  });
  for (std::size_t i : large) {
    const auto lightest = std::min_element(load.begin(), load.end());  // first of equals
    owner[i] = static_cast<std::uint32_t>(lightest - load.begin());
    *lightest += inputs[i].size;
  }
  std::vector<WalkItem> mine;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (owner[i] == spec.index) mine.push_back(std::move(inputs[i].item));
  }
  return mine;
}

}  // namespace leakproof::scanner
