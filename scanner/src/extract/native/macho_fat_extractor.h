// Universal ("fat") Mach-O extractor: emits each architecture slice as a child named
// by its architecture ("Leaky!arm64", "Leaky!x86_64"); the thin Mach-O extractor then
// handles each slice.
//
// 0xCAFEBABE is also the Java class-file magic (followed by minor/major version, which
// read as a small "nfat_arch"). CanExtract therefore validates the whole fat header:
// at most 16 slices, each in bounds, past the header, and starting with a Mach-O (or
// static-archive) magic. A class file fails that, and is left to the raw scan.
//
// ReplacesParentScan: true. The slices cover every byte that matters (the rest is
// alignment padding), and scanning the parent as well would report every key once
// more on top of once per slice.
#pragma once

#include "extract/extractor.h"

#include <memory>

namespace leakproof::scanner {

class MachoFatExtractor : public Extractor {
 public:
  std::string_view name() const override { return "macho-fat"; }
  bool CanExtract(const Blob& blob) const override;
  bool ReplacesParentScan() const override { return true; }
  Status Extract(const Blob& blob, ExtractContext& ctx, const ChildSink& emit) const override;
};

std::unique_ptr<Extractor> NewMachoFatExtractor();

}  // namespace leakproof::scanner
