// Helpers shared by the decoding extractors (base64, js-escape, utf-16, source maps, .NET).
//
// These extractors run on almost every blob, so the helpers here are the cheap gates
// that keep them off blobs they must not touch (binary vs text, how many decodings
// are already in a provenance chain) plus the small conversions they all need.
#pragma once

#include "leakproof/scanner/blob.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace leakproof::scanner::decode {

// Bytes looked at by LooksBinary(): a NUL in the first 4 KiB marks a blob as binary
// (the same rule as git and ugrep), which is enough to tell JS/JSON/text from DEX,
// PE, images and UTF-16 files without reading the whole blob.
inline constexpr std::size_t kSniffBytes = 4096;

// True when the first kSniffBytes contain a NUL byte.
bool LooksBinary(std::string_view bytes);

// Number of decoding steps named `step` (e.g. "base64") in `p`: bounds re-decoding of
// our own output (base64 inside base64 inside ...).
int CountDecodingSteps(const Provenance& p, std::string_view step);

// The step name of the "scan these bytes raw" fallback child: when an extractor whose
// ReplacesParentScan() is true cannot parse its input, it emits the input unchanged
// under this step so the engine still scans it; extractors skip such blobs.
inline constexpr std::string_view kRawStep = "raw";

// True when the last provenance step of `blob` is the kRawStep fallback.
bool IsRawFallback(const Blob& blob);

// The fallback child: `blob`'s bytes (shared, not copied) under a kRawStep step.
Blob RawFallbackChild(const Blob& blob);

// Appends code point `cp` as UTF-8; surrogates and values above U+10FFFF become U+FFFD.
void AppendUtf8(std::string& out, std::uint32_t cp);

// True when `bytes` look like human text: at least 90% of them are printable ASCII,
// whitespace, or part of a well-formed UTF-8 multi-byte sequence. A decoded .env or
// JSON passes; images, fonts, hashes and compressed data do not.
bool MostlyText(std::string_view bytes);

// Member names and labels come from the input: control bytes become '?' and the
// result is clipped to `max` bytes so a hostile name cannot break a report line.
std::string SafeLabel(std::string_view name, std::size_t max = 256);

// Turns byte offsets into 1-based line numbers, for offsets given in increasing order
// (amortised O(n) over one blob; counting uses memchr so it stays fast).
class LineCounter {
 public:
  explicit LineCounter(std::string_view bytes) : bytes_(bytes) {}
  std::uint64_t LineAt(std::size_t offset);

 private:
  std::string_view bytes_;
  std::size_t pos_ = 0;
  std::uint64_t line_ = 1;
};

}  // namespace leakproof::scanner::decode
