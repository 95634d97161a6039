// ZipExtractor: members of zip-based archives (zip, jar, aar, apk, aab, xapk, apks,
// ipa) as child blobs, inflated in memory: deflated members with libdeflate
// (zip_inflate.h), everything else with libzip.
//
// In an APK or IPA almost every member is deflated, so scanning the archive bytes
// finds nothing but stored members. Every member becomes a child named by its entry
// name (data, never a path to open); nested archives are found again by magic.
// Limits (entries, member size, ratio, total budget) turn zip bombs into diagnostics.
#pragma once

#include "extract/extractor.h"

#include <memory>

namespace leakproof::scanner {

// How deflated members are inflated. kLibzipOnly is the streaming path the fast one
// falls back to; tests use it as the reference the libdeflate path must agree with.
enum class ZipInflate { kLibdeflate, kLibzipOnly };

std::unique_ptr<Extractor> NewZipExtractor(ZipInflate inflate = ZipInflate::kLibdeflate);

}  // namespace leakproof::scanner
