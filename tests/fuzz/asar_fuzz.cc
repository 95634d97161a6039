// Fuzz target for the asar extractor: the pickled header sizes, the JSON tree (nesting,
// offsets as strings, sizes past the end) and the views it hands out.
#include "android_fuzz_harness.h"
#include "extract/archive/asar_extractor.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto* const kExtractor = leakproof::scanner::NewAsarExtractor().release();
  return leakproof::fuzzing::RunAndroidExtractor(*kExtractor, data, size);
}
