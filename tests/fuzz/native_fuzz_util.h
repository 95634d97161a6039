// Shared by the native-artifact fuzz targets (bplist, Mach-O, ELF, Hermes): runs one
// extractor on the input with small limits and touches every byte and label of every
// child, so ASan sees any child that points outside live memory.
#pragma once

#include "extract/extractor.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace leakproof::native_fuzz {

inline void RunExtractor(const scanner::Extractor& ex, const std::uint8_t* data, std::size_t size) {
  scanner::ExtractLimits limits;
  limits.max_depth = 2;
  limits.max_member_bytes = 1 << 20;
  limits.max_total_bytes = 4 << 20;
  scanner::ByteBudget budget(limits.max_total_bytes);
  scanner::ExtractContext ctx(limits, budget, [](scanner::Diagnostic d) {
    volatile std::size_t n = d.message.size();
    (void)n;
  });
  std::string input(reinterpret_cast<const char*>(data), size);
  scanner::Blob blob = scanner::Blob::FromString(std::move(input), scanner::Provenance("fuzz"));
  (void)ex.CanExtract(blob);
  std::size_t children = 0;
  (void)ex.Extract(blob, ctx, [&](scanner::Blob child) {
    unsigned sum = 0;
    for (char c : child.bytes()) sum += static_cast<unsigned char>(c);
    for (const auto& s : child.segments()) {
      if (s.offset > child.size()) __builtin_trap();  // a segment outside its blob
      sum += static_cast<unsigned>(s.label.size());
    }
    (void)child.provenance().ToString();
    volatile unsigned sink = sum;
    (void)sink;
    return ++children < 10000;
  });
}

}  // namespace leakproof::native_fuzz
