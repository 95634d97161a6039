#include "extract/keystore/java_keystore.h"

#include "extract/keystore/common_passwords.h"
#include "extract/keystore/java_data_reader.h"

#include <openssl/evp.h>

#include <cstdint>
#include <memory>
#include <optional>

namespace leakproof::scanner::keystore {
namespace {

constexpr std::uint32_t kJksMagic = 0xFEEDFEEDu;
constexpr std::uint32_t kJceksMagic = 0xCECECECEu;
constexpr std::size_t kDigestBytes = 20;
// More entries than this are not walked (the digest check still covers the file).
constexpr std::uint32_t kMaxEntries = 4096;
constexpr std::uint32_t kMaxChain = 64;

bool SkipCertificate(JavaDataReader& r, std::uint32_t version) {
  if (version == 2 && !r.Utf()) return false;
  auto len = r.U32();
  return len && r.Skip(*len);
}

// Walks the entries; false when the walk stopped early (truncated, unknown tag, or a
// JCEKS secret key, whose serialized form has no length).
bool WalkEntries(std::string_view bytes, KeystoreSummary& s) {
  JavaDataReader r(bytes.substr(0, bytes.size() - kDigestBytes));
  r.Skip(4);
  const std::uint32_t version = r.U32().value_or(0);
  const std::uint32_t count = r.U32().value_or(0);
  for (std::uint32_t i = 0; i < count; ++i) {
    if (i >= kMaxEntries) {
      s.note = "more than " + std::to_string(kMaxEntries) + " entries; rest not listed";
      return false;
    }
    auto tag = r.U32();
    auto alias = r.Utf();
    if (!tag || !alias || !r.Skip(8)) return false;
    if (*tag == 1) {
      s.entries.push_back({*alias, EntryKind::kPrivateKey});
      auto key_len = r.U32();
      if (!key_len || !r.Skip(*key_len)) return false;
      auto chain = r.U32();
      if (!chain || *chain > kMaxChain) return false;
      for (std::uint32_t c = 0; c < *chain; ++c) {
        if (!SkipCertificate(r, version)) return false;
      }
    } else if (*tag == 2) {
      s.entries.push_back({*alias, EntryKind::kCertificate});
      if (!SkipCertificate(r, version)) return false;
    } else if (*tag == 3) {
      s.entries.push_back({*alias, EntryKind::kSecretKey});
      s.note = "entries after a secret key not listed";
      return false;
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

bool IsJavaKeystoreMagic(std::string_view b) {
  if (b.size() < 12 + kDigestBytes) return false;
  std::uint32_t magic = 0;
  for (int i = 0; i < 4; ++i) magic = (magic << 8) | static_cast<std::uint8_t>(b[i]);
  const auto version = static_cast<std::uint8_t>(b[7]);
  return (magic == kJksMagic || magic == kJceksMagic) && b[4] == 0 && b[5] == 0 && b[6] == 0 &&
         (version == 1 || version == 2);
}

std::string JavaKeystoreDigest(std::string_view password, std::string_view body) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  std::string utf16;
  for (char c : password) {  // candidates are ASCII, so UTF-16BE is 0x00 + the byte
    utf16.push_back('\0');
    utf16.push_back(c);
  }
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha1(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), utf16.data(), utf16.size()) != 1 ||
      EVP_DigestUpdate(ctx.get(), "Mighty Aphrodite", 16) != 1 ||
      EVP_DigestUpdate(ctx.get(), body.data(), body.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), out, &n) != 1) {
    return {};
  }
  return std::string(reinterpret_cast<const char*>(out), n);
}

KeystoreSummary ReadJavaKeystore(std::string_view bytes, const std::string& store_name) {
  KeystoreSummary s;
  s.type = static_cast<std::uint8_t>(bytes[0]) == 0xFE ? "JKS" : "JCEKS";
  s.contents_complete = WalkEntries(bytes, s);
  std::vector<std::string> names{store_name};
  for (const KeystoreEntry& e : s.entries) names.push_back(e.alias);
  const std::string_view body = bytes.substr(0, bytes.size() - kDigestBytes);
  const std::string_view stored = bytes.substr(bytes.size() - kDigestBytes);
  for (const std::string& p : PasswordCandidates(names)) {
    if (JavaKeystoreDigest(p, body) == stored) {
      s.password = p;
      break;
    }
  }
  return s;
}

}  // namespace leakproof::scanner::keystore
