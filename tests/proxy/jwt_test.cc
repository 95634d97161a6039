// Unit: session JWT verification — HS256, RS256 and ES256 (PEM and JWKS keys), claim
// checks, and the algorithm pinning that stops alg=none / alg-confusion tokens.
#include "leakproof/proxy/jwt.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>

namespace leakproof::proxy {
namespace {

constexpr int64_t kNow = 1800000000;
const std::string kKey = "fake-hs256-key-for-tests-0123456789abcdef";

SessionConfig Hs256() {
  SessionConfig c;
  c.jwt_alg = JwtAlg::kHs256;
  c.issuer = "https://app.test";
  c.audience = "leakproof";
  c.leeway_seconds = 10;
  return c;
}

std::string Claims(int64_t exp, const std::string& extra = "") {
  return R"({"sub":"u1","iss":"https://app.test","aud":["x","leakproof"],"exp":)" +
         std::to_string(exp) + extra + "}";
}

// An HS256 token with an arbitrary header (SignHs256 always writes a well-formed one).
std::string SignWithHeader(const std::string& header, const std::string& claims) {
  const std::string signing = Base64UrlEncode(header) + "." + Base64UrlEncode(claims);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), kKey.data(), static_cast<int>(kKey.size()),
       reinterpret_cast<const unsigned char*>(signing.data()), signing.size(), mac, &len);
  return signing + "." + Base64UrlEncode(std::string(reinterpret_cast<char*>(mac), len));
}

EVP_PKEY* Keygen(bool rsa) {
  return rsa ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048})
             : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
}

std::string PublicPem(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(bio, key);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(n));
  BIO_free(bio);
  return pem;
}

std::string SignAsymmetric(EVP_PKEY* key, bool es256, const std::string& claims,
                           const std::string& kid = "") {
  std::string header = es256 ? R"({"alg":"ES256")" : R"({"alg":"RS256")";
  if (!kid.empty()) header += R"(,"kid":")" + kid + "\"";
  header += "}";
  std::string signing = Base64UrlEncode(header) + "." + Base64UrlEncode(claims);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  size_t len = 0;
  EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key);
  EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(signing.data()),
                 signing.size());
  std::string sig(len, '\0');
  EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                 reinterpret_cast<const unsigned char*>(signing.data()), signing.size());
  sig.resize(len);
  EVP_MD_CTX_free(ctx);
  if (es256) {  // DER -> raw r||s as JWS requires
    const unsigned char* p = reinterpret_cast<const unsigned char*>(sig.data());
    ECDSA_SIG* s = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size()));
    std::string raw(64, '\0');
    BN_bn2binpad(ECDSA_SIG_get0_r(s), reinterpret_cast<unsigned char*>(raw.data()), 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(s), reinterpret_cast<unsigned char*>(raw.data()) + 32, 32);
    ECDSA_SIG_free(s);
    sig = raw;
  }
  return signing + "." + Base64UrlEncode(sig);
}

}  // namespace

