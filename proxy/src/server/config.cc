// bff.toml -> Config. Strict on purpose: unknown keys, wrong types and out-of-range values
// are errors that name the key, because a silently ignored typo in a security config
// (say `allowed_orgins`) would quietly switch a check off.
#include "leakproof/proxy/config.h"

#include "leakproof/proxy/injection.h"

#include <toml++/toml.h>

#include <algorithm>
#include <arpa/inet.h>
#include <cctype>
#include <fstream>
#include <initializer_list>
#include <sstream>

namespace leakproof::proxy {
namespace {

// Collects the first error; every getter records "<origin>: <key>: <problem>".
class Reader {
 public:
  explicit Reader(std::string_view origin) : origin_(origin) {}

  bool failed() const { return !error_.empty(); }
  const std::string& error() const { return error_; }

  void Fail(const std::string& key, const std::string& what) {
    if (error_.empty()) error_ = origin_ + ": " + key + ": " + what;
  }

  // Rejects keys outside `allowed` so typos are caught.
  void CheckKeys(const toml::table& t, const std::string& prefix,
                 std::initializer_list<std::string_view> allowed) {
    for (const auto& [k, v] : t) {
      (void)v;
      if (std::find(allowed.begin(), allowed.end(), k.str()) == allowed.end()) {
        Fail(prefix + std::string(k.str()), "unknown key");
      }
    }
  }

  void Str(const toml::table& t, const std::string& prefix, std::string_view key,
           std::string& out) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return;
    if (auto v = n->value<std::string>(); v && n->is_string()) {
      out = *v;
    } else {
      Fail(prefix + std::string(key), "expected a string");
    }
  }

  void Int(const toml::table& t, const std::string& prefix, std::string_view key, int64_t lo,
           int64_t hi, int64_t& out) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return;
    if (!n->is_integer()) return Fail(prefix + std::string(key), "expected an integer");
    int64_t v = *n->value<int64_t>();
    if (v < lo || v > hi) {
      return Fail(prefix + std::string(key),
                  "out of range [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    }
    out = v;
  }

  void Int(const toml::table& t, const std::string& prefix, std::string_view key, int64_t lo,
           int64_t hi, int& out) {
    int64_t v = out;
    Int(t, prefix, key, lo, hi, v);
    out = static_cast<int>(v);
  }

  void Bool(const toml::table& t, const std::string& prefix, std::string_view key, bool& out) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return;
    if (!n->is_boolean()) return Fail(prefix + std::string(key), "expected true or false");
    out = *n->value<bool>();
  }

  void StrList(const toml::table& t, const std::string& prefix, std::string_view key,
               std::vector<std::string>& out) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return;
    const toml::array* a = n->as_array();
    if (a == nullptr) return Fail(prefix + std::string(key), "expected an array of strings");
    out.clear();
    for (const auto& e : *a) {
      if (!e.is_string()) return Fail(prefix + std::string(key), "expected an array of strings");
      out.push_back(*e.value<std::string>());
    }
  }

  const toml::table* Table(const toml::table& t, std::string_view key, const std::string& name) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return nullptr;
    if (!n->is_table()) Fail(name, "expected a table");
    return n->as_table();
  }

 private:
  std::string origin_;
  std::string error_;
};

bool IsToken(std::string_view s) {  // RFC 9110 token (header names, methods)
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  });
}

