// What a keystore reader learned about one keystore file, for the keystore extractor's
// verdict and label (keystore_extractor.cc).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace leakproof::scanner::keystore {

enum class EntryKind { kPrivateKey, kSecretKey, kCertificate, kUnknown };

struct KeystoreEntry {
  std::string alias;  // "" when the format keeps none (a PKCS#12 bag without friendlyName)
  EntryKind kind = EntryKind::kUnknown;
};

struct KeystoreSummary {
  std::string type;                     // "JKS", "JCEKS", "PKCS#12", "BKS"
  std::vector<KeystoreEntry> entries;   // those the reader could see (may be partial)
  std::optional<std::string> password;  // the candidate that opened it ("" = empty)
  bool contents_complete = true;        // false: some entries stayed encrypted or unread
  std::string note;                     // why a check was skipped or stopped, for the label
};

bool HoldsKey(const KeystoreSummary& s);

}  // namespace leakproof::scanner::keystore
