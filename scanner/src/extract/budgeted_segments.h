// BudgetedSegments: a SegmentedBlobBuilder that enforces the extraction limits.
//
// The DEX, binary XML and resources.arsc extractors turn a table of strings into one
// segmented child. In hostile input many table entries can point at the same long
// string, so the child could be far larger than the file; every Add() therefore
// charges text and label to ctx.budget() and to max_member_bytes before the builder
// grows. Labels are clipped: they come from the input too (resource names, element
// names) and only need to be long enough for a human to recognise.
#pragma once

#include "extract/extractor.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

namespace leakproof::scanner {

class BudgetedSegments {
 public:
  static constexpr std::size_t kMaxLabelBytes = 256;

  // `max_bytes` optionally tightens ctx.limits().max_member_bytes for this child (a
  // DEX string table cannot legitimately decode to much more than the file).
  explicit BudgetedSegments(ExtractContext& ctx, std::uint64_t max_bytes = UINT64_MAX)
      : ctx_(ctx), cap_(std::min(max_bytes, ctx.limits().max_member_bytes)) {}

  // Adds one string (empty strings are skipped). Returns false, and adds nothing more
  // from then on, once a limit would be exceeded.
  bool Add(std::string_view text, std::string label) {
    if (limited_) return false;
    if (text.empty()) return true;
    if (label.size() > kMaxLabelBytes) label.resize(kMaxLabelBytes);
    const std::uint64_t cost = text.size() + 1 + label.size();
    if (used_ + cost > cap_ || !ctx_.budget().Take(cost)) {
      limited_ = true;
      return false;
    }
    used_ += cost;
    builder_.Add(text, std::move(label));
    return true;
  }

  bool limited() const { return limited_; }
  bool empty() const { return builder_.empty(); }
  // Consumes the collected strings.
  Blob Build(Provenance provenance) && { return std::move(builder_).Build(std::move(provenance)); }

 private:
  ExtractContext& ctx_;
  std::uint64_t cap_;
  SegmentedBlobBuilder builder_;
  std::uint64_t used_ = 0;
  bool limited_ = false;
};

}  // namespace leakproof::scanner
