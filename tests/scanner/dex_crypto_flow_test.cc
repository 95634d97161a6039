// Hardcoded crypto material in DEX bytecode (issue 14, item 5): the smali-built app of
// scripts/make-crypto-samples.sh passes a string key, a fill-array-data IV, a static
// final byte[] HMAC key, a Base64-decoded key and a PBE password to javax.crypto; each
// is reported with its class and method. Its negatives (KeyGenerator, AndroidKeyStore,
// a key read from a file, a SecureRandom IV) are not.
#include "extract/android/dex_crypto_flow.h"

#include "leakproof/scanner/scanner.h"

#include "extract/android/dex_extractor.h"
#include "support/scan_run.h"
#include "support/test_rules.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <set>
#include <string>

namespace lp = leakproof::scanner;
using leakproof::testing::BuiltinEngine;
using leakproof::testing::ReadWholeFile;

namespace {

const std::filesystem::path kCrypto =
    std::filesystem::path(LEAKPROOF_SOURCE_DIR) / "samples/android/crypto";

// What the smali in scripts/make-crypto-samples.sh hardcodes, as the flow prints it.
const std::set<std::string> kExpected = {
    "crypto.hardcoded-key | Qm7vR2xT9kLp4sWz | com/acme/vault/Crypto.encrypt() SecretKeySpec(AES)",
    "crypto.hardcoded-iv | 0x3a91057ce2441bd86f20a753c90eb467 | com/acme/vault/Crypto.encrypt() "
    "IvParameterSpec",
    "crypto.hardcoded-key | 0x5d17c3882af0619e04bb72d53ce910864fa23bc7 | "
    "com/acme/vault/Tokens.sign() SecretKeySpec(HmacSHA256)",
    // base64 "n2Qv4m8HcR1tYw6ZpK0sLd9fGh3jBx7A", decoded
    "crypto.hardcoded-key | 0x9f642fe26f07711d6d630e99a4ad2c2ddf5f1a1de3071ec0 | "
    "com/acme/vault/Backup.remoteKey() SecretKeySpec(AES)",
    "crypto.hardcoded-key-pbe | r1verstone-backup-93 | com/acme/vault/Backup.derive() PBEKeySpec",
};

}  // namespace

TEST_CASE("hardcoded keys, IVs and PBE passwords in a smali-built APK, with class and method") {
  auto e = BuiltinEngine();
  lp::ScanOptions o;
  o.paths = {(kCrypto / "vault.apk").string()};
  o.threads = 1;
  const lp::ScanResult r = lp::Scan(*e, o);
  std::set<std::string> got;
  for (const lp::Finding& f : r.findings) {
    if (f.rule->provider != "crypto") continue;
    got.insert(f.rule->id + " | " + f.secret + " | " + f.location.detail);
    CHECK(f.rule->rule_class == lp::RuleClass::kSecret);
    CHECK(f.confidence == lp::Confidence::kHigh);
    CHECK_THAT(f.location.path, Catch::EndsWith("vault.apk!classes.dex[crypto-dataflow]"));
  }
  // Exactly these: nothing from SafeCrypto (KeyGenerator, AndroidKeyStore, a file, a
  // SecureRandom-filled IV), and "AES" or the cipher name never taken for a key.
  CHECK(got == kExpected);
}

TEST_CASE("the dataflow alone on the sample DEX, and on every truncation of it") {
  const std::string dex = ReadWholeFile(kCrypto / "classes.dex");
  REQUIRE(dex.size() > 0x70);
  lp::AndroidByteReader r(dex);
  const lp::StringTable strings(r, *r.U32(0x3C), *r.U32(0x38));
  const lp::CryptoFlow flow = lp::FindCryptoConstants(r, strings, lp::FindStaticStringFields(r));
  CHECK(flow.found.size() == kExpected.size());
  CHECK_FALSE(flow.walk.capped);
  CHECK(flow.walk.malformed_classes == 0);
  // Cut anywhere, and with bytes flipped through the code: never a crash or a hang.
  auto ex = lp::NewDexExtractor();
  lp::ExtractLimits limits;
  lp::ByteBudget budget(limits.max_total_bytes);
  lp::ExtractContext ctx(limits, budget, [](lp::Diagnostic) {});
  for (std::size_t cut = 0x70; cut < dex.size(); cut += 13) {
    lp::Blob b = lp::Blob::FromString(dex.substr(0, cut), lp::Provenance("cut.dex"));
    (void)ex->Extract(b, ctx, [](lp::Blob) { return true; });
  }
  for (std::size_t at = 0x70; at < dex.size(); at += 5) {
    std::string flipped = dex;
    flipped[at] = static_cast<char>(flipped[at] ^ 0xA5);
    lp::Blob b = lp::Blob::FromString(flipped, lp::Provenance("flipped.dex"));
    (void)ex->Extract(b, ctx, [](lp::Blob) { return true; });
  }
  SUCCEED("no crash, no hang");
}
