// Fuzz target for the axml extractor: Android binary XML (string pool, element and attribute
// records).
#include "android_fuzz_harness.h"
#include "extract/android/axml_extractor.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto* const kExtractor = leakproof::scanner::NewAxmlExtractor().release();
  return leakproof::fuzzing::RunAndroidExtractor(*kExtractor, data, size);
}
