// Fuzz target for the crx extractor: CRX2/CRX3 header lengths and the zip view after them.
#include "android_fuzz_harness.h"
#include "extract/archive/crx_extractor.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto* const kExtractor = leakproof::scanner::NewCrxExtractor().release();
  return leakproof::fuzzing::RunAndroidExtractor(*kExtractor, data, size);
}
