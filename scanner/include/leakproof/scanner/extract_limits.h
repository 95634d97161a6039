// ExtractLimits: safety limits for unpacking untrusted artifacts.
//
// Hitting any limit produces a Diagnostic naming the limit and the member, and the
// scan continues with what it has. Defaults are generous for real apps (a large
// game APK is ~2 GiB uncompressed) and tight enough to stop zip bombs and 42.zip.
#pragma once

#include <cstdint>

namespace leakproof::scanner {

struct ExtractLimits {
  // Nesting depth of containers: app.xapk!base.apk!classes.dex!<strings> is depth 3.
  // Default: 6.
  int max_depth = 6;
  // Largest single decompressed member or decoded child. Default: 512 MiB.
  std::uint64_t max_member_bytes = 512ull << 20;
  // All bytes decompressed/decoded for one top-level input. Default: 4 GiB.
  std::uint64_t max_total_bytes = 4ull << 30;
  // Largest uncompressed/compressed ratio accepted for one member. Default: 200
  // (text deflates ~5-10x; bombs run at 1000x+).
  std::uint64_t max_ratio = 200;
  // Members read from one archive, and from all the archives nested in one input
  // together (a 42.zip-style bomb has a million small members). Default: 100000.
  std::uint64_t max_entries = 100000;
  // Largest input file read from disk or stdin. Default: 2 GiB.
  std::uint64_t max_file_bytes = 2ull << 30;
};

}  // namespace leakproof::scanner
