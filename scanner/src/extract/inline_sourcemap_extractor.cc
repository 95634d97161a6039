// InlineSourceMapExtractor, see inline_sourcemap_extractor.h.
#include "extract/inline_sourcemap_extractor.h"

#include "extract/decode_base64.h"
#include "extract/decode_util.h"

#include <algorithm>
#include <functional>
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
  const std::boyer_moore_horspool_searcher searcher(kMarker.begin(), kMarker.end());
  Status status = Status::Ok();
  auto from = bytes.begin();
  while (true) {
    auto hit = std::search(from, bytes.end(), searcher);
    if (hit == bytes.end()) break;
    const std::size_t media_at = static_cast<std::size_t>(hit - bytes.begin()) + kMarker.size();
    from = hit + static_cast<std::ptrdiff_t>(kMarker.size());
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
    from = bytes.begin() + static_cast<std::ptrdiff_t>(end);
  }
  return status;
}

std::unique_ptr<Extractor> NewInlineSourceMapExtractor() {
  return std::make_unique<InlineSourceMapExtractor>();
}

}  // namespace leakproof::scanner
