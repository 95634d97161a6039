// Utf16Extractor, see utf16_extractor.h.
#include "extract/text/utf16_extractor.h"

#include "extract/budgeted_segments.h"
#include "extract/dotnet/dotnet_extractor.h"
#include "extract/text/decode_utf16.h"
#include "extract/text/decode_util.h"

#include <cstdio>
#include <string>

namespace leakproof::scanner {

namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

std::string OffsetLabel(std::size_t offset) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "offset 0x%zx", offset);
  return buf;
}

}  // namespace

bool HasDedicatedUtf16Decoder(std::string_view b) {
  using namespace std::string_view_literals;
  if (StartsWith(b, "dex\n"sv) || StartsWith(b, "PK\x03\x04"sv) || StartsWith(b, "bplist00"sv) ||
      StartsWith(b, "XALZ"sv) || StartsWith(b, "XABA"sv)) {
    return true;
  }
  // Hermes bytecode: 64-bit magic 0x1F1903C103BC1FC6, little-endian.
  if (StartsWith(b, "\xC6\x1F\xBC\x03\xC1\x03\x19\x1F"sv)) return true;
  // Android resource chunks: RES_XML_TYPE (0x0003) / RES_TABLE_TYPE (0x0002), LE u16
  // type followed by a u16 header size (8 for XML, 12 for a table).
  if (StartsWith(b, "\x03\x00\x08\x00"sv) || StartsWith(b, "\x02\x00\x0C\x00"sv)) return true;
  return LooksLikeDotnetAssembly(b);
}

bool Utf16Extractor::CanExtract(const Blob& blob) const {
  return blob.size() >= 2 * options_.min_chars && decode::LooksBinary(blob.bytes()) &&
         (decode::IsRawFallback(blob) || !HasDedicatedUtf16Decoder(blob.bytes()));
}

Status Utf16Extractor::Extract(const Blob& blob, ExtractContext& ctx, const ChildSink& emit) const {
  // Interleaved ASCII reads the same both ways ("A\0B\0C\0" is LE at 0 and BE at 1),
  // so scanning both orders would report every string twice. LE is what .NET, Android,
  // Windows and ObjC write; BE only for files that say so with a FE FF byte-order mark
  // (bplist, the other BE source, has its own extractor).
  const bool big_endian = blob.bytes().substr(0, 2) == "\xFE\xFF";
  BudgetedSegments runs(ctx);
  std::string text;
  decode::FindUtf16Runs(
      blob.bytes(), big_endian, options_.min_chars, [&](std::size_t begin, std::size_t end) {
        text.clear();
        decode::AppendUtf16AsciiRun(blob.bytes().substr(begin, end - begin), big_endian, text);
        return runs.Add(text, OffsetLabel(begin));
      });
  if (runs.limited()) {
    ctx.Diagnose(blob.provenance(), DiagnosticLevel::kWarning, StatusCode::kLimitExceeded,
                 "utf16: byte budget exhausted; UTF-16 view incomplete");
  }
  if (!runs.empty()) {
    const char* step = big_endian ? "utf-16be" : "utf-16le";
    (void)emit(std::move(runs).Build(blob.provenance().Child({step, "", true})));
  }
  return Status::Ok();
}

std::unique_ptr<Extractor> NewUtf16Extractor() { return std::make_unique<Utf16Extractor>(); }

}  // namespace leakproof::scanner
