// Fuzz target: ELF / Flutter Dart snapshot strings (extract/native/elf_extractor.h).
#include "extract/native/elf_extractor.h"
#include "native_fuzz_util.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto elf = leakproof::scanner::NewElfExtractor();
  leakproof::native_fuzz::RunExtractor(*elf, data, size);
  return 0;
}
