// Fuzz target: binary and XML plist readers (extract/apple/plist_extractor.h).
#include "extract/apple/plist_extractor.h"
#include "native_fuzz_util.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto binary = leakproof::scanner::NewBinaryPlistExtractor();
  static const auto xml = leakproof::scanner::NewXmlPlistExtractor();
  leakproof::native_fuzz::RunExtractor(*binary, data, size);
  leakproof::native_fuzz::RunExtractor(*xml, data, size);
  return 0;
}
