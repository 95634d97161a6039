// Hermes bytecode extractor (React Native's index.android.bundle / main.jsbundle when
// compiled by hermesc).
//
// The string storage of an .hbc file packs every string literal back to back with no
// separator, and the optimiser overlaps them (a suffix of one string is the prefix of
// the next), so a raw scan sees "phantom" keys spanning two literals and loses word
// boundaries. We parse the string table and emit one segmented child "[hermes]" with
// each string on its own (labelled "string #<index>"), UTF-16 strings converted to
// UTF-8.
//
// ReplacesParentScan: true, for the reason above. When the version is one we do not
// know, or the tables are corrupt, we do not guess: a diagnostic says so, and the raw
// bytes (minus the magic) are emitted as a fallback child so they are still scanned.
//
// Supported bytecode versions: 74 to 99 (header layout up to stringStorageSize is the
// same in all of them; function headers are 16 bytes before v97 and 12 from v97).
#pragma once

#include "extract/extractor.h"

#include <memory>

namespace leakproof::scanner {

class HermesExtractor : public Extractor {
 public:
  std::string_view name() const override { return "hermes"; }
  bool CanExtract(const Blob& blob) const override;
  bool ReplacesParentScan() const override { return true; }
  Status Extract(const Blob& blob, ExtractContext& ctx, const ChildSink& emit) const override;
};

std::unique_ptr<Extractor> NewHermesExtractor();

}  // namespace leakproof::scanner