bool IsSafeHeaderValue(std::string_view s) {
  return std::none_of(s.begin(), s.end(),
                      [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
}

bool IsSecretRef(std::string_view s) {
  return (s.starts_with("env:") && s.size() > 4) || (s.starts_with("file:/") && s.size() > 6) ||
         (s.starts_with("vault:") && s.find("/data/") != std::string_view::npos &&
          s.find('#') != std::string_view::npos && s.back() != '#');
}

void ParseServer(Reader& r, const toml::table& t, ServerConfig& s) {
  const std::string p = "server.";
  r.CheckKeys(t, p,
              {"listen", "tls_cert", "tls_key", "threads", "max_connections", "max_header_bytes",
               "header_timeout_ms", "body_timeout_ms", "idle_timeout_ms", "upstream_timeout_ms"});
  std::string listen;
  r.Str(t, p, "listen", listen);
  if (!listen.empty()) {
    size_t colon = listen.rfind(':');
    std::string host = colon == std::string::npos ? "" : listen.substr(0, colon);
    std::string port = colon == std::string::npos ? "" : listen.substr(colon + 1);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
      host = host.substr(1, host.size() - 2);
    }
    int port_num = 0;
    if (!port.empty() && port.size() <= 5 &&
        std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      port_num = std::stoi(port);
    }
    if (host.empty() || port.empty() || port_num < 0 || port_num > 65535) {
      r.Fail(p + "listen", "expected host:port, e.g. \"127.0.0.1:8787\"");
    } else {
      s.listen_host = host;
      s.listen_port = static_cast<uint16_t>(port_num);
    }
  }
  r.Str(t, p, "tls_cert", s.tls_cert);
  r.Str(t, p, "tls_key", s.tls_key);
  if (s.tls_cert.empty() != s.tls_key.empty()) {
    r.Fail(p + (s.tls_cert.empty() ? "tls_cert" : "tls_key"),
           "tls_cert and tls_key must be set together");
  }
  r.Int(t, p, "threads", 0, 256, s.threads);
  r.Int(t, p, "max_connections", 1, 1000000, s.max_connections);
  r.Int(t, p, "max_header_bytes", 1024, 1 << 20, s.max_header_bytes);
  r.Int(t, p, "header_timeout_ms", 1, 3600000, s.header_timeout_ms);
  r.Int(t, p, "body_timeout_ms", 1, 3600000, s.body_timeout_ms);
  r.Int(t, p, "idle_timeout_ms", 1, 3600000, s.idle_timeout_ms);
  r.Int(t, p, "upstream_timeout_ms", 1, 3600000, s.upstream_timeout_ms);
}

void ParseSession(Reader& r, const toml::table* t, SessionConfig& s) {
  const std::string p = "session.";
  if (t == nullptr) return r.Fail("session", "required table is missing");
  r.CheckKeys(
      *t, p,
      {"mode", "cookie", "jwt_alg", "jwt_secret", "jwt_public_key_file", "jwks_file", "issuer",
       "audience", "leeway_seconds", "forward_auth_url", "forward_auth_cache_seconds"});
  std::string mode = "jwt", alg = "HS256";
  r.Str(*t, p, "mode", mode);
  r.Str(*t, p, "cookie", s.cookie);
  r.Str(*t, p, "jwt_alg", alg);
  r.Str(*t, p, "jwt_secret", s.jwt_secret);
  r.Str(*t, p, "jwt_public_key_file", s.jwt_public_key_file);
  r.Str(*t, p, "jwks_file", s.jwks_file);
  r.Str(*t, p, "issuer", s.issuer);
  r.Str(*t, p, "audience", s.audience);
  r.Int(*t, p, "leeway_seconds", 0, 3600, s.leeway_seconds);
  r.Str(*t, p, "forward_auth_url", s.forward_auth_url);
  r.Int(*t, p, "forward_auth_cache_seconds", 0, 3600, s.forward_auth_cache_seconds);
  if (!IsToken(s.cookie)) r.Fail(p + "cookie", "not a valid cookie name");
  if (mode == "jwt") {
    s.mode = SessionMode::kJwt;
  } else if (mode == "forward_auth") {
    s.mode = SessionMode::kForwardAuth;
    if (!ParseUpstreamUrl(s.forward_auth_url).ok()) {
      r.Fail(p + "forward_auth_url", "expected an http(s):// URL");
    }
    return;
  } else {
    return r.Fail(p + "mode", "expected \"jwt\" or \"forward_auth\"");
  }
  if (alg == "HS256") {
    s.jwt_alg = JwtAlg::kHs256;
    if (!IsSecretRef(s.jwt_secret)) {
      r.Fail(p + "jwt_secret", "HS256 needs a secret reference (env:, file: or vault:)");
    }
  } else if (alg == "RS256" || alg == "ES256") {
    s.jwt_alg = alg == "RS256" ? JwtAlg::kRs256 : JwtAlg::kEs256;
    if (s.jwt_public_key_file.empty() == s.jwks_file.empty()) {
      r.Fail(p + "jwt_public_key_file",
             alg + " needs exactly one of jwt_public_key_file, jwks_file");
    }
  } else {
    r.Fail(p + "jwt_alg", "expected HS256, RS256 or ES256");
  }
}

void ParseCsrf(Reader& r, const toml::table* t, CsrfConfig& c) {
  if (t == nullptr) return;
  const std::string p = "csrf.";
  r.CheckKeys(*t, p, {"header", "value", "allowed_origins"});
  r.Str(*t, p, "header", c.header);
  r.Str(*t, p, "value", c.value);
  r.StrList(*t, p, "allowed_origins", c.allowed_origins);
  for (const auto& o : c.allowed_origins) {
    if (std::string why = OriginProblem(o); !why.empty()) {
      r.Fail(p + "allowed_origins", "\"" + o + "\" can never match: " + why);
    }
  }
  if (!IsToken(c.header)) r.Fail(p + "header", "not a valid header name");
  if (c.value.empty() || !IsSafeHeaderValue(c.value)) r.Fail(p + "value", "must be non-empty");
}

void ParseVault(Reader& r, const toml::table* t, VaultConfig& v) {
  if (t == nullptr) return;
  const std::string p = "vault.";
  r.CheckKeys(*t, p, {"address", "token", "namespace", "ca_file", "refresh_seconds"});
  r.Str(*t, p, "address", v.address);
  r.Str(*t, p, "token", v.token);
  r.Str(*t, p, "namespace", v.nspace);
  r.Str(*t, p, "ca_file", v.ca_file);
  r.Int(*t, p, "refresh_seconds", 1, 86400, v.refresh_seconds);
  if (!ParseUpstreamUrl(v.address).ok()) r.Fail(p + "address", "expected an http(s):// URL");
  if (!(v.token.starts_with("env:") || v.token.starts_with("file:/"))) {
    r.Fail(p + "token", "expected \"env:NAME\" or \"file:/path\"");
  }
}

// "redis://host[:port][/db]". No user/password part: Redis AUTH is not supported yet, so
// a URL carrying one is refused rather than silently ignored.
void ParseRedisUrl(Reader& r, const std::string& url, BudgetStoreConfig& b) {
  constexpr std::string_view kScheme = "redis://";
  std::string_view rest(url);
  if (!rest.starts_with(kScheme)) {
    return r.Fail("rate_limit.store", "expected \"memory\" or \"redis://host[:port][/db]\"");
  }
  rest.remove_prefix(kScheme.size());
  if (rest.find('@') != std::string_view::npos) {
    return r.Fail("rate_limit.store", "credentials in the Redis URL are not supported");
  }
  std::string_view db;
  if (size_t slash = rest.find('/'); slash != std::string_view::npos) {
    db = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
  }
  std::string_view port;
  if (size_t colon = rest.rfind(':'); colon != std::string_view::npos) {
    port = rest.substr(colon + 1);
    rest = rest.substr(0, colon);
  }
  auto number = [](std::string_view s, long lo, long hi, long& out) {
    if (s.empty() || s.size() > 6 ||
        !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return false;
    out = std::stol(std::string(s));
    return out >= lo && out <= hi;
  };
  long v = 0;
  if (!port.empty()) {
    if (!number(port, 1, 65535, v)) return r.Fail("rate_limit.store", "bad port in Redis URL");
    b.redis_port = static_cast<uint16_t>(v);
  }
  if (!db.empty()) {
    if (!number(db, 0, 15, v)) return r.Fail("rate_limit.store", "bad database in Redis URL");
    b.redis_db = static_cast<int>(v);
  }
  if (rest.empty() || !std::all_of(rest.begin(), rest.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-';
      })) {
    return r.Fail("rate_limit.store", "bad host in Redis URL");
  }
  b.redis_host = std::string(rest);
  b.redis = true;
}

void FailMode(Reader& r, const toml::table& t, std::string_view key, bool& open) {
  std::string v = open ? "open" : "closed";
  r.Str(t, "rate_limit.", key, v);
  if (v != "open" && v != "closed") {
    return r.Fail("rate_limit." + std::string(key), "expected \"open\" or \"closed\"");
  }
  open = v == "open";
}

void ParseBudgetStore(Reader& r, const toml::table* t, BudgetStoreConfig& b) {
  if (t == nullptr) return;
  r.CheckKeys(*t, "rate_limit.",
              {"store", "key_prefix", "connect_timeout_ms", "command_timeout_ms", "pool_size",
               "retry_after_ms", "on_store_error", "on_store_error_per_client"});
  std::string store = "memory";
  r.Str(*t, "rate_limit.", "store", store);
  if (store != "memory") ParseRedisUrl(r, store, b);
  r.Str(*t, "rate_limit.", "key_prefix", b.key_prefix);
  if (b.key_prefix.size() > 64 || !IsSafeHeaderValue(b.key_prefix)) {
    r.Fail("rate_limit.key_prefix", "at most 64 characters, no control characters");
  }
  r.Int(*t, "rate_limit.", "connect_timeout_ms", 1, 10000, b.connect_timeout_ms);
  r.Int(*t, "rate_limit.", "command_timeout_ms", 1, 10000, b.command_timeout_ms);
  r.Int(*t, "rate_limit.", "pool_size", 0, 1024, b.pool_size);
  r.Int(*t, "rate_limit.", "retry_after_ms", 10, 600000, b.retry_after_ms);
  FailMode(r, *t, "on_store_error", b.global_fail_open);
  FailMode(r, *t, "on_store_error_per_client", b.per_client_fail_open);
}

void ParseMonitoring(Reader& r, const toml::table* t, MonitoringConfig& m) {
  if (t == nullptr) return;
  r.CheckKeys(*t, "monitoring.",
              {"session_buckets", "anomaly", "anomaly_factor", "anomaly_window_seconds",
               "anomaly_min_requests"});
  r.Int(*t, "monitoring.", "session_buckets", 1, 1024, m.session_buckets);
  r.Bool(*t, "monitoring.", "anomaly", m.anomaly);
  if (const toml::node* n = t->get("anomaly_factor")) {
    auto v = n->value<double>();  // an integer is accepted too
    if (!v || !(n->is_floating_point() || n->is_integer())) {
      r.Fail("monitoring.anomaly_factor", "expected a number");
    } else if (*v < 1.5 || *v > 10000) {
      r.Fail("monitoring.anomaly_factor", "out of range [1.5, 10000]");
    } else {
      m.anomaly_factor = *v;
    }
  }
  r.Int(*t, "monitoring.", "anomaly_window_seconds", 1, 86400, m.anomaly_window_seconds);
  r.Int(*t, "monitoring.", "anomaly_min_requests", 1, 100000000, m.anomaly_min_requests);
}

void ParseCredential(Reader& r, const toml::table* t, const std::string& p, CredentialConfig& c) {
  if (t == nullptr) return r.Fail(p.substr(0, p.size() - 1), "required table is missing");
  r.CheckKeys(*t, p,
              {"source", "auth", "basic_role", "basic_username", "basic_username_source",
               "auth_prefix", "extra_headers"});
  std::string auth, role = "username";
  r.Str(*t, p, "source", c.source);
  r.Str(*t, p, "auth", auth);
  r.Str(*t, p, "basic_role", role);
  r.Str(*t, p, "basic_username", c.basic_username);
  r.Str(*t, p, "basic_username_source", c.basic_username_source);
  r.Str(*t, p, "auth_prefix", c.auth_prefix);
  if (!IsSecretRef(c.source)) {
    r.Fail(p + "source", "expected env:NAME, file:/path or vault:<mount>/data/<path>#<field>");
  }
  if (auth == "bearer") {
    c.auth = AuthKind::kBearer;
  } else if (auth == "basic") {
    c.auth = AuthKind::kBasic;
  } else if (auth == "path") {
    c.auth = AuthKind::kPath;
  } else if (auth.starts_with("header:") && IsToken(auth.substr(7))) {
    c.auth = AuthKind::kHeader;
    c.auth_param = auth.substr(7);
  } else if (auth.starts_with("query:") && IsToken(auth.substr(6))) {
    c.auth = AuthKind::kQuery;
    c.auth_param = auth.substr(6);
  } else {
    r.Fail(p + "auth", "unknown auth kind \"" + auth +
                           "\" (expected bearer, basic, header:<Name>, query:<name>, path)");
  }
  if (role != "username" && role != "password") {
    r.Fail(p + "basic_role", "expected \"username\" or \"password\"");
  }
  c.basic_key_is_username = role == "username";
  if (c.basic_username.find(':') != std::string::npos) {
    r.Fail(p + "basic_username", "must not contain ':'");
  }
  if (!c.basic_username_source.empty()) {
    // A key pair (Twilio SID:token): the user name is the identifier half, a reference.
    if (c.auth != AuthKind::kBasic || c.basic_key_is_username) {
      r.Fail(p + "basic_username_source", "needs auth = \"basic\" and basic_role = \"password\"");
    } else if (!c.basic_username.empty()) {
      r.Fail(p + "basic_username_source", "set either basic_username or basic_username_source");
    } else if (!IsSecretRef(c.basic_username_source)) {
      r.Fail(p + "basic_username_source",
             "expected env:NAME, file:/path or vault:<mount>/data/<path>#<field>");
    }
  }
  if (!IsSafeHeaderValue(c.auth_prefix) || !IsSafeHeaderValue(c.basic_username)) {
    r.Fail(p + "auth_prefix", "contains CR, LF or NUL");
  }
  if (const toml::node* n = t->get("extra_headers")) {
    const toml::table* h = n->as_table();
    if (h == nullptr) return r.Fail(p + "extra_headers", "expected a table of strings");
    for (const auto& [k, v] : *h) {
      std::string name(k.str());
      if (!IsToken(name) || !v.is_string() || !IsSafeHeaderValue(*v.value<std::string>())) {
        return r.Fail(p + "extra_headers." + name, "expected a header name = string value");
      }
      c.extra_headers.emplace_back(name, *v.value<std::string>());
    }
  }
}

void ParseRoute(Reader& r, const toml::table& t, const std::string& p, RouteConfig& rc) {
  r.CheckKeys(t, p,
              {"name", "upstream", "methods", "paths", "query", "max_body_bytes", "timeout_ms",
               "forward_headers", "return_headers", "allow_insecure_upstream", "mobile",
               "json_caps", "rate_limit", "credential"});
  r.Str(t, p, "name", rc.name);
  bool name_ok = !rc.name.empty() && rc.name.size() <= 64 &&
                 std::all_of(rc.name.begin(), rc.name.end(), [](char c) {
                   return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
                 });
  if (!name_ok) r.Fail(p + "name", "expected [a-z0-9_-]{1,64}");
  std::string upstream;
  r.Str(t, p, "upstream", upstream);
  if (auto u = ParseUpstreamUrl(upstream); u.ok()) {
    rc.upstream = *u;
  } else {
    r.Fail(p + "upstream", u.status().message());
  }
  rc.methods = {"GET"};
  r.StrList(t, p, "methods", rc.methods);
  for (const auto& m : rc.methods) {
    if (!IsToken(m) || std::any_of(m.begin(), m.end(), [](char c) {
          return std::islower(static_cast<unsigned char>(c));
        })) {
      r.Fail(p + "methods", "\"" + m + "\" is not an upper-case method");
    }
  }
  r.StrList(t, p, "paths", rc.paths);
  if (rc.paths.empty()) r.Fail(p + "paths", "at least one path pattern is required");
  for (const auto& pat : rc.paths) {
    if (!pat.starts_with("/")) r.Fail(p + "paths", "pattern \"" + pat + "\" must start with /");
    size_t dd = pat.find("**");
    if (dd != std::string::npos && dd + 2 != pat.size()) {
      r.Fail(p + "paths", "\"**\" is only allowed as the last segment");
    }
  }
  r.StrList(t, p, "query", rc.query);
  r.Int(t, p, "max_body_bytes", 0, int64_t{1} << 34, rc.max_body_bytes);
  r.Int(t, p, "timeout_ms", 0, 3600000, rc.timeout_ms);
  r.Bool(t, p, "allow_insecure_upstream", rc.allow_insecure_upstream);
  r.Bool(t, p, "mobile", rc.mobile);
  r.StrList(t, p, "forward_headers", rc.forward_headers);
  r.StrList(t, p, "return_headers", rc.return_headers);
  for (const auto& h : rc.return_headers) {
    if (!IsToken(h)) r.Fail(p + "return_headers", "\"" + h + "\" is not a header name");
    if (IsNeverReturnedHeader(h)) {
      r.Fail(p + "return_headers", "\"" + h +
                                       "\" is never passed back (it would act on the app's "
                                       "whole origin, or is connection framing)");
    }
  }
  if (const toml::table* caps = r.Table(t, "json_caps", p + "json_caps")) {
    for (const auto& [k, v] : *caps) {
      if (!v.is_number()) {
        r.Fail(p + "json_caps." + std::string(k.str()), "expected a number");
        continue;
      }
      rc.json_caps[std::string(k.str())] = *v.value<double>();
    }
  }
  if (const toml::table* rl = r.Table(t, "rate_limit", p + "rate_limit")) {
    const std::string q = p + "rate_limit.";
    r.CheckKeys(*rl, q, {"per_session_per_minute", "per_ip_per_minute", "global_per_minute"});
    r.Int(*rl, q, "per_session_per_minute", 0, 1000000, rc.rate_limit.per_session_per_minute);
    r.Int(*rl, q, "per_ip_per_minute", 0, 1000000, rc.rate_limit.per_ip_per_minute);
    r.Int(*rl, q, "global_per_minute", 0, 100000000, rc.rate_limit.global_per_minute);
  }
  ParseCredential(r, r.Table(t, "credential", p + "credential"), p + "credential.", rc.credential);
  if (rc.credential.auth == AuthKind::kPath &&
      rc.upstream.base_path.find("{key}") == std::string::npos) {
    r.Fail(p + "upstream", "auth = \"path\" needs {key} in the upstream URL");
  }
  if (rc.credential.auth == AuthKind::kQuery &&
      std::find(rc.query.begin(), rc.query.end(), rc.credential.auth_param) != rc.query.end()) {
    r.Fail(p + "query",
           "must not allow the injected parameter \"" + rc.credential.auth_param + "\"");
  }
}

}  // namespace

