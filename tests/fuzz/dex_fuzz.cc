// Fuzz target for the dex extractor: DEX string tables (string_ids, MUTF-8).
#include "android_fuzz_harness.h"
#include "extract/android/dex_extractor.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto* const kExtractor = leakproof::scanner::NewDexExtractor().release();
  return leakproof::fuzzing::RunAndroidExtractor(*kExtractor, data, size);
}
