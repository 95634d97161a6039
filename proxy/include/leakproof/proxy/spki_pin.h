// The public-key pin of a certificate: base64(SHA-256(SubjectPublicKeyInfo DER)), the value
// OkHttp's CertificatePinner ("sha256/<pin>") and Apple's NSPinnedDomains
// (SPKI-SHA256-BASE64) both use. `leakproof proxy --print-pin` prints it for the proxy's
// own TLS certificate so a mobile app can pin the BFF. Pure OpenSSL, no I/O but the read.
#pragma once

#include "leakproof/scanner/status.h"

#include <string>

namespace leakproof::proxy {

struct SpkiPin {
  std::string subject;  // the certificate's subject, one line (RFC 2253), for the operator
  std::string sha256_base64;
};

// The pin of the first (leaf) certificate in the PEM file `cert_path`.
scanner::Result<SpkiPin> SpkiPinOfPemFile(const std::string& cert_path);

}  // namespace leakproof::proxy
