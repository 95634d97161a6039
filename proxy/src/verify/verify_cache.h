// On-disk cache of --verify results, so a rerun does not send the key again. Keyed by a
// keyed hash of (provider, secret, partner) with the installation's secret_hash key: the
// file holds no key and nothing an offline guesser can test a candidate against. Written
// 0600 through a temporary file. Errors are not cached. Not thread-safe: the verifier
// reads it before and writes it after the requests. Only provider answers are cached.
#pragma once

#include "leakproof/scanner/finding.h"
#include "leakproof/scanner/secret_hash.h"

#include <chrono>
#include <map>
#include <optional>
#include <string>

namespace leakproof::proxy::verify {

class VerifyCache {
 public:
  // `dir` "" = $XDG_CACHE_HOME/leakproof or ~/.cache/leakproof; "-" = no cache.
  VerifyCache(const std::string& dir, std::chrono::seconds ttl);

  // The cache key for one check.
  std::string Key(const std::string& provider, const std::string& secret,
                  const std::string& partner) const;
  std::optional<scanner::Verification> Find(const std::string& key) const;
  void Put(const std::string& key, const scanner::Verification& v);
  // Writes the file if anything changed; false on a write error.
  bool Save();
  const std::string& path() const { return path_; }

 private:
  std::string path_;  // "" when disabled
  std::chrono::seconds ttl_;
  scanner::SecretHashKey hash_key_;
  struct Entry {
    scanner::Verification v;
    long long expires = 0;  // unix seconds
  };
  std::map<std::string, Entry> entries_;
  bool dirty_ = false;
};

}  // namespace leakproof::proxy::verify
