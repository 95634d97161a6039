// Resolves secret references (env:, file:, vault:) to values and keeps them fresh.
//
// Values live in memory as shared_ptr<const std::string> whose deleter wipes the bytes
// (OPENSSL_cleanse): a rotated or reloaded secret is wiped as soon as the last in-flight
// request using it finishes. A background thread re-stats files every second (mtime,
// size, inode) and re-reads Vault every `vault.refresh_seconds`. Thread-safe.
// Values are validated (non-empty, <= 64 KiB, no CR/LF/NUL) because they end up in
// header lines, where a newline would be a header-injection vector.
#pragma once

#include "leakproof/proxy/config.h"

#include <memory>
#include <string>
#include <vector>

namespace leakproof::proxy {

using SecretValue = std::shared_ptr<const std::string>;

class SecretStore {
 public:
  // `refs`: every reference the config uses. Nothing is loaded until Start().
  SecretStore(std::vector<std::string> refs, VaultConfig vault);
  ~SecretStore();  // stops the thread; stored values are wiped
  SecretStore(const SecretStore&) = delete;
  SecretStore& operator=(const SecretStore&) = delete;

  // Loads every reference once (synchronously), then starts the refresh thread. With
  // `previous` (the store of the configuration being replaced on reload), a reference
  // that fails to load now but had a value there keeps that last good value and is
  // marked stale, so a SIGHUP during a brief secret-file swap cannot take a route down.
  void Start(const SecretStore* previous = nullptr);

  // The current value, or nullptr when the reference could not be loaded.
  SecretValue Get(const std::string& ref) const;
  // Why `ref` is not loaded (safe to log: names the reference, never a value); "" if ok.
  std::string Error(const std::string& ref) const;

  // True when `ref` is served from its last good value because the latest read failed.
  bool Stale(const std::string& ref) const;
  // "<ref>: <why>" for every stale reference (names references, never values).
  std::vector<std::string> StaleErrors() const;

  // Counters for /metrics.
  uint64_t reloads() const;
  uint64_t failures() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Reads one reference now (no caching); used for the Vault token and by tests.
Result<std::string> ReadSecretRef(const std::string& ref, const VaultConfig& vault,
                                  uint64_t* version = nullptr);

// Wraps `value` in a SecretValue whose deleter wipes it.
SecretValue MakeSecretValue(std::string value);

}  // namespace leakproof::proxy