bool IsLoopbackHost(std::string_view host) {
  if (host == "localhost") return true;
  const std::string h(host);
  unsigned char v4[4];
  if (inet_pton(AF_INET, h.c_str(), v4) == 1) return v4[0] == 127;
  unsigned char v6[16];
  if (inet_pton(AF_INET6, h.c_str(), v6) != 1) return false;
  static constexpr unsigned char kLoopback[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  return std::equal(v6, v6 + 16, kLoopback) || (std::equal(v6, v6 + 12, kMapped) && v6[12] == 127);
}

std::string OriginProblem(std::string_view o) {
  const char* kForm = "an Origin is exactly scheme://host[:port]";
  if (o == "null") return "\"null\" is sent by sandboxed and file: pages, never trust it";
  size_t sep = o.find("://");
  if (sep == std::string_view::npos) return std::string("no scheme; ") + kForm;
  std::string_view scheme = o.substr(0, sep);
  if (scheme != "https" && scheme != "http") {
    return std::string("scheme must be https or http in lower case; ") + kForm;
  }
  std::string_view rest = o.substr(sep + 3);
  if (rest.find_first_of("/?#") != std::string_view::npos) {
    return std::string("has a path, trailing '/', query or fragment; ") + kForm;
  }
  if (rest.find('@') != std::string_view::npos) return std::string("has userinfo; ") + kForm;
  if (std::any_of(rest.begin(), rest.end(),
                  [](char c) { return std::isupper(static_cast<unsigned char>(c)); })) {
    return "browsers send the host in lower case";
  }
  auto u = ParseUpstreamUrl(o);
  if (!u.ok() || rest.empty()) return std::string("bad host or port; ") + kForm;
  const size_t bracket = rest.rfind(']');  // an IPv6 literal's colons are not a port
  const bool has_port =
      rest.find(':', bracket == std::string_view::npos ? 0 : bracket) != std::string_view::npos;
  if (has_port && u->port == (u->tls ? 443 : 80)) {
    return "browsers omit the default port; write " + std::string(scheme) + "://" +
           (u->host.find(':') != std::string::npos ? "[" + u->host + "]" : u->host);
  }
  return "";
}

Result<UpstreamUrl> ParseUpstreamUrl(std::string_view url) {
  UpstreamUrl u;
  std::string_view rest;
  if (url.starts_with("https://")) {
    rest = url.substr(8);
  } else if (url.starts_with("http://")) {
    u.tls = false;
    u.port = 80;
    rest = url.substr(7);
  } else {
    return Status::InvalidArgument("expected an http:// or https:// URL");
  }
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  u.base_path = slash == std::string_view::npos ? "" : std::string(rest.substr(slash));
  while (!u.base_path.empty() && u.base_path.back() == '/') u.base_path.pop_back();
  if (authority.find('@') != std::string_view::npos || authority.empty() ||
      u.base_path.find_first_of("?#\r\n ") != std::string::npos) {
    return Status::InvalidArgument("URL must be scheme://host[:port][/path] (no userinfo, query)");
  }
  size_t colon = authority.rfind(':');
  if (colon != std::string_view::npos && authority.find(']', colon) == std::string_view::npos) {
    std::string_view port = authority.substr(colon + 1);
    if (port.empty() || port.size() > 5 ||
        !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return Status::InvalidArgument("bad port in URL");
    }
    int n = std::stoi(std::string(port));
    if (n <= 0 || n > 65535) return Status::InvalidArgument("bad port in URL");
    u.port = static_cast<uint16_t>(n);
    authority = authority.substr(0, colon);
  }
  if (authority.size() > 2 && authority.front() == '[' && authority.back() == ']') {
    authority = authority.substr(1, authority.size() - 2);
  }
  if (authority.empty() || !std::all_of(authority.begin(), authority.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':';
      })) {
    return Status::InvalidArgument("bad host in URL");
  }
  u.host = std::string(authority);
  return u;
}

