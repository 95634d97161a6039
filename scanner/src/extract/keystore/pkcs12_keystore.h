// PKCS#12 (.p12, .pfx; RFC 7292) keystores, read with OpenSSL.
//
// A PFX is a DER SEQUENCE { version 3, authSafe ContentInfo (id-data), macData }. The
// authSafe holds ContentInfos that are either plain data (OpenSSL and keytool put the
// pkcs8ShroudedKeyBag there, so a private key and its friendlyName alias are visible
// without a password) or password-encrypted (usually the certificates). The password
// search checks the MAC (PKCS12_verify_mac) with each candidate; encrypted parts are
// opened only with a password that passed and only when their PBE iteration count is
// under the cap, since both counts come from the (hostile) file.
#pragma once

#include "extract/keystore/keystore_summary.h"

#include <optional>
#include <string>
#include <string_view>

namespace leakproof::scanner::keystore {

// Above this, a PBE iteration count (of an encrypted part, opened once with the password
// that passed the MAC) is not run: keytool writes 10,000 and OpenSSL 2,048; a hostile
// file could ask for billions. MAC checks are bounded by CandidatesWithin().
inline constexpr long kMaxPkcs12Iterations = 500000;

// DER SEQUENCE, INTEGER 3, then the id-data OID of the authSafe within the first bytes.
bool IsPkcs12Magic(std::string_view bytes);

// Nothing (and `error` set) when OpenSSL cannot parse it.
std::optional<KeystoreSummary> ReadPkcs12(std::string_view bytes, const std::string& store_name,
                                          std::string& error);

}  // namespace leakproof::scanner::keystore
