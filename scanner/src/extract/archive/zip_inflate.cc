// ZipInflater over libdeflate, and InflateWhole; see zip_inflate.h.
#include "extract/archive/zip_inflate.h"

#include <libdeflate.h>

#include <new>
#include <string>

namespace leakproof::scanner {

ZipInflater::ZipInflater() : decompressor_(libdeflate_alloc_decompressor()) {
  if (decompressor_ == nullptr) throw std::bad_alloc();
}

ZipInflater::~ZipInflater() { libdeflate_free_decompressor(decompressor_); }

ZipInflater::Inflated ZipInflater::Inflate(std::string_view deflated, std::uint64_t declared) {
  Inflated out;
  // Uninitialised: libdeflate writes every byte it reports, and zero-filling a member
  // of tens of megabytes first would touch each page twice.
  auto buffer = std::make_unique_for_overwrite<char[]>(declared);
  std::size_t produced = 0;
  switch (libdeflate_deflate_decompress(decompressor_, deflated.data(), deflated.size(),
                                        buffer.get(), declared, &produced)) {
    case LIBDEFLATE_SUCCESS:
      out.outcome = produced == declared ? Outcome::kOk : Outcome::kShort;
      out.size = produced;
      out.bytes = std::move(buffer);
      return out;
    case LIBDEFLATE_INSUFFICIENT_SPACE:
      out.outcome = Outcome::kTooLarge;
      return out;
    default:  // LIBDEFLATE_BAD_DATA; LIBDEFLATE_SHORT_OUTPUT needs a null `produced`
      out.outcome = Outcome::kCorrupt;
      return out;
  }
}

std::uint32_t ZipInflater::Crc32(std::string_view bytes) {
  return libdeflate_crc32(0, bytes.data(), bytes.size());
}

std::optional<Blob> InflateWhole(std::string_view stream, const ZipMemberFacts& f,
                                 ZipInflater& inflater, ExtractContext& ctx) {
  ZipInflater::Inflated out = inflater.Inflate(stream, f.size);
  const std::string_view bytes(out.bytes.get(), out.size);
  switch (out.outcome) {
    case ZipInflater::Outcome::kOk:
      if (ZipInflater::Crc32(bytes) != f.crc) {
        ctx.Diagnose(f.where, DiagnosticLevel::kWarning, StatusCode::kCorrupt,
                     "zip: CRC error: the member is damaged; scanning its inflated bytes anyway");
      }
      break;
    case ZipInflater::Outcome::kShort:
      ctx.budget().Give(f.size - out.size);
      ctx.Diagnose(f.where, DiagnosticLevel::kWarning, StatusCode::kCorrupt,
                   "zip: member inflates to " + std::to_string(out.size) +
                       " bytes, fewer than the " + std::to_string(f.size) +
                       " its directory entry declares; scanning those");
      break;
    case ZipInflater::Outcome::kTooLarge:
    case ZipInflater::Outcome::kCorrupt:
      ctx.budget().Give(f.size);
      return std::nullopt;
  }
  Blob child = Blob::FromView(bytes, std::move(out.bytes), f.where);
  child.set_member_index(f.index);
  return child;
}

}  // namespace leakproof::scanner
