// Runs one native-artifact extractor (plist, Mach-O, ELF, Hermes) on one blob and
// collects its children and diagnostics, for the unit tests and fuzz targets.
#pragma once

#include "extract/extractor.h"
#include "support/android_extract_run.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace leakproof::native_testing {

// The runner is the one the Android extractor tests use (android_extract_run.h).
using NativeRun = testing::ExtractRun;

inline NativeRun RunNative(const scanner::Extractor& ex, const scanner::Blob& blob,
                           const scanner::ExtractLimits& limits = {}) {
  return testing::RunExtractor(ex, blob, limits);
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
  return testing::LabelOf(blob, needle);
}

}  // namespace leakproof::native_testing
