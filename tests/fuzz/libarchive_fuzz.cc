// Fuzz target for the libarchive-backed extractor: our side of it (entry loop, limits,
// member naming, the raw fallback) over whatever libarchive makes of the input.
#include "android_fuzz_harness.h"
#include "extract/archive/libarchive_extractor.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto* const kExtractor = leakproof::scanner::NewLibarchiveExtractor().release();
  return leakproof::fuzzing::RunAndroidExtractor(*kExtractor, data, size);
}
