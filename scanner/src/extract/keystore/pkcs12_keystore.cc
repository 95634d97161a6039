#include "extract/keystore/pkcs12_keystore.h"

#include "extract/keystore/common_passwords.h"

#include <climits>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include <memory>
#include <optional>

namespace leakproof::scanner::keystore {
namespace {

constexpr int kMaxBagDepth = 4;

struct P12Free {
  void operator()(PKCS12* p) const { PKCS12_free(p); }
};
struct SafesFree {
  void operator()(STACK_OF(PKCS7) * s) const { sk_PKCS7_pop_free(s, PKCS7_free); }
};
struct BagsFree {
  void operator()(STACK_OF(PKCS12_SAFEBAG) * s) const {
    sk_PKCS12_SAFEBAG_pop_free(s, PKCS12_SAFEBAG_free);
  }
};
using Bags = std::unique_ptr<STACK_OF(PKCS12_SAFEBAG), BagsFree>;

long IntegerOr(const ASN1_INTEGER* i, long fallback) {
  if (i == nullptr) return fallback;
  const long v = ASN1_INTEGER_get(i);
  return v < 0 ? LONG_MAX : v;  // -1 is OpenSSL's "does not fit in a long"
}

// The iteration count a PBE AlgorithmIdentifier asks for (PKCS#5 v1/PKCS#12 PBE, or
// PBES2 with PBKDF2); LONG_MAX when it cannot be read, so the caller does not run it.
long PbeIterations(const X509_ALGOR* alg) {
  const ASN1_OBJECT* oid = nullptr;
  int ptype = 0;
  const void* pval = nullptr;
  X509_ALGOR_get0(&oid, &ptype, &pval, alg);
  if (ptype != V_ASN1_SEQUENCE || pval == nullptr) return LONG_MAX;
  ASN1_TYPE param;
  param.type = V_ASN1_SEQUENCE;
  param.value.sequence = const_cast<ASN1_STRING*>(static_cast<const ASN1_STRING*>(pval));
  if (OBJ_obj2nid(oid) == NID_pbes2) {
    PBE2PARAM* p2 =
        static_cast<PBE2PARAM*>(ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBE2PARAM), &param));
    if (p2 == nullptr) return LONG_MAX;
    long iter = LONG_MAX;
    const ASN1_OBJECT* kdf = nullptr;
    int ktype = 0;
    const void* kval = nullptr;
    X509_ALGOR_get0(&kdf, &ktype, &kval, p2->keyfunc);
    if (OBJ_obj2nid(kdf) == NID_id_pbkdf2 && ktype == V_ASN1_SEQUENCE && kval != nullptr) {
      ASN1_TYPE kparam;
      kparam.type = V_ASN1_SEQUENCE;
      kparam.value.sequence = const_cast<ASN1_STRING*>(static_cast<const ASN1_STRING*>(kval));
      PBKDF2PARAM* k = static_cast<PBKDF2PARAM*>(
          ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBKDF2PARAM), &kparam));
      if (k != nullptr) iter = IntegerOr(k->iter, LONG_MAX);
      PBKDF2PARAM_free(k);
    }
    PBE2PARAM_free(p2);
    return iter;
  }
  PBEPARAM* p = static_cast<PBEPARAM*>(ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBEPARAM), &param));
  const long iter = p != nullptr ? IntegerOr(p->iter, LONG_MAX) : LONG_MAX;
  PBEPARAM_free(p);
  return iter;
}

void ListBags(const STACK_OF(PKCS12_SAFEBAG) * bags, int depth, KeystoreSummary& s) {
  for (int i = 0; i < sk_PKCS12_SAFEBAG_num(bags); ++i) {
    PKCS12_SAFEBAG* bag = sk_PKCS12_SAFEBAG_value(bags, i);
    EntryKind kind = EntryKind::kUnknown;
    switch (PKCS12_SAFEBAG_get_nid(bag)) {
      case NID_keyBag:
      case NID_pkcs8ShroudedKeyBag:
        kind = EntryKind::kPrivateKey;
        break;
      case NID_certBag:
        kind = EntryKind::kCertificate;
        break;
      case NID_secretBag:
        kind = EntryKind::kSecretKey;
        break;
      case NID_safeContentsBag:
        if (depth < kMaxBagDepth) ListBags(PKCS12_SAFEBAG_get0_safes(bag), depth + 1, s);
        continue;
      default:
        continue;  // CRL bags and unknown bags hold nothing secret
    }
    std::string alias;
    if (char* name = PKCS12_get_friendlyname(bag)) {
      alias = name;
      OPENSSL_free(name);
    }
    s.entries.push_back({alias, kind});
  }
}

