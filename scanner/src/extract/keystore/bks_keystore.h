// BKS keystores (BouncyCastle's BcKeyStoreSpi, "BKS"; common in Android apps as
// res/raw/*.bks, since Android shipped BouncyCastle before PKCS#12 was usual).
//
// Layout, big-endian: u32 version (1 or 2), u32 salt length (always 20), the salt, u32
// iteration count, then entries until a 0 type byte: u8 type (1 certificate, 2 key,
// 3 secret, 4 sealed key), Java UTF alias, u64 date, u32 chain length and that many
// certificates (Java UTF type + u32 length + bytes), then the object (certificate; key:
// u8 key type, UTF format, UTF algorithm, u32 length + bytes; secret and sealed: u32
// length + bytes). Then HMAC-SHA1 over the entries (from the first type byte to the 0
// that ends them), keyed with the PKCS#12 KDF (SHA-1, ID 3 "MAC") of the password as
// UTF-16BE plus a NUL, the salt and the iteration count; key length 20 bytes in
// version 2 and, after a BouncyCastle bug, 2 bytes in version 1.
// UBER stores share the header but encrypt everything after it: they are reported as
// unreadable, not guessed at.
#pragma once

#include "extract/keystore/keystore_summary.h"

#include <optional>
#include <string>
#include <string_view>

namespace leakproof::scanner::keystore {

// Header check: version 1 or 2, salt length 20, a plausible iteration count and a
// first type byte 0-4.
bool IsBksMagic(std::string_view bytes);

std::optional<KeystoreSummary> ReadBks(std::string_view bytes, const std::string& store_name,
                                       std::string& error);

}  // namespace leakproof::scanner::keystore
