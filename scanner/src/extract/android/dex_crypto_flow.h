// Hardcoded keys, IVs and PBE passwords in DEX bytecode (OWASP MASVS-CRYPTO).
//
// A simple register dataflow inside each method, in code order: a register holds a
// known constant after `const-string`, `sget-object` of a static field whose value is
// known (a static_values string, or what some method's `sput-object` stored there), a
// `new-array` of bytes filled by `fill-array-data` or `aput-byte`, and the results of
// String.getBytes(), String.toCharArray(), android.util.Base64.decode() and
// java.util.Base64.Decoder.decode() on a known constant. When such a register reaches
// javax.crypto.spec.SecretKeySpec.<init> (a key), IvParameterSpec / GCMParameterSpec
// (an IV) or PBEKeySpec.<init> (a password the key is derived from), it is reported
// with the method that does it. Cipher.init and Mac.init take the SecretKeySpec object,
// so the key is reported where that spec is built.
//
// Limits (on purpose; each loses recall, never adds a false constant):
//   - control flow is ignored: the last value written in code order counts, so a key
//     chosen by a branch between two constants reports the later one;
//   - only one method at a time (plus static fields): a key passed in as a parameter, or
//     returned by a helper method, is unknown;
//   - any instruction the flow does not model makes its destination unknown, and an
//     array passed to a method it does not model is unknown afterwards (the callee may
//     fill it: SecureRandom.nextBytes);
//   - arrays longer than kMaxTrackedArray bytes are not tracked.
#pragma once

#include "extract/android/android_byte_reader.h"
#include "extract/android/dex_code.h"
#include "extract/android/dex_static_values.h"
#include "extract/android/dex_strings.h"

#include <string>
#include <string_view>
#include <vector>

namespace leakproof::scanner {

inline constexpr std::size_t kMaxTrackedArray = 4096;

struct CryptoConstant {
  std::string_view verdict;  // kVerdictHardcodedKey, kVerdictHardcodedIv, kVerdictHardcodedPassword
  std::string value;         // the constant: its text when printable, else "0x" + hex
  std::string where;         // "com/x/Crypto.encrypt() SecretKeySpec(AES)"
};

struct CryptoFlow {
  std::vector<CryptoConstant> found;  // one per (verdict, value, method)
  DexCodeWalk walk;
};

CryptoFlow FindCryptoConstants(const AndroidByteReader& dex, const StringTable& strings,
                               const StaticStringFields& statics);

}  // namespace leakproof::scanner
