// Fuzz target for the keystore extractor: JKS/JCEKS entry walks and digests, PKCS#12
// through OpenSSL (authSafe, bags, MAC and PBE iteration caps), BKS entry walks and MACs.
#include "android_fuzz_harness.h"
#include "extract/keystore/keystore_extractor.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto* const kExtractor = leakproof::scanner::NewKeystoreExtractor().release();
  return leakproof::fuzzing::RunAndroidExtractor(*kExtractor, data, size);
}
