// Test support for the decoding extractors: byte builders (a minimal .NET PE image,
// XALZ, assembly stores, base64, UTF-16) and a small depth-first driver that runs the
// decoders the way the engine does, so tests can ask "where would this key be found?".
#pragma once

#include "leakproof/scanner/blob.h"
#include "leakproof/scanner/diagnostic.h"

#include "extract/extractor.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace leakproof::testing {

// ASCII/Latin-1 text as UTF-16LE (or BE) bytes.
std::string Utf16(std::string_view ascii, bool big_endian = false);

std::string Base64Encode(std::string_view bytes);

// A PE32 image with a CLI header and metadata holding a #US heap with `user_strings`
// (ASCII, stored as UTF-16LE) and a #Blob heap with `blob_heap` verbatim.
std::string BuildDotnetAssembly(const std::vector<std::string>& user_strings,
                                std::string_view blob_heap = {});

// "XALZ" + index + length + LZ4 block of `assembly` (LZ4_compress_default).
std::string BuildXalz(std::string_view assembly, std::uint32_t index = 0);

// An assembly store: version 1 (descriptors only) or 2 (index, descriptors, names).
std::string BuildAssemblyStore(const std::vector<std::pair<std::string, std::string>>& assemblies,
                               std::uint32_t version);

// One extractor run on one blob.
struct DecodeRun {
  std::vector<scanner::Blob> children;
  std::vector<scanner::Diagnostic> diagnostics;
  scanner::Status status;
};
DecodeRun RunOne(const scanner::Extractor& extractor, const scanner::Blob& blob,
                 const scanner::ExtractLimits& limits = {});

// Where a needle was found by DecodeAndFind: provenance string, segment label (or ""),
// 1-based line (0 for segmented blobs).
struct Hit {
  std::string where;
  std::string label;
  std::uint64_t line = 0;
};

// Runs the decoding extractors (this area's, not the archive ones) depth-first from
// `root` like the engine does — a blob is searched raw unless an extractor that
// replaces its parent's scan applied — and returns every place `needle` occurs.
std::vector<Hit> DecodeAndFind(const scanner::Blob& root, std::string_view needle,
                               const scanner::ExtractLimits& limits = {});

}  // namespace leakproof::testing
