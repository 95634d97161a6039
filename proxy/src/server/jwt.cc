// JWT (JWS compact) verification with OpenSSL EVP; JWKS keys are imported with
// EVP_PKEY_fromdata (OpenSSL 3). Every failure returns a fixed message that never echoes
// token bytes, because these messages reach logs.
#include "leakproof/proxy/jwt.h"

#include "json_fields.h"

#include <nlohmann/json.hpp>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/param_build.h>
#include <openssl/params.h>
#include <openssl/pem.h>

#include <array>
#include <cstdint>
#include <map>

namespace leakproof::proxy {
namespace {

using Json = nlohmann::json;

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

const char* AlgName(JwtAlg a) {
  switch (a) {
    case JwtAlg::kHs256:
      return "HS256";
    case JwtAlg::kRs256:
      return "RS256";
    case JwtAlg::kEs256:
      return "ES256";
  }
  return "";
}

Pkey PkeyFromPem(std::string_view pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  if (bio == nullptr) return nullptr;
  Pkey key(PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr));
  BIO_free(bio);
  return key;
}

Pkey PkeyFromParams(const char* type, OSSL_PARAM_BLD* bld) {
  Pkey out;
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr);
  EVP_PKEY* raw = nullptr;
  if (params != nullptr && ctx != nullptr && EVP_PKEY_fromdata_init(ctx) == 1 &&
      EVP_PKEY_fromdata(ctx, &raw, EVP_PKEY_PUBLIC_KEY, params) == 1) {
    out.reset(raw);
  }
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  return out;
}

Pkey PkeyFromJwk(const Json& jwk) {
  if (!jwk.is_object()) return nullptr;
  std::string kty = jwk.value("kty", "");
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  if (bld == nullptr) return nullptr;
  Pkey out;
  if (kty == "RSA" && jwk.contains("n") && jwk["n"].is_string() && jwk.contains("e") &&
      jwk["e"].is_string()) {
    std::string n, e;
    if (Base64UrlDecode(jwk["n"].get<std::string>(), n) &&
        Base64UrlDecode(jwk["e"].get<std::string>(), e)) {
      BIGNUM* bn_n = BN_bin2bn(reinterpret_cast<const unsigned char*>(n.data()),
                               static_cast<int>(n.size()), nullptr);
      BIGNUM* bn_e = BN_bin2bn(reinterpret_cast<const unsigned char*>(e.data()),
                               static_cast<int>(e.size()), nullptr);
      if (bn_n != nullptr && bn_e != nullptr &&
          OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n) == 1 &&
          OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e) == 1) {
        out = PkeyFromParams("RSA", bld);
      }
      BN_free(bn_n);
      BN_free(bn_e);
    }
  } else if (kty == "EC" && jwk.value("crv", "") == "P-256" && jwk.contains("x") &&
             jwk["x"].is_string() && jwk.contains("y") && jwk["y"].is_string()) {
    std::string x, y;
    if (Base64UrlDecode(jwk["x"].get<std::string>(), x) &&
        Base64UrlDecode(jwk["y"].get<std::string>(), y) && x.size() == 32 && y.size() == 32) {
      std::string point = "\x04" + x + y;
      char group[] = "prime256v1";
      if (OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, group, 0) == 1 &&
          OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                           point.size()) == 1) {
        out = PkeyFromParams("EC", bld);
      }
    }
  }
  OSSL_PARAM_BLD_free(bld);
  return out;
}

// JWS ES256 signatures are raw r||s (RFC 7518 3.4); EVP wants DER.
bool EcdsaRawToDer(std::string_view raw, std::string& der) {
  if (raw.size() != 64) return false;
  ECDSA_SIG* sig = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), 32, nullptr);
  BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()) + 32, 32, nullptr);
  bool ok = false;
  if (sig != nullptr && r != nullptr && s != nullptr && ECDSA_SIG_set0(sig, r, s) == 1) {
    r = s = nullptr;  // owned by sig now
    unsigned char* buf = nullptr;
    int len = i2d_ECDSA_SIG(sig, &buf);
    if (len > 0) {
      der.assign(reinterpret_cast<char*>(buf), static_cast<size_t>(len));
      ok = true;
    }
    OPENSSL_free(buf);
  }
  BN_free(r);
  BN_free(s);
  ECDSA_SIG_free(sig);
  return ok;
}

bool VerifyWithKey(EVP_PKEY* key, std::string_view data, std::string_view sig) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = ctx != nullptr && EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
            EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                             reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

// NumericDate to whole seconds, clamped so that adding the leeway cannot overflow and
// an absurd value (1e300) is not undefined behaviour in the cast.
int64_t ClampSeconds(double v) {
  constexpr double kLimit = 4.0e18;
  return static_cast<int64_t>(v > kLimit ? kLimit : v < -kLimit ? -kLimit : v);
}

struct MacCtxFree {
  void operator()(EVP_MAC_CTX* c) const { EVP_MAC_CTX_free(c); }
};
using MacCtx = std::unique_ptr<EVP_MAC_CTX, MacCtxFree>;

