// XalzExtractor, see xalz_extractor.h.
#include "extract/dotnet/xalz_extractor.h"

#include "extract/text/decode_util.h"

#include <climits>
#include <lz4.h>

#include <string>

namespace leakproof::scanner {

namespace {

constexpr std::size_t kHeaderBytes = 12;

std::uint32_t ReadU32(std::string_view b, std::size_t off) {
  const auto* p = reinterpret_cast<const unsigned char*>(b.data() + off);
  return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
         (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}

}  // namespace

bool XalzExtractor::CanExtract(const Blob& blob) const {
  return blob.size() >= kHeaderBytes && blob.bytes().substr(0, 4) == "XALZ" &&
         !decode::IsRawFallback(blob);
}

Status XalzExtractor::Extract(const Blob& blob, ExtractContext& ctx, const ChildSink& emit) const {
  const std::string_view bytes = blob.bytes();
  const std::uint64_t declared = ReadU32(bytes, 8);
  const std::uint64_t compressed = bytes.size() - kHeaderBytes;
  const ExtractLimits& limits = ctx.limits();
  Status refused = Status::Ok();
  if (declared == 0 || compressed == 0) {
    refused = Status::Corrupt("xalz: empty assembly");
  } else if (declared > limits.max_member_bytes || declared > INT_MAX || compressed > INT_MAX) {
    refused = Status::LimitExceeded("xalz: declared size " + std::to_string(declared) +
                                    " exceeds max_member_bytes");
  } else if (declared > compressed * limits.max_ratio) {
    refused = Status::LimitExceeded("xalz: declared size " + std::to_string(declared) +
                                    " exceeds max_ratio times the compressed size");
  } else if (!ctx.budget().Take(declared)) {
    refused = Status::LimitExceeded("xalz: byte budget exhausted");
  }
  if (!refused.ok()) {
    // The compressed bytes are all that is left to scan; the engine skips them otherwise.
    (void)emit(decode::RawFallbackChild(blob));
    return refused;
  }
  std::string out(declared, '\0');
  const int got = LZ4_decompress_safe(bytes.data() + kHeaderBytes, out.data(),
                                      static_cast<int>(compressed), static_cast<int>(declared));
  if (got < 0) {
    (void)emit(decode::RawFallbackChild(blob));
    return Status::Corrupt("xalz: LZ4 block is corrupt");
  }
  Status status = Status::Ok();
  if (static_cast<std::uint64_t>(got) != declared) {
    status = Status::Corrupt("xalz: decompressed " + std::to_string(got) + " bytes, header says " +
                             std::to_string(declared));
    out.resize(static_cast<std::size_t>(got));
  }
  Blob child = Blob::FromString(std::move(out), blob.provenance().Child({"xalz", "", true}));
  child.set_report_lines(false);
  (void)emit(std::move(child));
  return status;
}

std::unique_ptr<Extractor> NewXalzExtractor() { return std::make_unique<XalzExtractor>(); }

}  // namespace leakproof::scanner
