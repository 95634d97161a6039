// DotnetExtractor, see dotnet_extractor.h. #US layout: ECMA-335 II.24.2.4.
#include "extract/dotnet/dotnet_extractor.h"

#include "extract/budgeted_segments.h"
#include "extract/dotnet/dotnet_metadata.h"
#include "extract/text/decode_utf16.h"

#include <cstdio>
#include <string>

namespace leakproof::scanner {

namespace {

// Shortest UTF-16 run taken from #Blob (the same threshold as the utf16 extractor).
constexpr std::size_t kMinBlobRun = 8;

std::string HexLabel(const char* prefix, std::uint64_t value) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s0x%llx", prefix, static_cast<unsigned long long>(value));
  return buf;
}

// Reads an ECMA-335 compressed unsigned integer at h[pos]; returns its byte count, or 0
// when truncated or malformed.
std::size_t ReadCompressedLength(std::string_view h, std::size_t pos, std::uint32_t& len) {
  const auto* p = reinterpret_cast<const unsigned char*>(h.data());
  const std::size_t avail = h.size() - pos;
  const unsigned char b0 = p[pos];
  if ((b0 & 0x80) == 0) {
    len = b0;
    return 1;
  }
  if ((b0 & 0xC0) == 0x80) {
    if (avail < 2) return 0;
    len = ((b0 & 0x3Fu) << 8) | p[pos + 1];
    return 2;
  }
  if ((b0 & 0xE0) == 0xC0) {
    if (avail < 4) return 0;
    len = ((b0 & 0x1Fu) << 24) | (static_cast<std::uint32_t>(p[pos + 1]) << 16) |
          (static_cast<std::uint32_t>(p[pos + 2]) << 8) | p[pos + 3];
    return 4;
  }
  return 0;
}

// Adds every #US string to `out`; false (with a reason in `why`) on a malformed entry.
bool ReadUserStrings(std::string_view heap, BudgetedSegments& out, std::string& why) {
  std::string utf8;
  std::size_t pos = 1;  // offset 0 is the empty string
  while (pos < heap.size()) {
    std::uint32_t len = 0;
    const std::size_t hdr = ReadCompressedLength(heap, pos, len);
    if (hdr == 0 || len > heap.size() - pos - hdr) {
      why = "dotnet: #US entry at heap offset " + std::to_string(pos) + " is truncated";
      return false;
    }
    if (len > 1) {  // UTF-16LE bytes, then one flag byte
      utf8.clear();
      decode::AppendUtf16LeAsUtf8(heap.substr(pos + hdr, len - 1), utf8);
      // ldstr tokens are 0x70000000 | heap offset.
      if (!out.Add(utf8, HexLabel("#US ", 0x70000000ull | pos))) {
        why = "dotnet: byte budget exhausted in #US";
        return false;
      }
    }
    pos += hdr + len;
  }
  return true;
}

}  // namespace

bool LooksLikeDotnetAssembly(std::string_view bytes) { return dotnet::LooksLikeAssembly(bytes); }

bool DotnetExtractor::CanExtract(const Blob& blob) const {
  return LooksLikeDotnetAssembly(blob.bytes());
}

Status DotnetExtractor::Extract(const Blob& blob, ExtractContext& ctx,
                                const ChildSink& emit) const {
  Result<dotnet::MetadataHeaps> heaps = dotnet::LocateHeaps(blob.bytes());
  if (!heaps.ok()) return Status::Corrupt("dotnet: " + heaps.status().message());

  Status status = Status::Ok();
  BudgetedSegments strings(ctx);
  std::string why;
  if (!ReadUserStrings(heaps->user_strings, strings, why)) {
    status = strings.limited() ? Status::LimitExceeded(why) : Status::Corrupt(why);
  }
  if (!strings.empty() &&
      !emit(std::move(strings).Build(blob.provenance().Child({"#US", "", false})))) {
    return status;
  }

  BudgetedSegments consts(ctx);
  const std::string_view blobs = heaps->blobs;
  decode::FindUtf16Runs(
      blobs, /*big_endian=*/false, kMinBlobRun, [&](std::size_t begin, std::size_t end) {
        std::string text;
        decode::AppendUtf16AsciiRun(blobs.substr(begin, end - begin), false, text);
        return consts.Add(text, HexLabel("#Blob ", begin));
      });
  if (consts.limited() && status.ok()) {
    status = Status::LimitExceeded("dotnet: byte budget exhausted in #Blob");
  }
  if (!consts.empty()) {
    (void)emit(std::move(consts).Build(blob.provenance().Child({"#Blob", "", false})));
  }
  return status;
}

std::unique_ptr<Extractor> NewDotnetExtractor() { return std::make_unique<DotnetExtractor>(); }

}  // namespace leakproof::scanner