TEST_CASE("HS256: valid token accepted, claims checked", "[jwt]") {
  auto v = JwtVerifier::Create(Hs256(), kKey, "", "");
  REQUIRE(v.ok());
  auto ok = (*v)->Verify(SignHs256(Claims(kNow + 60), kKey), kNow);
  REQUIRE(ok.ok());
  CHECK(ok->subject == "u1");
  CHECK(!(*v)->Verify(SignHs256(Claims(kNow - 60), kKey), kNow).ok());  // expired
  CHECK((*v)->Verify(SignHs256(Claims(kNow - 5), kKey), kNow).ok());    // within leeway
  CHECK(!(*v)->Verify(SignHs256(Claims(kNow + 60, R"(,"nbf":1900000000)"), kKey), kNow).ok());
  CHECK(!(*v)->Verify(SignHs256(R"({"sub":"u1","exp":1900000000})", kKey), kNow).ok());  // no iss
  CHECK(!(*v)->Verify(SignHs256(R"({"iss":"https://app.test","aud":"leakproof"})", kKey), kNow)
             .ok());                                                          // no exp
  CHECK(!(*v)->Verify(SignHs256(Claims(kNow + 60), kKey + "x"), kNow).ok());  // wrong key
}

TEST_CASE("HS256: malformed and alg-confused tokens rejected", "[jwt]") {
  auto v = JwtVerifier::Create(Hs256(), kKey, "", "");
  REQUIRE(v.ok());
  std::string good = SignHs256(Claims(kNow + 60), kKey);
  std::string none =
      Base64UrlEncode(R"({"alg":"none"})") + "." + Base64UrlEncode(Claims(kNow + 60)) + ".";
  for (const std::string& bad : {std::string(), std::string("a.b"), std::string("a.b.c.d"), none,
                                 good + "x", good.substr(1), std::string("!!.!!.!!")}) {
    CHECK(!(*v)->Verify(bad, kNow).ok());
  }
  CHECK(!JwtVerifier::Create(Hs256(), "short", "", "").ok());
}

TEST_CASE("HS256: repeated keys take their last value; absurd dates are not UB", "[jwt]") {
  auto v = JwtVerifier::Create(Hs256(), kKey, "", "");
  REQUIRE(v.ok());
  // A header naming HS256 first and "none" last is a "none" token, and the reverse is HS256.
  const std::string claims = Claims(kNow + 60);
  for (const auto& [header, ok] : std::vector<std::pair<std::string, bool>>{
           {R"({"alg":"HS256","typ":"JWT"})", true},
           {R"({"alg":"HS256","alg":"none"})", false},
           {R"({"alg":"none","alg":"HS256"})", true},
           {R"({"alg":["HS256"]})", false},
           {R"(["alg","HS256"])", false},
       }) {
    INFO(header);
    CHECK((*v)->Verify(SignWithHeader(header, claims), kNow).ok() == ok);
  }
  CHECK(!(*v)->Verify(SignHs256(Claims(kNow + 60, R"(,"exp":1)"), kKey), kNow).ok());
  CHECK((*v)->Verify(SignHs256(Claims(kNow - 60, R"(,"exp":1e300)"), kKey), kNow).ok());
  CHECK(!(*v)->Verify(SignHs256(Claims(kNow + 60, R"(,"nbf":1e300)"), kKey), kNow).ok());
  CHECK(!(*v)->Verify(SignHs256(Claims(kNow - 60, R"(,"exp":-1e300)"), kKey), kNow).ok());
}

TEST_CASE("RS256 and ES256 with PEM public keys", "[jwt]") {
  for (bool es : {false, true}) {
    EVP_PKEY* key = Keygen(!es);
    SessionConfig c = Hs256();
    c.jwt_alg = es ? JwtAlg::kEs256 : JwtAlg::kRs256;
    auto v = JwtVerifier::Create(c, "", PublicPem(key), "");
    REQUIRE(v.ok());
    CHECK((*v)->Verify(SignAsymmetric(key, es, Claims(kNow + 60)), kNow).ok());
    CHECK(!(*v)->Verify(SignAsymmetric(key, es, Claims(kNow - 60)), kNow).ok());
    // An HS256 token "signed" with the public key text must not pass (alg confusion).
    CHECK(!(*v)->Verify(SignHs256(Claims(kNow + 60), PublicPem(key)), kNow).ok());
    EVP_PKEY* other = Keygen(!es);
    CHECK(!(*v)->Verify(SignAsymmetric(other, es, Claims(kNow + 60)), kNow).ok());
    EVP_PKEY_free(other);
    EVP_PKEY_free(key);
  }
}

TEST_CASE("ES256 and RS256 with a JWKS file, key chosen by kid", "[jwt]") {
  EVP_PKEY* ec = Keygen(false);
  EVP_PKEY* rsa = Keygen(true);
  unsigned char pub[65];
  size_t pub_len = 0;
  EVP_PKEY_get_octet_string_param(ec, OSSL_PKEY_PARAM_PUB_KEY, pub, sizeof(pub), &pub_len);
  REQUIRE(pub_len == 65);
  BIGNUM* n = nullptr;
  BIGNUM* e = nullptr;
  EVP_PKEY_get_bn_param(rsa, OSSL_PKEY_PARAM_RSA_N, &n);
  EVP_PKEY_get_bn_param(rsa, OSSL_PKEY_PARAM_RSA_E, &e);
  auto bn = [](const BIGNUM* b) {
    std::string s(static_cast<size_t>(BN_num_bytes(b)), '\0');
    BN_bn2bin(b, reinterpret_cast<unsigned char*>(s.data()));
    return Base64UrlEncode(s);
  };
  std::string raw(reinterpret_cast<char*>(pub), pub_len);
  nlohmann::json jwks = {{"keys",
                          {{{"kty", "EC"},
                            {"crv", "P-256"},
                            {"kid", "ec1"},
                            {"x", Base64UrlEncode(raw.substr(1, 32))},
                            {"y", Base64UrlEncode(raw.substr(33, 32))}},
                           {{"kty", "RSA"}, {"kid", "rsa1"}, {"n", bn(n)}, {"e", bn(e)}}}}};
  SessionConfig c = Hs256();
  c.jwt_alg = JwtAlg::kEs256;
  auto v = JwtVerifier::Create(c, "", "", jwks.dump());
  REQUIRE(v.ok());
  CHECK((*v)->Verify(SignAsymmetric(ec, true, Claims(kNow + 60), "ec1"), kNow).ok());
  CHECK(!(*v)->Verify(SignAsymmetric(ec, true, Claims(kNow + 60), "nope"), kNow).ok());
  c.jwt_alg = JwtAlg::kRs256;
  auto vr = JwtVerifier::Create(c, "", "", jwks.dump());
  REQUIRE(vr.ok());
  CHECK((*vr)->Verify(SignAsymmetric(rsa, false, Claims(kNow + 60), "rsa1"), kNow).ok());
  BN_free(n);
  BN_free(e);
  EVP_PKEY_free(ec);
  EVP_PKEY_free(rsa);
}

}  // namespace leakproof::proxy
