// Fuzz target: Hermes bytecode string table (extract/js/hermes_extractor.h).
#include "extract/js/hermes_extractor.h"
#include "native_fuzz_util.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto hermes = leakproof::scanner::NewHermesExtractor();
  leakproof::native_fuzz::RunExtractor(*hermes, data, size);
  return 0;
}