Result<Config> ParseConfig(std::string_view text, std::string_view origin) {
  toml::table root;
  try {
    root = toml::parse(text, origin);
  } catch (const toml::parse_error& e) {
    std::ostringstream msg;
    msg << origin << ":" << e.source().begin.line << ":" << e.source().begin.column << ": "
        << e.description();
    return Status::InvalidArgument(msg.str());
  }
  Reader r(origin);
  Config c;
  r.CheckKeys(
      root, "",
      {"server", "session", "csrf", "audit", "vault", "rate_limit", "monitoring", "routes"});
  if (const toml::table* s = r.Table(root, "server", "server")) ParseServer(r, *s, c.server);
  ParseSession(r, r.Table(root, "session", "session"), c.session);
  ParseCsrf(r, r.Table(root, "csrf", "csrf"), c.csrf);
  if (const toml::table* a = r.Table(root, "audit", "audit")) {
    r.CheckKeys(*a, "audit.", {"path"});
    r.Str(*a, "audit.", "path", c.audit.path);
  }
  ParseVault(r, r.Table(root, "vault", "vault"), c.vault);
  ParseBudgetStore(r, r.Table(root, "rate_limit", "rate_limit"), c.budget_store);
  ParseMonitoring(r, r.Table(root, "monitoring", "monitoring"), c.monitoring);
  const toml::node* routes = root.get("routes");
  if (routes == nullptr || !routes->is_array_of_tables() || routes->as_array()->empty()) {
    r.Fail("routes", "at least one [[routes]] table is required");
  } else {
    size_t i = 0;
    for (const auto& n : *routes->as_array()) {
      const std::string p = "routes[" + std::to_string(i++) + "].";
      RouteConfig rc;
      ParseRoute(r, *n.as_table(), p, rc);
      for (const auto& other : c.routes) {
        if (other.name == rc.name) r.Fail(p + "name", "duplicate route name \"" + rc.name + "\"");
      }
      for (const auto& h : rc.forward_headers) {
        if (!IsToken(h)) r.Fail(p + "forward_headers", "\"" + h + "\" is not a header name");
        if (IsStrippedRequestHeader(h, rc, c.csrf.header)) {
          r.Fail(p + "forward_headers",
                 "\"" + h +
                     "\" is never forwarded (a credential, cookie, forwarding, CSRF or "
                     "hop-by-hop header, or one the route injects)");
        }
      }
      if (!rc.upstream.tls && !IsLoopbackHost(rc.upstream.host)) {
        if (!rc.allow_insecure_upstream) {
          r.Fail(p + "upstream",
                 "http:// to a non-loopback host sends the credential in clear text; use "
                 "https:// (or set allow_insecure_upstream = true for a lab setup)");
        } else {
          c.warnings.push_back(std::string(origin) + ": " + p +
                               "upstream: WARNING: allow_insecure_upstream = true: route \"" +
                               rc.name + "\" sends its credential in clear text to " +
                               rc.upstream.host + " (lab setups only)");
        }
      }
      if (rc.mobile && c.session.mode != SessionMode::kJwt) {
        r.Fail(p + "mobile", "mobile bearer sessions need session.mode = \"jwt\"");
      }
      if (rc.credential.source.starts_with("vault:") && c.vault.address.empty()) {
        r.Fail(p + "credential.source", "vault: reference but no [vault] table");
      }
      if (rc.credential.basic_username_source.starts_with("vault:") && c.vault.address.empty()) {
        r.Fail(p + "credential.basic_username_source", "vault: reference but no [vault] table");
      }
      c.routes.push_back(std::move(rc));
    }
  }
  if (c.session.jwt_secret.starts_with("vault:") && c.vault.address.empty()) {
    r.Fail("session.jwt_secret", "vault: reference but no [vault] table");
  }
  if (r.failed()) return Status::InvalidArgument(r.error());
  return c;
}

Result<Config> LoadConfig(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot open config file");
  std::stringstream ss;
  ss << in.rdbuf();
  return ParseConfig(ss.str(), path);
}

}  // namespace leakproof::proxy
