// Base64Extractor, see base64_extractor.h.
#include "extract/text/base64_extractor.h"

#include "extract/js/sourcemap_extractor.h"
#include "extract/text/decode_base64.h"
#include "extract/text/decode_util.h"

#include <algorithm>
#include <string>

namespace leakproof::scanner {

namespace {

constexpr std::string_view kStep = "base64";
// Characters decoded for the "is this text?" probe: 344 chars = 258 bytes.
constexpr std::size_t kProbeChars = 344;
// How far before ";base64," a "data:" may start (media types are short).
constexpr std::size_t kDataUriLookback = 128;

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

// True when the run at `start` is the payload of a data: URI whose media type is
// binary (image, font, audio, video, wasm, octet-stream) or of an inline source map.
bool IsSkippedDataUri(std::string_view bytes, std::size_t start) {
  constexpr std::string_view kMarker = ";base64,";
  if (start < kMarker.size() || bytes.substr(start - kMarker.size(), kMarker.size()) != kMarker) {
    return false;
  }
  const std::size_t from = start > kDataUriLookback ? start - kDataUriLookback : 0;
  const std::string_view before = bytes.substr(from, start - from);
  const std::size_t data = before.rfind("data:");
  if (data == std::string_view::npos) return false;
  const std::string_view media = before.substr(data + 5);
  for (std::string_view binary :
       {"image/", "font/", "audio/", "video/", "application/font", "application/x-font",
        "application/wasm", "application/octet-stream", "application/vnd.ms-fontobject"}) {
    if (StartsWith(media, binary)) return true;
  }
  // //# sourceMappingURL=data:application/json;base64,... belongs to the inline-sourcemap
  // extractor; decoding it here too would report every key in the map twice.
  constexpr std::string_view kMapUrl = "sourceMappingURL=";
  return data >= kMapUrl.size() && before.substr(data - kMapUrl.size(), kMapUrl.size()) == kMapUrl;
}

bool IsContainer(std::string_view decoded) {
  return StartsWith(decoded, std::string_view("PK\x03\x04", 4)) || StartsWith(decoded, "bplist00");
}

}  // namespace

bool Base64Extractor::CanExtract(const Blob& blob) const {
  return blob.size() >= options_.min_run && !decode::LooksBinary(blob.bytes()) &&
         decode::CountDecodingSteps(blob.provenance(), kStep) < kMaxNesting &&
         !LooksLikeSourceMap(blob.bytes());
}

Status Base64Extractor::Extract(const Blob& blob, ExtractContext& ctx,
                                const ChildSink& emit) const {
  const std::string_view bytes = blob.bytes();
  decode::LineCounter lines(bytes);
  // Decoded bytes are charged to the budget before they are allocated (the bound of
  // the run, plus the label of a segment), so the segments go into a plain builder.
  SegmentedBlobBuilder singles;
  std::uint64_t charged = 0;  // this blob's share, capped at max_member_bytes
  std::size_t own_children = 0;
  bool stopped = false;
  bool limited = false;
  std::string probe;

  decode::FindBase64Runs(bytes, options_.min_run, [&](std::size_t start, std::size_t end) {
    if (IsSkippedDataUri(bytes, start)) return true;
    const std::string_view run = bytes.substr(start, end - start);
    // Gate 2: real base64 of 24+ bytes all but always mixes cases and digits. Judged on
    // the probe's characters only: a megabyte-long run is settled by its start.
    const std::string_view head = run.substr(0, kProbeChars);
    std::uint8_t classes = 0;
    for (unsigned char c : head) classes |= decode::kBase64Class[c];
    constexpr std::uint8_t kMixed = decode::kB64Upper | decode::kB64Lower | decode::kB64Digit;
    if ((classes & kMixed) != kMixed) return true;
    if ((classes & decode::kB64Std) && (classes & decode::kB64Url)) return true;  // two alphabets
    // Gate 4: decode a prefix first, so a 1 MB image costs 344 characters, not 1 MB.
    probe.clear();
    (void)decode::Base64Decode(run.substr(0, std::min(run.size(), kProbeChars) & ~std::size_t{3}),
                               probe);
    const bool container = IsContainer(probe);
    if (!container && !decode::MostlyText(probe)) return true;

    const std::string where = "line " + std::to_string(lines.LineAt(start));
    const std::uint64_t cost = decode::Base64DecodedBound(run.size()) + where.size() + 16;
    if (charged + cost > ctx.limits().max_member_bytes || !ctx.budget().Take(cost)) {
      limited = true;
      return false;
    }
    charged += cost;
    std::string decoded;
    (void)decode::Base64Decode(run, decoded);
    if (!container && !decode::MostlyText(decoded)) return true;
    const bool multi_line = decoded.find('\n') != std::string::npos;
    if ((container || multi_line) && own_children < options_.max_own_children) {
      ++own_children;
      Blob child = Blob::FromString(std::move(decoded),
                                    blob.provenance().Child({std::string(kStep), where, true}));
      child.set_report_lines(!container);
      if (!emit(std::move(child))) {
        stopped = true;
        return false;
      }
      return true;
    }
    singles.Add(decoded, "base64 at " + where);
    return true;
  });

  if (!stopped && !singles.empty()) {
    (void)emit(std::move(singles).Build(blob.provenance().Child({std::string(kStep), "", true})));
  }
  if (limited) {
    ctx.Diagnose(blob.provenance(), DiagnosticLevel::kWarning, StatusCode::kLimitExceeded,
                 "base64: decoded-bytes budget exhausted; remaining base64 runs not decoded");
  }
  return Status::Ok();
}

std::unique_ptr<Extractor> NewBase64Extractor() { return std::make_unique<Base64Extractor>(); }

}  // namespace leakproof::scanner
