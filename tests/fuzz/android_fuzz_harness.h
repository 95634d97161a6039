// Shared body of the zip, DEX, binary XML and resources.arsc fuzz targets: runs one
// extractor on the input with small limits (so libFuzzer explores parsing, not
// allocation), reads every byte of every child so ASan sees any bad view, and drops
// the children.
#pragma once

#include "extract/extractor.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace leakproof::fuzzing {

// Small limits, so libFuzzer explores parsing rather than allocation.
inline scanner::ExtractLimits SmallFuzzLimits() {
  scanner::ExtractLimits limits;
  limits.max_member_bytes = 1u << 20;
  limits.max_total_bytes = 4u << 20;
  limits.max_entries = 64;
  return limits;
}

inline int RunAndroidExtractor(const scanner::Extractor& ex, const std::uint8_t* data,
                               std::size_t size) {
  const scanner::ExtractLimits limits = SmallFuzzLimits();
  scanner::ByteBudget budget(limits.max_total_bytes);
  scanner::ExtractContext ctx(limits, budget, [](scanner::Diagnostic) {});
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  scanner::Blob blob = scanner::Blob::FromView(bytes, nullptr, scanner::Provenance("fuzz"));
  (void)ex.CanExtract(blob);
  // Extract() must cope with anything, even input CanExtract() would reject.
  volatile std::uint8_t sink = 0;
  (void)ex.Extract(blob, ctx, [&](scanner::Blob child) {
    std::uint8_t acc = 0;
    for (char c : child.bytes())
      acc = static_cast<std::uint8_t>(acc + static_cast<std::uint8_t>(c));
    for (const auto& s : child.segments()) {
      if (s.offset > child.size()) __builtin_trap();  // a segment must lie inside its blob
      (void)child.SegmentLabelAt(s.offset);
    }
    sink = static_cast<std::uint8_t>(sink + acc);
    return true;
  });
  return 0;
}

}  // namespace leakproof::fuzzing
