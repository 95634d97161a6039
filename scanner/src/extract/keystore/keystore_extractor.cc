// The keystore extractor: a keystore inside an app is a private key anyone can unpack,
// guarded only by its password. It is recognised by content (JKS/JCEKS magic, the
// PKCS#12 PFX header, the BKS header), never by extension, read for its entries, and
// tried offline with the empty password and a short list of common ones
// (common_passwords.h).
//
// Its one child is a verdict segment (extract/verdict_segments.h): `keystore-open` when
// a candidate opened a keystore that holds a private or secret key, `keystore-locked`
// when none did. Truststores (certificates only) are not reported: shipping a CA or a
// pinned certificate is normal. The secret is the SHA-256 of the keystore file, which
// names the file across reports (and secret_hash correlates copies) without showing key
// bytes; the label says what was found, and which candidate opened it. That candidate
// is printed: it is a public default or a name from the file itself, so it tells a
// reader nothing an attacker would not try first.
#include "extract/keystore/keystore_extractor.h"

#include "extract/keystore/bks_keystore.h"
#include "extract/keystore/common_passwords.h"
#include "extract/keystore/java_keystore.h"
#include "extract/keystore/pkcs12_keystore.h"
#include "extract/verdict_segments.h"

#include <openssl/sha.h>

#include <optional>
#include <string>

namespace leakproof::scanner {
namespace {

// Real keystores are a few KB (a JDK cacerts file ~200 KB); beyond this the file is not
// read, so one hostile member cannot make every password candidate hash megabytes.
constexpr std::uint64_t kMaxKeystoreBytes = 4u << 20;
constexpr std::size_t kMaxLabelEntries = 8;

std::string Sha256Hex(std::string_view bytes) {
  unsigned char d[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), d);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : d) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

const char* KindName(keystore::EntryKind k) {
  switch (k) {
    case keystore::EntryKind::kPrivateKey:
      return "private key";
    case keystore::EntryKind::kSecretKey:
      return "secret key";
    case keystore::EntryKind::kCertificate:
      return "certificate";
    case keystore::EntryKind::kUnknown:
      break;
  }
  return "unknown";
}

// "JKS keystore, opens with password 'android'; entries: release (private key), ..."
std::string Label(const keystore::KeystoreSummary& s) {
  std::string label = s.type + " keystore, ";
  if (!s.password) {
    label += "no common password opens it";
  } else if (s.password->empty()) {
    label += "opens with the empty password";
  } else {
    label += "opens with password '" + *s.password + "'";
  }
  label += "; entries:";
  for (std::size_t i = 0; i < s.entries.size() && i < kMaxLabelEntries; ++i) {
    const keystore::KeystoreEntry& e = s.entries[i];
    label += i == 0 ? " " : ", ";
    label +=
        (e.alias.empty() ? std::string("(no alias)") : e.alias) + " (" + KindName(e.kind) + ")";
  }
  if (s.entries.size() > kMaxLabelEntries) {
    label += " and " + std::to_string(s.entries.size() - kMaxLabelEntries) + " more";
  }
  if (!s.contents_complete) label += " (not all entries readable)";
  if (!s.note.empty()) label += "; " + s.note;
  return label;
}

std::string MemberName(const Blob& blob) {
  const auto& chain = blob.provenance().chain();
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    if (!it->is_decoding) return it->name;
  }
  return {};
}

class KeystoreExtractor final : public Extractor {
 public:
  std::string_view name() const override { return "keystore"; }
  bool CanExtract(const Blob& blob) const override {
    const std::string_view b = blob.bytes();
    return keystore::IsJavaKeystoreMagic(b) || keystore::IsPkcs12Magic(b) ||
           keystore::IsBksMagic(b);
  }

  Status Extract(const Blob& blob, ExtractContext& ctx, const ChildSink& emit) const override {
    const std::string_view b = blob.bytes();
    if (b.size() > kMaxKeystoreBytes) {
      ctx.Diagnose(blob.provenance(), DiagnosticLevel::kWarning, StatusCode::kLimitExceeded,
                   "keystore: " + std::to_string(b.size()) + " bytes is over the " +
                       std::to_string(kMaxKeystoreBytes) + "-byte cap; not opened");
      return Status::Ok();
    }
    const std::string store = keystore::StoreName(MemberName(blob));
    std::optional<keystore::KeystoreSummary> s;
    std::string error;
    if (keystore::IsJavaKeystoreMagic(b)) {
      s = keystore::ReadJavaKeystore(b, store);
    } else if (keystore::IsPkcs12Magic(b)) {
      s = keystore::ReadPkcs12(b, store, error);
    } else if (keystore::IsBksMagic(b)) {
      s = keystore::ReadBks(b, store, error);
    } else {
      return Status::Corrupt("keystore: no JKS, JCEKS, PKCS#12 or BKS header");
    }
    if (!s && keystore::IsBksMagic(b) && !keystore::IsJavaKeystoreMagic(b) &&
        !keystore::IsPkcs12Magic(b)) {
      // The BKS header is only 32 bytes of small integers: another binary can carry it,
      // and an UBER store (encrypted after the same header) is no error either.
      ctx.Diagnose(blob.provenance(), DiagnosticLevel::kInfo, StatusCode::kCorrupt,
                   "keystore: " + error);
      return Status::Ok();
    }
    if (!s) return Status::Corrupt("keystore: " + error);
    if (!keystore::HoldsKey(*s)) return Status::Ok();  // a truststore: nothing secret
    const std::string_view verdict = s->password ? kVerdictKeystoreOpen : kVerdictKeystoreLocked;
    SegmentedBlobBuilder out;
    out.Add(VerdictSegment(verdict, Sha256Hex(b)), Label(*s));
    emit(std::move(out).Build(
        blob.provenance().Child({std::string(kKeystoreCheckOrigin), "", true})));
    return Status::Ok();
  }
};

}  // namespace

namespace keystore {
bool HoldsKey(const KeystoreSummary& s) {
  for (const KeystoreEntry& e : s.entries) {
    if (e.kind == EntryKind::kPrivateKey || e.kind == EntryKind::kSecretKey) return true;
  }
  return false;
}
}  // namespace keystore

std::unique_ptr<Extractor> NewKeystoreExtractor() { return std::make_unique<KeystoreExtractor>(); }

}  // namespace leakproof::scanner
