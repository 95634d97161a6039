// Utf16Extractor: UTF-16LE and UTF-16BE views of binary blobs.
//
// Binary XML, .NET heaps, ObjC __ustring, PE resources and Windows-made files store
// strings as UTF-16, which the byte-oriented matcher cannot see ("A\0I\0z\0a\0...").
// For binary blobs (a NUL in the first 4 KiB) this finds runs of at least `min_chars`
// printable ASCII characters stored as UTF-16 and emits them as one child,
// "[utf-16le]" (or "[utf-16be]" for files starting with a FE FF byte-order mark), one
// segment per run labelled by its offset. Only one byte order per file: interleaved
// ASCII is the same bytes either way, read one byte apart, so both views would report
// every string twice.
//
// Skipped: formats with a dedicated extractor that already decodes their UTF-16
// (DEX, zip, Hermes bytecode, bplist, Android binary XML/arsc chunks, .NET assemblies,
// XALZ, assembly stores) — scanning them again would report each key twice.
#pragma once

#include "extract/extractor.h"

#include <cstddef>
#include <memory>

namespace leakproof::scanner {

class Utf16Extractor : public Extractor {
 public:
  struct Options {
    // Shortest run reported, in characters. Default: 8.
    std::size_t min_chars = 8;
  };

  Utf16Extractor() = default;
  explicit Utf16Extractor(Options options) : options_(options) {}

  std::string_view name() const override { return "utf16"; }
  bool CanExtract(const Blob& blob) const override;
  Status Extract(const Blob& blob, ExtractContext& ctx, const ChildSink& emit) const override;

 private:
  Options options_;
};

// True for blobs whose magic belongs to an extractor that decodes its own UTF-16.
bool HasDedicatedUtf16Decoder(std::string_view bytes);

std::unique_ptr<Extractor> NewUtf16Extractor();

}  // namespace leakproof::scanner
