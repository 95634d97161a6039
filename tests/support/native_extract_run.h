// Runs one native-artifact extractor (plist, Mach-O, ELF, Hermes) on one blob and
// collects its children and diagnostics, for the unit tests and fuzz targets.
#pragma once

#include "extract/extractor.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace leakproof::native_testing {

struct NativeRun {
  scanner::Status status;
  std::vector<scanner::Blob> children;
  std::vector<scanner::Diagnostic> diagnostics;

  bool Diagnosed(std::string_view text) const {
    for (const auto& d : diagnostics) {
      if (d.message.find(text) != std::string::npos) return true;
    }
    return false;
  }
  // The first child whose provenance prints as `where`, or nullptr.
  const scanner::Blob* Child(std::string_view where) const {
    for (const auto& c : children) {
      if (c.provenance().ToString() == where) return &c;
    }
    return nullptr;
  }
};

inline NativeRun RunNative(const scanner::Extractor& ex, const scanner::Blob& blob,
                           const scanner::ExtractLimits& limits = {}) {
  NativeRun run;
  scanner::ByteBudget budget(limits.max_total_bytes);
  scanner::ExtractContext ctx(limits, budget,
                              [&](scanner::Diagnostic d) { run.diagnostics.push_back(d); });
  run.status = ex.Extract(blob, ctx, [&](scanner::Blob child) {
    run.children.push_back(std::move(child));
    return true;
  });
  return run;
}

// The text of the segment labelled `label` (without the '\n' separator), or
// "<absent>".
inline std::string SegmentText(const scanner::Blob& blob, std::string_view label) {
  const auto& segs = blob.segments();
  for (std::size_t i = 0; i < segs.size(); ++i) {
    if (segs[i].label != label) continue;
    const std::uint64_t end = i + 1 < segs.size() ? segs[i + 1].offset - 1 : blob.size();
    return std::string(blob.bytes().substr(segs[i].offset, end - segs[i].offset));
  }
  return "<absent>";
}

// The label of the segment holding the first occurrence of `needle`, or "<absent>".
inline std::string LabelAt(const scanner::Blob& blob, std::string_view needle) {
  const auto at = blob.bytes().find(needle);
  if (at == std::string_view::npos) return "<absent>";
  const std::string* label = blob.SegmentLabelAt(at);
  return label ? *label : std::string();
}

}  // namespace leakproof::native_testing
