// Runs one extractor on one blob and collects what it produced, for the extractor
// unit tests (Android and, through native_extract_run.h, native formats).
#pragma once

#include "extract/extractor.h"

#include <string>
#include <string_view>
#include <vector>

namespace leakproof::testing {

struct ExtractRun {
  scanner::Status status;
  std::vector<scanner::Blob> children;
  std::vector<scanner::Diagnostic> diagnostics;
  std::uint64_t budget_left = 0;

  // True when some diagnostic message contains `text`.
  bool Diagnosed(std::string_view text) const {
    for (const auto& d : diagnostics) {
      if (d.message.find(text) != std::string::npos) return true;
    }
    return false;
  }
  // The child whose provenance prints as `where`, or nullptr.
  const scanner::Blob* Child(std::string_view where) const {
    for (const auto& c : children) {
      if (c.provenance().ToString() == where) return &c;
    }
    return nullptr;
  }
};

inline ExtractRun RunExtractor(const scanner::Extractor& ex, const scanner::Blob& blob,
                               const scanner::ExtractLimits& limits = {}) {
  ExtractRun run;
  scanner::ByteBudget budget(limits.max_total_bytes);
  scanner::ExtractContext ctx(limits, budget,
                              [&](scanner::Diagnostic d) { run.diagnostics.push_back(d); });
  run.status = ex.Extract(blob, ctx, [&](scanner::Blob child) {
    run.children.push_back(std::move(child));
    return true;
  });
  run.budget_left = budget.remaining();
  return run;
}

// The segment label at the first occurrence of `needle` in `blob`; "<absent>" when the
// text is not there and "" for an unlabelled segment.
inline std::string LabelOf(const scanner::Blob& blob, std::string_view needle) {
  const auto at = blob.bytes().find(needle);
  if (at == std::string_view::npos) return "<absent>";
  const std::string* label = blob.SegmentLabelAt(at);
  return label ? *label : std::string();
}

}  // namespace leakproof::testing
