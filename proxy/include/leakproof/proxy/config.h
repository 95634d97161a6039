// The proxy's configuration (`bff.toml`), as documented in docs/proxy-config.md.
//
// ParseConfig is pure (text in, Config or an error naming the key out) so it can be unit
// tested and fuzzed; LoadConfig adds the file read. A Config holds secret *references*
// only, never secret values, so it is safe to copy and log. Plain value type.
#pragma once

#include "leakproof/scanner/status.h"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace leakproof::proxy {

using scanner::Result;
using scanner::Status;

struct ServerConfig {
  std::string listen_host = "127.0.0.1";
  uint16_t listen_port = 8787;
  std::string tls_cert;  // PEM chain; non-empty together with tls_key -> HTTPS listener
  std::string tls_key;
  int threads = 0;  // 0 = hardware concurrency
  int max_connections = 1024;
  int max_header_bytes = 16384;
  int header_timeout_ms = 10000;
  int body_timeout_ms = 30000;
  int idle_timeout_ms = 60000;
  int upstream_timeout_ms = 60000;
};

enum class SessionMode { kJwt, kForwardAuth };
enum class JwtAlg { kHs256, kRs256, kEs256 };

struct SessionConfig {
  SessionMode mode = SessionMode::kJwt;
  std::string cookie = "__Host-session";
  JwtAlg jwt_alg = JwtAlg::kHs256;
  std::string jwt_secret;  // secret reference (HS256)
  std::string jwt_public_key_file;
  std::string jwks_file;
  std::string issuer;
  std::string audience;
  int leeway_seconds = 30;
  std::string forward_auth_url;
  int forward_auth_cache_seconds = 10;
};

struct CsrfConfig {
  std::string header = "X-Requested-With";
  std::string value = "leakproof";
  std::vector<std::string> allowed_origins;
};

struct VaultConfig {
  std::string address;  // empty = no Vault configured
  std::string token;    // secret reference: env: or file:
  std::string nspace;
  std::string ca_file;
  int refresh_seconds = 300;
};

// How the credential is presented upstream: the rule schema's `auth` values.
enum class AuthKind { kBearer, kBasic, kHeader, kQuery, kPath };

struct CredentialConfig {
  std::string source;  // env:NAME | file:/path | vault:<mount>/data/<path>#<field>
  AuthKind auth = AuthKind::kBearer;
  std::string auth_param;  // header name for kHeader, parameter name for kQuery
  bool basic_key_is_username = true;
  std::string basic_username;
  // auth = "basic", basic_role = "password": the user name is a second secret reference
  // (Twilio Account SID / API key SID beside its token), read like `source`.
  std::string basic_username_source;
  std::string auth_prefix;
  std::vector<std::pair<std::string, std::string>> extra_headers;
};

struct RateLimitConfig {
  int per_session_per_minute = 0;  // 0 = unlimited
  int per_ip_per_minute = 0;
  int global_per_minute = 0;
};

// A parsed upstream base URL: scheme://host[:port][/base/path].
struct UpstreamUrl {
  bool tls = true;
  std::string host;
  uint16_t port = 443;
  std::string base_path;  // no trailing slash; may contain "{key}" for AuthKind::kPath
};

struct RouteConfig {
  std::string name;
  UpstreamUrl upstream;
  std::vector<std::string> methods;
  std::vector<std::string> paths;
  std::vector<std::string> query;
  int64_t max_body_bytes = 1 << 20;
  int timeout_ms = 0;
  // Request headers forwarded on top of the default set (see IsForwardedRequestHeader),
  // and upstream response headers passed back on top of the default safe set.
  std::vector<std::string> forward_headers;
  std::vector<std::string> return_headers;
  // `http://` to a host outside loopback sends the credential in clear text; refused
  // unless this lab-only opt-in is set (and then warned about at every start).
  bool allow_insecure_upstream = false;
  // Mobile clients: also accept the session JWT as `Authorization: Bearer <jwt>`.
  bool mobile = false;
  std::map<std::string, double> json_caps;
  RateLimitConfig rate_limit;
  CredentialConfig credential;
};

struct AuditConfig {
  std::string path = "stderr";
};

// Top-level `[rate_limit]`: where the routes' budgets live. The in-memory store keeps them
// per process; a Redis store shares them between replicas (docs/proxy.md, "Replicas and
// shared budgets").
struct BudgetStoreConfig {
  bool redis = false;  // false = in-memory (the default)
  std::string redis_host;
  uint16_t redis_port = 6379;
  int redis_db = 0;
  std::string key_prefix = "leakproof:rl:";
  int connect_timeout_ms = 10;
  int command_timeout_ms = 5;
  int pool_size = 0;          // Redis connections; 0 = server.threads
  int retry_after_ms = 1000;  // after a store error, the store is not tried again for this long
  // When the store cannot answer: true = let the request through the replica's own
  // in-memory budget ("open"), false = refuse it with 503 ("closed").
  bool global_fail_open = false;     // on_store_error (global budgets)
  bool per_client_fail_open = true;  // on_store_error_per_client (session and IP budgets)
};

// `[monitoring]`: usage metrics and the optional `anomaly` audit event.
struct MonitoringConfig {
  int session_buckets = 16;         // sessions are hashed into this many /metrics buckets
  bool anomaly = false;             // off by default
  double anomaly_factor = 10;       // a session above factor x the route's per-session baseline...
  int anomaly_window_seconds = 60;  // ...within one window of this length
  int anomaly_min_requests = 20;    // and at least this many requests in the window
};

struct Config {
  ServerConfig server;
  SessionConfig session;
  CsrfConfig csrf;
  AuditConfig audit;
  VaultConfig vault;
  BudgetStoreConfig budget_store;
  MonitoringConfig monitoring;
  std::vector<RouteConfig> routes;
  // Accepted but dangerous settings (e.g. allow_insecure_upstream), one line each; the
  // CLI prints them at every start and on --check.
  std::vector<std::string> warnings;
};

// Parses and validates config text. `origin` (usually the file name) prefixes errors:
// "bff.toml: routes[1].credential.auth: unknown auth kind \"x\"".
Result<Config> ParseConfig(std::string_view text, std::string_view origin);
Result<Config> LoadConfig(const std::string& path);

// True for "localhost", 127.0.0.0/8, ::1 and ::ffff:127.x.y.z.
bool IsLoopbackHost(std::string_view host);

// Why `origin` can never equal a browser's Origin header ("" when it can): an Origin is
// exactly scheme://host[:port], lower case, without path, trailing slash or default port.
std::string OriginProblem(std::string_view origin);

// Parses "http(s)://host[:port][/path]"; exposed for tests and the Vault client.
Result<UpstreamUrl> ParseUpstreamUrl(std::string_view url);

}  // namespace leakproof::proxy
