// Sharding: which of the walked inputs this process scans under `scan --shard K/N`.
//
// Every shard walks the same inputs and computes the same assignment, so the N shards
// scan disjoint sets whose union is everything (a full scan's findings, each once).
// The assignment depends only on each file's reported path and size, never on
// directory-listing order, the machine or the thread schedule:
//   - small files (< kShardLargeFile) go to FNV-1a(path) mod N;
//   - large files, biggest first (ties by path), go one by one to the shard with the
//     least bytes so far (small files counted, ties to the lowest index), so a few big
//     APKs spread over the shards instead of landing on one by chance.
// stdin ("-") is always shard 0's.
#pragma once

#include "leakproof/scanner/scanner.h"

#include "scan/walker.h"

#include <cstdint>
#include <vector>

namespace leakproof::scanner {

// Files at least this big are placed by size, not by hash.
inline constexpr std::uint64_t kShardLargeFile = 1ull << 20;

struct ShardInput {
  WalkItem item;
  std::uint64_t size = 0;  // bytes (0 if it could not be stat'ed: its read error comes later)
};

// The inputs shard `spec.index` of `spec.count` scans, in path order.
std::vector<WalkItem> SelectShard(std::vector<ShardInput> inputs, const ShardSpec& spec);

// The size SelectShard weighs `item` by (stat() of its path; 0 for stdin or on error).
std::uint64_t ShardInputSize(const WalkItem& item);

}  // namespace leakproof::scanner
