// Fuzz target for the zip extractor: zip archives (libzip from memory, member limits).
#include "android_fuzz_harness.h"
#include "extract/zip_extractor.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto* const kExtractor = leakproof::scanner::NewZipExtractor().release();
  return leakproof::fuzzing::RunAndroidExtractor(*kExtractor, data, size);
}