bool VerifyMac(PKCS12* p12, const std::string& p) {
  // OpenSSL tells "no password" (nullptr) from the empty one (a lone BMP NUL); tools
  // write either, so the empty candidate tries both.
  if (p.empty())
    return PKCS12_verify_mac(p12, nullptr, 0) == 1 || PKCS12_verify_mac(p12, "", 0) == 1;
  return PKCS12_verify_mac(p12, p.c_str(), static_cast<int>(p.size())) == 1;
}

}  // namespace

bool IsPkcs12Magic(std::string_view b) {
  if (b.size() < 24 || static_cast<std::uint8_t>(b[0]) != 0x30) return false;
  // Outer length: short form, long form of 1-4 bytes, or BER indefinite (0x80).
  std::size_t pos = 1;
  const auto len0 = static_cast<std::uint8_t>(b[1]);
  if (len0 > 0x80) {
    if (len0 > 0x84) return false;
    pos += 1 + (len0 & 0x7F);
  } else {
    pos += 1;
  }
  if (b.substr(pos, 4) != std::string_view("\x02\x01\x03\x30", 4)) return false;
  // id-data, 1.2.840.113549.1.7.1, opens the authSafe ContentInfo a few bytes later.
  static constexpr std::string_view kIdData("\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x01", 11);
  return b.substr(pos, 32).find(kIdData) != std::string_view::npos;
}

std::optional<KeystoreSummary> ReadPkcs12(std::string_view bytes, const std::string& store_name,
                                          std::string& error) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  std::unique_ptr<PKCS12, P12Free> p12(d2i_PKCS12(nullptr, &p, static_cast<long>(bytes.size())));
  if (!p12) {
    error = "PKCS#12: not a valid PFX structure";
    return std::nullopt;
  }
  KeystoreSummary s;
  s.type = "PKCS#12";
  std::unique_ptr<STACK_OF(PKCS7), SafesFree> safes(PKCS12_unpack_authsafes(p12.get()));
  if (!safes) {
    error = "PKCS#12: authSafe contents unreadable";
    return std::nullopt;
  }
  // Plain parts first: their key bags and aliases also feed the password candidates.
  int encrypted = 0;
  for (int i = 0; i < sk_PKCS7_num(safes.get()); ++i) {
    PKCS7* p7 = sk_PKCS7_value(safes.get(), i);
    if (PKCS7_type_is_data(p7)) {
      Bags bags(PKCS12_unpack_p7data(p7));
      if (bags) ListBags(bags.get(), 0, s);
    } else {
      ++encrypted;
    }
  }
  std::vector<std::string> names{store_name};
  for (const KeystoreEntry& e : s.entries) names.push_back(e.alias);
  if (PKCS12_mac_present(p12.get()) == 1) {
    const ASN1_INTEGER* iter = nullptr;
    PKCS12_get0_mac(nullptr, nullptr, nullptr, &iter, p12.get());
    const long mac_iter = IntegerOr(iter, 1);
    std::vector<std::string> candidates = PasswordCandidates(names);
    // The empty candidate runs the MAC twice (see VerifyMac).
    const std::size_t fit = CandidatesWithin(2 * static_cast<std::uint64_t>(mac_iter));
    if (fit == 0) {
      s.note =
          "MAC iteration count " + std::to_string(mac_iter) + " over the cap; passwords not tried";
      candidates.clear();
    } else if (fit < candidates.size()) {
      s.note = "MAC iteration count " + std::to_string(mac_iter) + ": only " + std::to_string(fit) +
               " passwords tried";
      candidates.resize(fit);
    }
    for (const std::string& candidate : candidates) {
      if (VerifyMac(p12.get(), candidate)) {
        s.password = candidate;
        break;
      }
    }
  } else {
    s.note = "no MAC: integrity unprotected";
  }
  // Encrypted parts, opened only with a password that passed the MAC.
  for (int i = 0; i < sk_PKCS7_num(safes.get()) && encrypted > 0; ++i) {
    PKCS7* p7 = sk_PKCS7_value(safes.get(), i);
    if (!PKCS7_type_is_encrypted(p7)) continue;
    const bool readable =
        s.password && p7->d.encrypted != nullptr && p7->d.encrypted->enc_data != nullptr &&
        PbeIterations(p7->d.encrypted->enc_data->algorithm) <= kMaxPkcs12Iterations;
    Bags bags;
    if (readable) {
      const std::string& pw = *s.password;
      bags.reset(PKCS12_unpack_p7encdata(p7, pw.c_str(), static_cast<int>(pw.size())));
      if (!bags && pw.empty()) bags.reset(PKCS12_unpack_p7encdata(p7, nullptr, 0));
    }
    if (bags) {
      ListBags(bags.get(), 0, s);
    } else {
      s.contents_complete = false;
    }
  }
  return s;
}

}  // namespace leakproof::scanner::keystore
