// Fuzz target: thin and fat Mach-O (extract/native/macho_extractor.h, macho_fat_extractor.h).
#include "extract/native/macho_extractor.h"
#include "extract/native/macho_fat_extractor.h"
#include "native_fuzz_util.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto thin = leakproof::scanner::NewMachoExtractor();
  static const auto fat = leakproof::scanner::NewMachoFatExtractor();
  leakproof::native_fuzz::RunExtractor(*thin, data, size);
  leakproof::native_fuzz::RunExtractor(*fat, data, size);
  return 0;
}