// HMAC-SHA256 keyed once when the verifier is built. Verify works on a copy: that skips
// the algorithm fetch and key schedule the one-shot HMAC() repeats on every call, and
// the keyed template is never written, so a verifier stays safe to share between threads.
// Freeing a context wipes its key material.
MacCtx KeyedHmacSha256(std::string_view key) {
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (mac == nullptr) return nullptr;
  MacCtx ctx(EVP_MAC_CTX_new(mac));
  EVP_MAC_free(mac);  // the context holds its own reference
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                         OSSL_PARAM_construct_end()};
  if (!ctx || EVP_MAC_init(ctx.get(), reinterpret_cast<const unsigned char*>(key.data()),
                           key.size(), params) != 1) {
    return nullptr;
  }
  return ctx;
}

// Constant-time comparison of HMAC(keyed, data) with `sig`.
bool HmacMatches(const EVP_MAC_CTX* keyed, std::string_view data, std::string_view sig) {
  MacCtx ctx(EVP_MAC_CTX_dup(keyed));
  unsigned char mac[EVP_MAX_MD_SIZE];
  size_t len = 0;
  const bool ok = ctx &&
                  EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(data.data()),
                                 data.size()) == 1 &&
                  EVP_MAC_final(ctx.get(), mac, &len, sizeof(mac)) == 1;
  return ok && sig.size() == len && CRYPTO_memcmp(sig.data(), mac, len) == 0;
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &len);
  return std::string(reinterpret_cast<char*>(mac), len);
}

}  // namespace

// Table-driven: every request decodes three token segments, and the old detour through
// a padded copy and EVP_DecodeBlock cost more than the signature check. Accepts exactly
// what that version accepted: the base64url alphabet without padding, any length but
// 4n+1; unused low bits of the last character are ignored.
bool Base64UrlDecode(std::string_view in, std::string& out) {
  static constexpr auto kValue = [] {
    std::array<int8_t, 256> t{};
    t.fill(-1);
    for (int i = 0; i < 26; ++i) {
      t['A' + i] = static_cast<int8_t>(i);
      t['a' + i] = static_cast<int8_t>(26 + i);
    }
    for (int i = 0; i < 10; ++i) t['0' + i] = static_cast<int8_t>(52 + i);
    t['-'] = 62;
    t['_'] = 63;
    return t;
  }();
  out.clear();
  if (in.size() % 4 == 1) return false;
  out.resize(in.size() / 4 * 3 + (in.size() % 4 == 0 ? 0 : in.size() % 4 - 1));
  uint32_t acc = 0;
  int bits = 0;
  size_t n = 0;
  for (char c : in) {
    const int v = kValue[static_cast<unsigned char>(c)];
    if (v < 0) {
      out.clear();
      return false;  // also rejects '=', '+', '/' and whitespace: base64url has none
    }
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = static_cast<char>((acc >> bits) & 0xff);
    }
  }
  return true;
}

std::string Base64UrlEncode(std::string_view in) {
  std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(in.data()),
                          static_cast<int>(in.size()));
  out.resize(static_cast<size_t>(n));
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return out;
}

std::string SignHs256(std::string_view claims_json, std::string_view secret) {
  std::string signing =
      Base64UrlEncode(R"({"alg":"HS256","typ":"JWT"})") + "." + Base64UrlEncode(claims_json);
  return signing + "." + Base64UrlEncode(HmacSha256(secret, signing));
}

struct JwtVerifier::Impl {
  SessionConfig config;
  MacCtx hmac;  // HS256 only
  Pkey single_key;
  std::map<std::string, Pkey> keys_by_kid;
};

