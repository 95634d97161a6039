// Runtime: one immutable snapshot of "what the proxy is configured to do" — the parsed
// config, its secret store, session verifier and audit sink. A request takes a
// shared_ptr to the current snapshot at its start and uses it to the end, so a SIGHUP
// reload swaps snapshots without locking the data path; the old snapshot (and its
// secrets, which are wiped on release) dies with its last request. Thread-safe.
#pragma once

#include "leakproof/proxy/audit_log.h"
#include "leakproof/proxy/config.h"
#include "leakproof/proxy/jwt.h"
#include "leakproof/proxy/redis_budget_store.h"
#include "leakproof/proxy/secret_store.h"

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace leakproof::proxy {

class Runtime {
 public:
  // Builds a snapshot: opens the audit sink, reads key files, loads every secret once
  // and starts the refresh thread. Fails, naming the key, on what can never start to
  // work: an audit path that cannot be opened, an unreadable public key file, an `env:`
  // reference whose variable is unset (a running process's environment cannot change),
  // an HS256 session key that cannot be loaded or is shorter than kMinHs256KeyBytes.
  // A `file:` or `vault:` route secret that cannot be loaded is not an error (it may
  // appear later; its route answers 503). On reload `previous` is the snapshot being
  // replaced: its secret values are the last good values (SecretStore::Start).
  static Result<std::shared_ptr<Runtime>> Create(Config config, const Runtime* previous = nullptr);

  // RFC 7518 3.2: an HS256 key must be at least as long as the hash output.
  static constexpr size_t kMinHs256KeyBytes = 32;

  const Config& config() const { return config_; }
  const RouteConfig* FindRoute(std::string_view name) const;
  SecretStore& secrets() const { return *secrets_; }
  AuditLog& audit() const { return *audit_; }
  // The shared (Redis) budget store; nullptr when budgets are kept in memory.
  RedisBudgetStore* shared_budgets() const { return shared_budgets_.get(); }

  // The session verifier for the current session key (HS256 keys can rotate like any
  // secret); nullptr when the key is not loaded.
  std::shared_ptr<const JwtVerifier> Verifier() const;

  // A route's credential references: `source`, plus `basic_username_source` for a key pair.
  static std::vector<std::string> CredentialRefs(const RouteConfig& route);
  // Every reference of the route's credential is loaded / one is served from a last good value.
  bool CredentialLoaded(const RouteConfig& route) const;
  bool CredentialStale(const RouteConfig& route) const;

  // True when every route's credential (and the session key) is loaded; `detail` lists
  // the route names that are not ready.
  bool Ready(std::string* detail) const;

  // Route names (and "session") currently served from a last good secret value because
  // the latest read failed; comma-separated, "" when none.
  std::string StaleNames() const;

 private:
  Status CheckSecretsAtStart() const;

  Config config_;
  std::map<std::string, const RouteConfig*, std::less<>> routes_;
  std::unique_ptr<SecretStore> secrets_;
  std::unique_ptr<AuditLog> audit_;
  std::unique_ptr<RedisBudgetStore> shared_budgets_;
  std::string public_key_pem_, jwks_json_;
  mutable std::mutex verifier_mu_;
  mutable const std::string* verifier_key_ = nullptr;  // identity of the key it was built from
  mutable SecretValue verifier_key_hold_;
  mutable std::shared_ptr<const JwtVerifier> verifier_;
};

// Value of cookie `name` in a Cookie header ("a=1; b=2"), or "" when absent.
std::string_view CookieValue(std::string_view cookie_header, std::string_view name);

// The token of an "Authorization: Bearer <token>" value (scheme case-insensitive, RFC 6750
// 2.1), or "" for any other scheme or an empty token.
std::string_view BearerToken(std::string_view authorization);

// Short, stable, non-reversible id for logs and rate-limit keys: hex(SHA-256(s))[0:16].
std::string HashId(std::string_view s);

}  // namespace leakproof::proxy
