// Fuzz target for the image config extractor: an image's config JSON (config and
// container_config Env arrays, history) walked into labelled segments.
#include "android_fuzz_harness.h"
#include "extract/archive/image_config_extractor.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto* const kExtractor = leakproof::scanner::NewImageConfigExtractor().release();
  return leakproof::fuzzing::RunAndroidExtractor(*kExtractor, data, size);
}
