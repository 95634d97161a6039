// SecretHash: a keyed hash of a secret, for telling that two findings are the same key
// (across files, archives and runs on one machine) without publishing anything an
// offline guesser could test a candidate password against.
//
//   SecretHashKey key = LoadSecretHashKey("");   // env, else ~/.cache/leakproof, else per run
//   f.secret_hash = SecretHash(key, f.secret);
//
// The hash goes in JSON/JSONL reports only; SARIF (uploaded to a code host) never has it.
#pragma once

#include <string>
#include <string_view>

namespace leakproof::scanner {

struct SecretHashKey {
  std::string key;
  // Where the key came from, as reports name it: "env" (LEAKPROOF_HASH_KEY), "installation"
  // (a random key kept in the cache directory, created 0600) or "run" (random, this run
  // only: hashes then correlate findings within one report but not across reports).
  const char* source = "run";
};

// LEAKPROOF_HASH_KEY if set and non-empty; else the key file "secret-hash.key" in
// `cache_dir` ("" the default $XDG_CACHE_HOME/leakproof or ~/.cache/leakproof, "-" none),
// created on first use; else a fresh random key.
SecretHashKey LoadSecretHashKey(const std::string& cache_dir);

// HMAC-SHA256(key, secret), the first 128 bits in hex.
std::string SecretHash(const SecretHashKey& key, std::string_view secret);

}  // namespace leakproof::scanner
