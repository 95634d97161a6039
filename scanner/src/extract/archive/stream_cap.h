// StreamCap: the zip limits applied to bytes that come out of a stream decoder
// (libarchive's gzip/bzip2/xz/zstd/lz4 filters, brotli) chunk by chunk.
//
// A compressed stream has no trustworthy declared size, so limits are checked against
// real output before each chunk is kept: the member may not pass max_member_bytes, all
// output of one stream may not pass max_ratio times its compressed size (the ratio
// check of a zip member, over the whole stream: a gzip bomb or a 1 GB zstd frame of
// zeros), and every kept byte is charged to the shared budget first.
#pragma once

#include "extract/extractor.h"

#include <algorithm>
#include <cstdint>
#include <string>

namespace leakproof::scanner {

class StreamCap {
 public:
  // Streams this small may expand past the ratio: nothing dangerous fits in 1 MiB, and
  // short repetitive text compresses far better than the 200:1 a bomb is judged by.
  static constexpr std::uint64_t kRatioFloor = 1u << 20;

  StreamCap(ExtractContext& ctx, std::uint64_t compressed_bytes)
      : ctx_(ctx),
        stream_allowance_(std::max<std::uint64_t>(
            kRatioFloor,
            compressed_bytes > UINT64_MAX / std::max<std::uint64_t>(1, ctx.limits().max_ratio)
                ? UINT64_MAX
                : compressed_bytes * ctx.limits().max_ratio)) {}

  enum class Verdict { kKeep, kMemberTooBig, kRatio, kBudget };

  // Whether `n` more bytes may join a member already `member_so_far` bytes long; on
  // kKeep the bytes are charged to the budget.
  Verdict Admit(std::uint64_t member_so_far, std::uint64_t n) {
    if (member_so_far + n > ctx_.limits().max_member_bytes) return Verdict::kMemberTooBig;
    if (stream_out_ + n > stream_allowance_) return Verdict::kRatio;
    if (!ctx_.budget().Take(n)) return Verdict::kBudget;
    stream_out_ += n;
    return Verdict::kKeep;
  }

  // The warning for a verdict other than kKeep, prefixed with the format's name.
  std::string Why(Verdict v, std::string_view format, std::uint64_t kept) const {
    const std::string at = "; stopped at " + std::to_string(kept) + " bytes of this member";
    switch (v) {
      case Verdict::kMemberTooBig:
        return std::string(format) + ": member exceeds the per-member limit of " +
               std::to_string(ctx_.limits().max_member_bytes) + " bytes" + at;
      case Verdict::kRatio:
        return std::string(format) + ": stream expands past " +
               std::to_string(ctx_.limits().max_ratio) +
               " times its compressed size (decompression bomb?)" + at;
      case Verdict::kBudget:
        return std::string(format) + ": total extraction budget exhausted" + at;
      case Verdict::kKeep:
        break;
    }
    return std::string(format);
  }

  std::uint64_t stream_out() const { return stream_out_; }

 private:
  ExtractContext& ctx_;
  std::uint64_t stream_allowance_;
  std::uint64_t stream_out_ = 0;
};

}  // namespace leakproof::scanner
