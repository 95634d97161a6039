// AssemblyStoreExtractor: .NET for Android assembly stores ("XABA": assemblies.blob,
// assemblies.<abi>.blob), which pack every managed assembly of an app into one file.
//
// Two layouts are read (dotnet/android Documentation/project-docs/AssemblyStores.md):
//   v1 (.NET 6/7): 20-byte header {magic, version, local_entry_count,
//       global_entry_count, store_id}, then local_entry_count descriptors of 6 u32
//       {data_offset, data_size, debug_offset, debug_size, config_offset, config_size}.
//       Names live in assemblies.manifest, so children are "assembly[i]".
//   v2/v3 (.NET 8+): header {magic, version, entry_count, index_entry_count,
//       index_size}, the index (index_size bytes), entry_count descriptors of 7 u32
//       {mapping_index, data_offset, ...}, then entry_count names {u32 length, UTF-8}.
// The low 16 bits of `version` are the format number (the high bits carry ABI flags).
//
// Each assembly's image (often XALZ-compressed; the XALZ extractor takes it from
// there) and its .config file become children. Every descriptor must point inside the
// store at an "MZ" or "XALZ" image; if any does not, or the version is unknown, the
// layout is treated as uncertain and the whole store is emitted as a "[raw]" child
// (scanned as bytes, UTF-16 view included) with a diagnostic — since
// ReplacesParentScan() is true, that fallback is what keeps it from going unscanned.
// The ELF wrapper of newer stores (`payload` section in libassembly-store.so) is the
// ELF extractor's business; once it hands over the payload, this extractor applies.
#pragma once

#include "extract/extractor.h"

#include <memory>

namespace leakproof::scanner {

class AssemblyStoreExtractor : public Extractor {
 public:
  std::string_view name() const override { return "assembly-store"; }
  bool CanExtract(const Blob& blob) const override;
  bool ReplacesParentScan() const override { return true; }
  Status Extract(const Blob& blob, ExtractContext& ctx, const ChildSink& emit) const override;
};

std::unique_ptr<Extractor> NewAssemblyStoreExtractor();

}  // namespace leakproof::scanner
