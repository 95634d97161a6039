// XalzExtractor: Xamarin.Android compressed assemblies (`assemblies/*.dll` in release
// APKs, and entries of assembly stores).
//
// Layout: "XALZ", u32 descriptor index, u32 uncompressed length, then one raw LZ4
// block (no frame, no size prefix). LZ4 keeps literals verbatim but turns repeats into
// back-references, so a raw scan of the compressed file sees at most fragments of a
// key: the assembly is decompressed (LZ4_decompress_safe, bounded by the declared
// length, max_member_bytes, max_ratio and the byte budget) and emitted as a child
// "[xalz]", which the .NET extractor then reads. ReplacesParentScan() is true: the
// compressed bytes only hold fragments of what the child holds whole.
#pragma once

#include "extract/extractor.h"

#include <memory>

namespace leakproof::scanner {

class XalzExtractor : public Extractor {
 public:
  std::string_view name() const override { return "xalz"; }
  bool CanExtract(const Blob& blob) const override;
  bool ReplacesParentScan() const override { return true; }
  Status Extract(const Blob& blob, ExtractContext& ctx, const ChildSink& emit) const override;
};

std::unique_ptr<Extractor> NewXalzExtractor();

}  // namespace leakproof::scanner
