// Fuzz target for the arsc extractor: resources.arsc (string pools, packages, type chunks,
// entries).
#include "android_fuzz_harness.h"
#include "extract/android/arsc_extractor.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto* const kExtractor = leakproof::scanner::NewArscExtractor().release();
  return leakproof::fuzzing::RunAndroidExtractor(*kExtractor, data, size);
}
