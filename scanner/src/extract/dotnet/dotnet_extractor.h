// DotnetExtractor: the UTF-16 strings of a .NET assembly (C# `ldstr` literals and
// `const string` values), which a byte scan cannot see.
//
// Children:
//   - "#US": every user string (the #US heap: compressed length, UTF-16LE, a flag
//     byte) converted to UTF-8, one segment each, labelled with its `ldstr` token
//     ("#US 0x70000001") so it can be found in a decompiler.
//   - "#Blob": printable runs of 8+ UTF-16LE characters in the #Blob heap (`const
//     string` field values live there, in the Constant table's blobs).
// ReplacesParentScan() is false: identifiers (#Strings), resources and custom
// attribute strings are UTF-8 and are found by the ordinary scan of the file. The
// UTF-16 view extractor skips assemblies, so no string is reported twice.
#pragma once

#include "extract/extractor.h"

#include <memory>
#include <string_view>

namespace leakproof::scanner {

// A PE image with a CLI header (headers only; see dotnet_metadata.h).
bool LooksLikeDotnetAssembly(std::string_view bytes);

class DotnetExtractor : public Extractor {
 public:
  std::string_view name() const override { return "dotnet"; }
  bool CanExtract(const Blob& blob) const override;
  Status Extract(const Blob& blob, ExtractContext& ctx, const ChildSink& emit) const override;
};

std::unique_ptr<Extractor> NewDotnetExtractor();

}  // namespace leakproof::scanner
