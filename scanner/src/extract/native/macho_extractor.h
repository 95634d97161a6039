// Thin Mach-O extractor (executables, dylibs, object files; one slice of a fat file).
//
// What a raw byte scan of a Mach-O already sees: __TEXT,__cstring (C strings and
// Swift literals over 15 bytes), __const and everything else ASCII. What it misses:
//   - __TEXT,__ustring: non-ASCII Objective-C @"..." literals stored as UTF-16. We
//     emit one segmented child "[utf-16le]" with each NUL-terminated string converted
//     to UTF-8 on its own, labelled "__TEXT,__ustring+0x<offset>".
//   - FairPlay-encrypted App Store binaries: LC_ENCRYPTION_INFO(_64) with cryptid != 0
//     means __TEXT past the first pages is ciphertext. We report a warning
//     "encrypted App Store binary: not scannable (decrypt it first)" so the result
//     reads "not scannable", never "clean".
//
// ReplacesParentScan: false. The raw scan is the safety net for every ASCII string in
// any section, and we deliberately do not re-emit __cstring: a key there would be
// reported twice (raw + child) for no gain in coverage.
#pragma once

#include "extract/extractor.h"

#include <memory>

namespace leakproof::scanner {

class MachoExtractor : public Extractor {
 public:
  std::string_view name() const override { return "macho"; }
  bool CanExtract(const Blob& blob) const override;
  Status Extract(const Blob& blob, ExtractContext& ctx, const ChildSink& emit) const override;
};

std::unique_ptr<Extractor> NewMachoExtractor();

}  // namespace leakproof::scanner