JwtVerifier::JwtVerifier(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
JwtVerifier::~JwtVerifier() = default;

Result<std::shared_ptr<const JwtVerifier>> JwtVerifier::Create(const SessionConfig& config,
                                                               std::string_view hmac_secret,
                                                               std::string_view public_key_pem,
                                                               std::string_view jwks_json) {
  auto impl = std::make_unique<Impl>();
  impl->config = config;
  const int want = config.jwt_alg == JwtAlg::kRs256 ? EVP_PKEY_RSA : EVP_PKEY_EC;
  if (config.jwt_alg == JwtAlg::kHs256) {
    if (hmac_secret.size() < 32) {
      return Status::InvalidArgument("session.jwt_secret: HS256 key must be at least 32 bytes");
    }
    impl->hmac = KeyedHmacSha256(hmac_secret);
    if (!impl->hmac) return Status::InvalidArgument("session.jwt_secret: HMAC-SHA256 unavailable");
  } else if (!public_key_pem.empty()) {
    impl->single_key = PkeyFromPem(public_key_pem);
    if (!impl->single_key || EVP_PKEY_get_base_id(impl->single_key.get()) != want) {
      return Status::InvalidArgument(
          "session.jwt_public_key_file: not a PEM public key of the jwt_alg's type");
    }
  } else {
    Json jwks = Json::parse(jwks_json, nullptr, false);
    if (!jwks.is_object() || !jwks.contains("keys") || !jwks["keys"].is_array()) {
      return Status::InvalidArgument("session.jwks_file: expected {\"keys\": [...]}");
    }
    for (const Json& k : jwks["keys"]) {
      Pkey key = PkeyFromJwk(k);
      if (!key || EVP_PKEY_get_base_id(key.get()) != want) continue;
      std::string kid =
          k.contains("kid") && k["kid"].is_string() ? k["kid"].get<std::string>() : "";
      impl->keys_by_kid[kid] = std::move(key);
    }
    if (impl->keys_by_kid.empty()) {
      return Status::InvalidArgument("session.jwks_file: no usable key for the jwt_alg");
    }
  }
  return std::shared_ptr<const JwtVerifier>(new JwtVerifier(std::move(impl)));
}

Result<JwtClaims> JwtVerifier::Verify(std::string_view token, int64_t now) const {
  const SessionConfig& cfg = impl_->config;
  if (token.size() > 8192) return Status::InvalidArgument("token too large");
  size_t d1 = token.find('.');
  size_t d2 = d1 == std::string_view::npos ? d1 : token.find('.', d1 + 1);
  if (d2 == std::string_view::npos || token.find('.', d2 + 1) != std::string_view::npos) {
    return Status::InvalidArgument("token is not a compact JWS");
  }
  std::string header_raw, payload_raw, sig;
  if (!Base64UrlDecode(token.substr(0, d1), header_raw) ||
      !Base64UrlDecode(token.substr(d1 + 1, d2 - d1 - 1), payload_raw) ||
      !Base64UrlDecode(token.substr(d2 + 1), sig)) {
    return Status::InvalidArgument("token is not base64url");
  }
  static constexpr std::string_view kHeaderNames[] = {"alg", "kid"};
  JsonField header[2];
  if (!ReadJsonFields(header_raw, kHeaderNames, header) ||
      header[0].kind != JsonField::Kind::kString || header[0].string != AlgName(cfg.jwt_alg)) {
    return Status::InvalidArgument("token alg does not match session.jwt_alg");
  }
  std::string_view signing = token.substr(0, d2);
  bool valid = false;
  if (cfg.jwt_alg == JwtAlg::kHs256) {
    valid = HmacMatches(impl_->hmac.get(), signing, sig);
  } else {
    EVP_PKEY* key = impl_->single_key.get();
    if (key == nullptr) {
      const std::string kid = header[1].kind == JsonField::Kind::kString ? header[1].string : "";
      auto it = impl_->keys_by_kid.find(kid);
      if (it == impl_->keys_by_kid.end() && kid.empty() && impl_->keys_by_kid.size() == 1) {
        it = impl_->keys_by_kid.begin();
      }
      if (it != impl_->keys_by_kid.end()) key = it->second.get();
    }
    if (key != nullptr) {
      if (cfg.jwt_alg == JwtAlg::kEs256) {
        std::string der;
        valid = EcdsaRawToDer(sig, der) && VerifyWithKey(key, signing, der);
      } else {
        valid = VerifyWithKey(key, signing, sig);
      }
    }
  }
  if (!valid) return Status::InvalidArgument("token signature is invalid");

  static constexpr std::string_view kClaimNames[] = {"exp", "nbf", "iss", "aud", "sub"};
  JsonField claims[5];
  const auto& [exp, nbf, iss, aud, sub] = claims;
  if (!ReadJsonFields(payload_raw, kClaimNames, claims)) {
    return Status::InvalidArgument("token claims are not an object");
  }
  if (exp.kind != JsonField::Kind::kNumber) return Status::InvalidArgument("token has no exp");
  const int64_t leeway = cfg.leeway_seconds;
  JwtClaims out;
  out.expires_at = ClampSeconds(exp.number);
  if (now > out.expires_at + leeway) return Status::InvalidArgument("token expired");
  if (nbf.kind != JsonField::Kind::kAbsent) {
    if (nbf.kind != JsonField::Kind::kNumber) {
      return Status::InvalidArgument("token nbf is not a number");
    }
    if (now + leeway < ClampSeconds(nbf.number)) {
      return Status::InvalidArgument("token not yet valid");
    }
  }
  if (!cfg.issuer.empty() && (iss.kind != JsonField::Kind::kString || iss.string != cfg.issuer)) {
    return Status::InvalidArgument("token issuer mismatch");
  }
  if (!cfg.audience.empty()) {
    bool aud_ok = aud.kind == JsonField::Kind::kString && aud.string == cfg.audience;
    for (const auto& a : aud.strings) aud_ok = aud_ok || a == cfg.audience;
    if (!aud_ok) return Status::InvalidArgument("token audience mismatch");
  }
  if (sub.kind == JsonField::Kind::kString) out.subject = sub.string;
  return out;
}

}  // namespace leakproof::proxy
