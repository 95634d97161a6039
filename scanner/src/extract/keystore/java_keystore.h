// JKS and JCEKS keystores (the JDK's sun.security.provider.JavaKeyStore and
// com.sun.crypto.provider.JceKeyStore).
//
// Layout, big-endian: u32 magic (0xFEEDFEED JKS, 0xCECECECE JCEKS), u32 version (1, 2),
// u32 entry count, then entries: u32 tag (1 private key, 2 trusted certificate, 3 JCEKS
// secret key), alias as Java UTF (u16 length + bytes), u64 timestamp, then
//   tag 1: u32 length + EncryptedPrivateKeyInfo, u32 chain length, certificates;
//   tag 2: one certificate;
//   tag 3: a serialized SealedObject (no length prefix, so the walk stops there);
// a certificate is (version 2 only: Java UTF type "X.509") u32 length + DER.
// The file ends with SHA-1(password as UTF-16BE || "Mighty Aphrodite" || every preceding
// byte): the integrity check the JDK runs on load, and what the password search tests.
// Aliases and entry kinds are stored in the clear, so they are known without a password.
#pragma once

#include "extract/keystore/keystore_summary.h"

#include <string>
#include <string_view>
#include <vector>

namespace leakproof::scanner::keystore {

bool IsJavaKeystoreMagic(std::string_view bytes);

// `store_name` (the file's name without extension) joins the password candidates.
KeystoreSummary ReadJavaKeystore(std::string_view bytes, const std::string& store_name);

// The digest the JDK appends for `password` over `body` (exposed for tests).
std::string JavaKeystoreDigest(std::string_view password, std::string_view body);

}  // namespace leakproof::scanner::keystore
