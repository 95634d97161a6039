#include "extract/keystore/bks_keystore.h"

#include "extract/keystore/common_passwords.h"
#include "extract/keystore/java_data_reader.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pkcs12.h>

#include <cstdint>
#include <vector>

namespace leakproof::scanner::keystore {
namespace {

constexpr std::size_t kSaltBytes = 20;
constexpr std::size_t kEntriesStart = 4 + 4 + kSaltBytes + 4;
constexpr std::size_t kMacBytes = 20;
constexpr std::uint32_t kMaxChain = 64;
constexpr std::size_t kMaxEntries = 4096;

std::uint32_t U32At(std::string_view b, std::size_t off) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<std::uint8_t>(b[off + i]);
  return v;
}

// Walks the entries; the offset just past the terminating 0 type byte, or nothing.
std::optional<std::size_t> WalkEntries(std::string_view b, KeystoreSummary& s) {
  JavaDataReader r(b, kEntriesStart);
  for (std::size_t i = 0;; ++i) {
    auto type = r.U8();
    if (!type) return std::nullopt;
    if (*type == 0) return r.pos();
    if (*type > 4 || i >= kMaxEntries) return std::nullopt;
    auto alias = r.Utf();
    if (!alias || !r.Skip(8)) return std::nullopt;
    auto chain = r.U32();
    if (!chain || *chain > kMaxChain) return std::nullopt;
    for (std::uint32_t c = 0; c < *chain; ++c) {
      if (!r.Utf() || !r.Blob()) return std::nullopt;
    }
    EntryKind kind = EntryKind::kUnknown;
    if (*type == 1) {
      kind = EntryKind::kCertificate;
      if (!r.Utf() || !r.Blob()) return std::nullopt;
    } else if (*type == 2) {
      auto key_type = r.U8();  // 0 private, 1 public, 2 secret
      if (!key_type || !r.Utf() || !r.Utf() || !r.Blob()) return std::nullopt;
      kind = *key_type == 0   ? EntryKind::kPrivateKey
             : *key_type == 2 ? EntryKind::kSecretKey
                              : EntryKind::kCertificate;  // a public key: nothing secret
    } else {
      // 3: raw secret bytes; 4: a sealed (password-encrypted) key, in practice private.
      kind = *type == 3 ? EntryKind::kSecretKey : EntryKind::kPrivateKey;
      if (!r.Blob()) return std::nullopt;
    }
    s.entries.push_back({*alias, kind});
  }
}

bool MacMatches(std::string_view password, std::string_view salt, int iterations, int key_bytes,
                std::string_view entries, std::string_view stored) {
  // PKCS12PasswordToBytes: UTF-16BE plus a two-byte NUL; nothing at all when empty.
  std::vector<unsigned char> pass;
  for (char c : password) {
    pass.push_back(0);
    pass.push_back(static_cast<unsigned char>(c));
  }
  if (!pass.empty()) pass.insert(pass.end(), {0, 0});
  unsigned char key[kMacBytes];
  std::vector<unsigned char> salt_bytes(salt.begin(), salt.end());
  if (PKCS12_key_gen_uni(pass.empty() ? nullptr : pass.data(), static_cast<int>(pass.size()),
                         salt_bytes.data(), static_cast<int>(salt_bytes.size()), PKCS12_MAC_ID,
                         iterations, key_bytes, key, EVP_sha1()) != 1) {
    return false;
  }
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (HMAC(EVP_sha1(), key, key_bytes, reinterpret_cast<const unsigned char*>(entries.data()),
           entries.size(), mac, &n) == nullptr) {
    return false;
  }
  return n == stored.size() && std::string_view(reinterpret_cast<const char*>(mac), n) == stored;
}

}  // namespace

bool IsBksMagic(std::string_view b) {
  if (b.size() < kEntriesStart + 1 + kMacBytes) return false;
  const std::uint32_t version = U32At(b, 0);
  const std::uint32_t iterations = U32At(b, 4 + 4 + kSaltBytes);
  return (version == 1 || version == 2) && U32At(b, 4) == kSaltBytes && iterations > 0 &&
         iterations <= (1u << 20) && static_cast<std::uint8_t>(b[kEntriesStart]) <= 4;
}

std::optional<KeystoreSummary> ReadBks(std::string_view b, const std::string& store_name,
                                       std::string& error) {
  if (!IsBksMagic(b)) {
    error = "BKS: not a BKS header";
    return std::nullopt;
  }
  KeystoreSummary s;
  s.type = "BKS";
  const std::optional<std::size_t> end = WalkEntries(b, s);
  if (!end || *end + kMacBytes > b.size()) {
    error = "BKS: entries unreadable (truncated, or an UBER store, which is encrypted whole)";
    return std::nullopt;
  }
  const std::uint32_t version = U32At(b, 0);
  const std::uint32_t iterations = U32At(b, 4 + 4 + kSaltBytes);
  const std::size_t fit = CandidatesWithin(iterations);
  if (fit == 0) {
    s.note = "iteration count " + std::to_string(iterations) + " over the cap; passwords not tried";
    return s;
  }
  const std::string_view salt = b.substr(8, kSaltBytes);
  const std::string_view entries = b.substr(kEntriesStart, *end - kEntriesStart);
  const std::string_view stored = b.substr(*end, kMacBytes);
  const int key_bytes = version == 2 ? 20 : 2;
  std::vector<std::string> names{store_name};
  for (const KeystoreEntry& e : s.entries) names.push_back(e.alias);
  std::vector<std::string> candidates = PasswordCandidates(names);
  if (fit < candidates.size()) {
    s.note = "iteration count " + std::to_string(iterations) + ": only " + std::to_string(fit) +
             " passwords tried";
    candidates.resize(fit);
  }
  for (const std::string& p : candidates) {
    if (MacMatches(p, salt, static_cast<int>(iterations), key_bytes, entries, stored)) {
      s.password = p;
      break;
    }
  }
  return s;
}

}  // namespace leakproof::scanner::keystore
