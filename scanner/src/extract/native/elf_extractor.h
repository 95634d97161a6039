// ELF extractor: Flutter's Dart AOT snapshot (lib/<abi>/libapp.so).
//
// For an ordinary .so the raw byte scan already sees .rodata literals, so this emits
// nothing. A Flutter libapp.so exports _kDartIsolateSnapshotData / _kDartVmSnapshotData
// in .dynsym; Dart stores Latin-1 strings one byte per character (raw scan finds them)
// but any string with a character above U+00FF as UTF-16LE (TwoByteString), which the
// raw scan misses. For those we emit one segmented child "[utf-16le]" with every
// UTF-16LE text run of at least 8 consecutive ASCII characters found in the snapshot
// data, converted to UTF-8 and labelled "<symbol>+0x<offset>". A run finder instead of
// a snapshot parser: the Dart snapshot format changes with every Dart release.
//
// ReplacesParentScan: false (the raw scan covers everything one-byte).
#pragma once

#include "extract/extractor.h"

#include <memory>

namespace leakproof::scanner {

class ElfExtractor : public Extractor {
 public:
  std::string_view name() const override { return "elf"; }
  bool CanExtract(const Blob& blob) const override;
  Status Extract(const Blob& blob, ExtractContext& ctx, const ChildSink& emit) const override;
};

std::unique_ptr<Extractor> NewElfExtractor();

}  // namespace leakproof::scanner
