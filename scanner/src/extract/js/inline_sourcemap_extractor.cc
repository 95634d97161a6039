// InlineSourceMapExtractor, see inline_sourcemap_extractor.h.
#include "extract/js/inline_sourcemap_extractor.h"

#include "extract/text/decode_base64.h"
#include "extract/text/decode_util.h"

#include <string.h>  // memmem (GNU)
#include <string>

namespace leakproof::scanner {

namespace {

constexpr std::string_view kMarker = "sourceMappingURL=data:";
// Longest media type + parameters accepted before the ','.
constexpr std::size_t kMaxMediaType = 128;

}  // namespace

bool InlineSourceMapExtractor::CanExtract(const Blob& blob) const {
  return blob.size() > kMarker.size() && !decode::LooksBinary(blob.bytes());
}

Status InlineSourceMapExtractor::Extract(const Blob& blob, ExtractContext& ctx,
                                         const ChildSink& emit) const {
  const std::string_view bytes = blob.bytes();
  Status status = Status::Ok();
  std::size_t from = 0;
  while (true) {
    // glibc's memmem (2-gram shifts) is several times faster here than
    // std::boyer_moore_horspool_searcher, and this search runs over every text blob.
    const void* hit =
        memmem(bytes.data() + from, bytes.size() - from, kMarker.data(), kMarker.size());
    if (hit == nullptr) break;
    const std::size_t at = static_cast<std::size_t>(static_cast<const char*>(hit) - bytes.data());
    const std::size_t media_at = at + kMarker.size();
    from = media_at;
    const std::size_t comma = bytes.substr(media_at, kMaxMediaType).find(',');
    if (comma == std::string_view::npos) continue;
    const std::string_view media = bytes.substr(media_at, comma);
    if (media.find(";base64") == std::string_view::npos) {
      ctx.Diagnose(blob.provenance(), DiagnosticLevel::kInfo, StatusCode::kUnsupported,
                   "inline-sourcemap: URL-encoded (non-base64) data: map not decoded");
      continue;
    }
    const std::size_t start = media_at + comma + 1;
    std::size_t end = start;
    while (end < bytes.size() && decode::IsBase64RunChar(static_cast<unsigned char>(bytes[end]))) {
      ++end;
    }
    const std::size_t bound = decode::Base64DecodedBound(end - start);
    if (bound > ctx.limits().max_member_bytes || !ctx.budget().Take(bound)) {
      return Status::LimitExceeded("inline-sourcemap: byte budget exhausted");
    }
    std::string map;
    (void)decode::Base64Decode(bytes.substr(start, end - start), map);
    if (map.empty()) continue;
    if (!emit(Blob::FromString(std::move(map), blob.provenance().Child({"sourcemap", "", true})))) {
      break;
    }
    from = end;
  }
  return status;
}

std::unique_ptr<Extractor> NewInlineSourceMapExtractor() {
  return std::make_unique<InlineSourceMapExtractor>();
}

}  // namespace leakproof::scanner
