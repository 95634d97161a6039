// Session JWT verification (compact JWS, HS256 / RS256 / ES256) with OpenSSL.
//
// The algorithm is pinned by configuration: a token whose header names another alg
// (including "none") is rejected, which closes the classic alg-confusion attacks. exp is
// required; nbf, iss and aud are checked. A JwtVerifier is immutable after Create and
// safe to share between threads. Key material is public (or, for HS256, wiped on
// destruction).
#pragma once

#include "leakproof/proxy/config.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace leakproof::proxy {

struct JwtClaims {
  std::string subject;  // "sub", may be empty
  int64_t expires_at = 0;
};

class JwtVerifier {
 public:
  // HS256: `hmac_secret` is the key bytes. RS256/ES256: `public_key_pem` or `jwks_json`.
  static Result<std::shared_ptr<const JwtVerifier>> Create(const SessionConfig& config,
                                                           std::string_view hmac_secret,
                                                           std::string_view public_key_pem,
                                                           std::string_view jwks_json);
  ~JwtVerifier();
  JwtVerifier(const JwtVerifier&) = delete;
  JwtVerifier& operator=(const JwtVerifier&) = delete;

  // Verifies signature and claims at time `now` (seconds since epoch). The error message
  // is safe to log: it never contains the token.
  Result<JwtClaims> Verify(std::string_view token, int64_t now) const;

 private:
  struct Impl;
  explicit JwtVerifier(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Signs claims as an HS256 token. For tests, benchmarks and local development only.
std::string SignHs256(std::string_view claims_json, std::string_view secret);

// base64url without padding (RFC 7515 section 2); nullopt-like empty + false on bad input.
bool Base64UrlDecode(std::string_view in, std::string& out);
std::string Base64UrlEncode(std::string_view in);

}  // namespace leakproof::proxy
