// The data path (see proxy_connection.h). Order of checks for /api/ requests, cheapest
// and least revealing first:
//   route exists (404) -> anti-CSRF header and Origin (403; not for a bearer session
//   on a mobile route) -> session (401) ->
//   method/path/query allowlist (404) -> rate limits (429) -> credential loaded (503) ->
//   body size (413) and JSON caps (400) -> upstream (502/504 on failure).
// The allowlist is checked after the session so unauthenticated callers learn nothing
// about it. Every refusal before the body is read closes the connection when a body is
// pending, so leftover body bytes can never be parsed as a second request (smuggling).
#include "proxy_connection.h"

#include "leakproof/proxy/http_fetch.h"
#include "leakproof/proxy/injection.h"
#include "leakproof/proxy/route_match.h"

#include "http_head.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <nlohmann/json.hpp>
#include <openssl/crypto.h>
#include <openssl/ssl.h>

#include <array>
#include <charconv>
#include <chrono>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace leakproof::proxy {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using asio::awaitable;
using asio::use_awaitable;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

auto Tok(boost::system::error_code& ec) { return asio::redirect_error(use_awaitable, ec); }

bool IEquals(std::string_view a, std::string_view b) { return beast::iequals(a, b); }

}  // namespace

// A pooled upstream connection: plain TCP or TLS over TCP.
struct UpstreamConn {
  std::unique_ptr<beast::tcp_stream> plain;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> tls;
  beast::tcp_stream& lowest() { return tls ? beast::get_lowest_layer(*tls) : *plain; }
};

// Idle keep-alive connections per scheme://host:port and I/O thread. Connections are
// handed out exclusively, so no two requests ever share one, and only to requests on the
// thread (io_context) that opened them: a socket's completions and timers run on its
// own io_context, which must be the one its user's coroutine runs on.
class UpstreamPool {
 public:
  using Key = std::pair<std::string, const void*>;  // origin, io_context
  std::optional<UpstreamConn> Take(const Key& key) {
    std::lock_guard lock(mu_);
    auto it = idle_.find(key);
    if (it == idle_.end() || it->second.empty()) return std::nullopt;
    UpstreamConn c = std::move(it->second.back());
    it->second.pop_back();
    return c;
  }
  void Put(const Key& key, UpstreamConn c) {
    std::lock_guard lock(mu_);
    auto& v = idle_[key];
    if (v.size() < kMaxIdlePerKey) v.push_back(std::move(c));
  }

 private:
  static constexpr size_t kMaxIdlePerKey = 256;
  std::mutex mu_;
  std::map<Key, std::vector<UpstreamConn>> idle_;
};

std::shared_ptr<UpstreamPool> MakeUpstreamPool() { return std::make_shared<UpstreamPool>(); }

namespace {

// Writes the audit line and the metrics for one request when it goes out of scope, so
// every exit path (including exceptions from a dropped connection) is recorded.
struct RequestLog {
  RequestLog(Runtime& r, ProxyState& s) : rt(r), st(s), start(Clock::now()) {}
  ~RequestLog() {
    rec.latency_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    if (rec.status == 0) rec.reason = rec.reason.empty() ? "client-gone" : rec.reason;
    rt.audit().Write(rec);
    const std::string& route = rec.route.empty() ? std::string("-") : rec.route;
    st.metrics.CountRequest(route, rec.status, rec.latency_ms, rec.bytes_out);
    if (rec.upstream_status != 0 && upstream_seconds >= 0) {
      st.metrics.ObserveUpstream(route, rec.upstream_status, upstream_seconds);
    }
    if (!rec.session.empty()) {
      const MonitoringConfig& mon = rt.config().monitoring;
      const int bucket = SessionBucket(rec.session, mon.session_buckets);
      st.metrics.CountSessionBucket(route, bucket);
      if (mon.anomaly) {
        if (auto anomaly = st.usage.Observe(route, rec.session, bucket, mon)) {
          rt.audit().Write(*anomaly);
          st.metrics.CountAnomaly(route);
        }
      }
    }
  }
  RequestLog(const RequestLog&) = delete;
  RequestLog& operator=(const RequestLog&) = delete;
  Runtime& rt;
  ProxyState& st;
  Clock::time_point start;
  AuditRecord rec;
  double upstream_seconds = -1;  // set when the upstream was called
};

template <class Stream>
beast::tcp_stream& Lowest(Stream& s) {
  return beast::get_lowest_layer(s);
}

// Sends a small JSON response that names the problem, never request data or secrets.
template <class Stream>
awaitable<void> SendSimple(Stream& stream, RequestLog* log, unsigned version, bool keep_alive,
                           http::status status, std::string_view error, int idle_ms,
                           int retry_after = 0, std::string_view content_type = "application/json",
                           std::string_view body = {}) {
  http::response<http::string_body> res{status, version};
  res.set(http::field::content_type, content_type);
  res.set(http::field::cache_control, "no-store");
  res.set("X-Content-Type-Options", "nosniff");
  if (retry_after > 0) res.set(http::field::retry_after, std::to_string(retry_after));
  // The body arrives as a view of a named object in the caller's frame: GCC 12 destroys
  // a std::string temporary created in a co_await full-expression twice (GCC PR 99576),
  // which was the double free seen on /readyz and /healthz.
  if (body.empty()) {
    res.body() = nlohmann::json({{"error", error}}).dump() + "\n";
  } else {
    res.body().assign(body.data(), body.size());
  }
  res.keep_alive(keep_alive);
  res.prepare_payload();
  if (log != nullptr) {
    log->rec.status = static_cast<int>(status);
    log->rec.bytes_out = res.body().size();
  }
  Lowest(stream).expires_after(milliseconds(idle_ms));
  boost::system::error_code ec;
  co_await http::async_write(stream, res, Tok(ec));
}

// The connection is opened on the calling coroutine's io_context (see UpstreamPool).
awaitable<std::optional<UpstreamConn>> ConnectUpstream(ProxyState& st, const UpstreamUrl& u,
                                                       milliseconds timeout, std::string& error) {
  boost::system::error_code ec;
  const auto ex = co_await asio::this_coro::executor;
  tcp::resolver resolver(ex);
  auto endpoints = co_await resolver.async_resolve(u.host, std::to_string(u.port), Tok(ec));
  if (ec) {
    error = "resolve";
    co_return std::nullopt;
  }
  UpstreamConn c;
  auto tcp_stream = std::make_unique<beast::tcp_stream>(ex);
  tcp_stream->expires_after(timeout);
  co_await tcp_stream->async_connect(endpoints, Tok(ec));
  if (ec) {
    error = ec == beast::error::timeout ? "timeout" : "connect";
    co_return std::nullopt;
  }
  tcp_stream->socket().set_option(tcp::no_delay(true), ec);
  if (!u.tls) {
    c.plain = std::move(tcp_stream);
    co_return c;
  }
  c.tls = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(std::move(*tcp_stream),
                                                                 st.upstream_tls);
  // SNI plus host-name verification; the context already demands a valid chain.
  // SSL_set_tlsext_host_name is a macro with a C cast; call what it expands to.
  SSL_ctrl(c.tls->native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
           const_cast<char*>(u.host.c_str()));
  SSL_set1_host(c.tls->native_handle(), u.host.c_str());
  co_await c.tls->async_handshake(asio::ssl::stream_base::client, Tok(ec));
  if (ec) {
    error = ec == beast::error::timeout ? "timeout" : "tls";
    co_return std::nullopt;
  }
  co_return c;
}

// Forward auth runs the blocking GET on the state's thread pool and wakes this coroutine
// through a timer, so the I/O threads never block.
awaitable<bool> CheckForwardAuth(ProxyState& st, const SessionConfig& cfg,
                                 std::string_view cookie_header) {
  const std::string key = HashId(cookie_header);
  if (auto cached = st.forward_auth.Get(key)) co_return *cached;
  auto ex = co_await asio::this_coro::executor;
  auto timer = std::make_shared<asio::steady_timer>(ex, asio::steady_timer::time_point::max());
  auto verdict = std::make_shared<bool>(false);
  asio::post(st.blocking,
             [timer, verdict, url = cfg.forward_auth_url, cookie = std::string(cookie_header)]() {
               auto res = HttpGet(url, {{"Cookie", cookie}}, 5000, "", 64 * 1024);
               *verdict = res.ok() && res->status >= 200 && res->status < 300;
               asio::post(timer->get_executor(), [timer] { timer->cancel(); });
             });
  boost::system::error_code ec;
  co_await timer->async_wait(Tok(ec));
  st.forward_auth.Put(key, *verdict, cfg.forward_auth_cache_seconds);
  co_return *verdict;
}

// JSON caps: each named top-level field, when present, must be a number <= its cap.
bool JsonCapsOk(const RouteConfig& route, std::string_view content_type, const std::string& body,
                std::string& failed) {
  if (route.json_caps.empty() || body.empty()) return true;
  if (!beast::iequals(content_type.substr(0, 16), "application/json")) return true;
  auto doc = nlohmann::json::parse(body, nullptr, false);
  if (!doc.is_object()) {
    failed = "json";
    return false;
  }
  for (const auto& [field, cap] : route.json_caps) {
    if (!doc.contains(field)) continue;
    if (!doc[field].is_number() || doc[field].get<double>() > cap) {
      failed = field;
      return false;
    }
  }
  return true;
}

struct RelayResult {
  bool client_ok = true;  // the client connection is still usable
  bool reusable = false;  // the upstream connection can go back to the pool
  bool started = false;   // response bytes were sent to the client
  std::string error;      // "timeout", "io" before any response
};

// Per-connection buffer for upstream body bytes: allocated on the first proxied request
// and reused by the following ones on the same keep-alive connection, so the data path
// neither allocates nor zero-fills 16 KiB per request.
class RelayBuffer {
 public:
  std::span<char> get() {
    if (!data_) data_ = std::make_unique_for_overwrite<char[]>(kSize);
    return {data_.get(), kSize};
  }

 private:
  static constexpr size_t kSize = 16 * 1024;
  std::unique_ptr<char[]> data_;
};

// Writes `head` (may be empty) and one body piece to `s` in a single gather write; with
// `chunked` the piece is framed as a chunk and `last` appends the final chunk.
template <class Stream>
awaitable<void> WritePiece(Stream& s, std::string_view head, std::span<const char> piece,
                           bool chunked, bool last, boost::system::error_code& ec) {
  char size_line[24];
  size_t size_len = 0;
  std::string_view tail;
  if (chunked) {
    if (!piece.empty()) {
      auto res = std::to_chars(size_line, size_line + 16, piece.size(), 16);
      size_len = static_cast<size_t>(res.ptr - size_line);
      size_line[size_len++] = '\r';
      size_line[size_len++] = '\n';
      tail = last ? std::string_view("\r\n0\r\n\r\n") : std::string_view("\r\n");
    } else if (last) {
      tail = "0\r\n\r\n";
    }
  }
  const std::array<asio::const_buffer, 4> bufs = {
      asio::buffer(head.data(), head.size()), asio::buffer(size_line, size_len),
      asio::buffer(piece.data(), piece.size()), asio::buffer(tail.data(), tail.size())};
  co_await asio::async_write(s, bufs, Tok(ec));
}

// Sends the request (`head` + `body`) on `up` and streams the response to `client` as it
// arrives: headers as soon as they are parsed, then body bytes per read (chunked when the
// upstream gave no length), so SSE events reach the browser one by one.
template <class Up, class Client>
awaitable<RelayResult> Relay(Up& up, Client& client, const RouteConfig& route,
                             const std::string& head, const std::string& body, bool is_head,
                             unsigned client_version, bool client_keep_alive,
                             milliseconds up_timeout, milliseconds idle, std::span<char> scratch,
                             RequestLog& log) {
  RelayResult r;
  boost::system::error_code ec;
  Lowest(up).expires_after(up_timeout);
  const std::array<asio::const_buffer, 2> request = {asio::buffer(head), asio::buffer(body)};
  co_await asio::async_write(up, request, Tok(ec));
  if (ec) {
    r.error = ec == beast::error::timeout ? "timeout" : "io";
    co_return r;
  }
  beast::flat_buffer ubuf;
  http::response_parser<http::buffer_body> p;
  p.body_limit(std::numeric_limits<std::uint64_t>::max());
  p.header_limit(64 * 1024);
  if (is_head) p.skip(true);
  co_await http::async_read_header(up, ubuf, p, Tok(ec));
  if (ec) {
    r.error = ec == beast::error::timeout ? "timeout" : "io";
    co_return r;
  }
  const int status = static_cast<int>(p.get().result_int());
  log.rec.upstream_status = status;
  std::optional<uint64_t> up_length;
  if (p.content_length()) up_length = *p.content_length();
  const ResponseHead rh = ClientResponseHead(p.get().base(), route, up_length, is_head,
                                             client_version, client_keep_alive);

  // Body bytes that arrived together with the head are parsed now, without I/O, and leave
  // in the same send as the head: one write per small response instead of two. When none
  // have arrived yet the head goes out alone at once, so an SSE client is not kept waiting.
  bool upstream_failed = false;
  size_t got = 0;
  if (!rh.no_body && !p.is_done() && ubuf.size() > 0) {
    p.get().body().data = scratch.data();
    p.get().body().size = scratch.size();
    ubuf.consume(p.put(ubuf.data(), ec));
    if (ec == http::error::need_more || ec == http::error::need_buffer) ec = {};
    upstream_failed = static_cast<bool>(ec);
    if (!upstream_failed) got = scratch.size() - p.get().body().size;
  }
  bool done = rh.no_body || (p.is_done() && !upstream_failed);
  Lowest(client).expires_after(idle);
  co_await WritePiece(client, rh.text, scratch.first(got), rh.chunked, done && !rh.no_body, ec);
  r.started = true;
  log.rec.status = status;
  if (ec) {
    r.client_ok = false;
    co_return r;
  }
  log.rec.bytes_out += got;
  while (!done && !upstream_failed) {
    p.get().body().data = scratch.data();
    p.get().body().size = scratch.size();
    Lowest(up).expires_after(up_timeout);
    co_await http::async_read_some(up, ubuf, p, Tok(ec));
    if (ec == http::error::need_buffer) ec = {};
    if (ec) {
      upstream_failed = true;
      break;
    }
    got = scratch.size() - p.get().body().size;
    done = p.is_done();
    if (got == 0 && !done) continue;
    log.rec.bytes_out += got;
    Lowest(client).expires_after(idle);
    co_await WritePiece(client, {}, scratch.first(got), rh.chunked, done, ec);
    if (ec) {
      r.client_ok = false;
      co_return r;
    }
  }
  if (upstream_failed) {
    // Mid-body failure: the status is already sent; closing without the final chunk
    // tells the client the body is truncated.
    log.rec.reason = "upstream-body";
    r.client_ok = false;
    co_return r;
  }
  r.client_ok = rh.keep_alive;
  r.reusable = p.keep_alive() && ubuf.size() == 0;
  co_return r;
}

// True when a shared-store outage makes some configured budget refuse requests.
bool StoreOutageRefuses(const Config& cfg) {
  const BudgetStoreConfig& b = cfg.budget_store;
  for (const auto& r : cfg.routes) {
    const auto& rl = r.rate_limit;
    if (!b.global_fail_open && rl.global_per_minute > 0) return true;
    if (!b.per_client_fail_open && (rl.per_session_per_minute > 0 || rl.per_ip_per_minute > 0)) {
      return true;
    }
  }
  return false;
}

// Handles one request whose header `hp` has been read. Returns true to keep the
// connection open for the next request.
template <class Stream>
awaitable<bool> HandleRequest(Stream& stream, beast::flat_buffer& buf,
                              http::request_parser<http::empty_body>& hp, ProxyState& st,
                              const std::shared_ptr<Runtime>& rt, const std::string& client_ip,
                              RelayBuffer& relay_buf) {
  const Config& cfg = rt->config();
  const int idle_ms = cfg.server.idle_timeout_ms;
  auto& req = hp.get();
  const unsigned version = req.version();
  const bool body_pending = !hp.is_done();
  // A refusal before reading the body must close the connection if a body is pending.
  const bool ka = req.keep_alive() && !body_pending;
  const std::string_view target = req.target();

  // Operational endpoints: no session, no audit line (load balancers poll them).
  if (target == "/healthz" || target == "/readyz" || target == "/metrics") {
    if (target == "/healthz") {
      co_await SendSimple(stream, nullptr, version, ka, http::status::ok, "", idle_ms, 0,
                          "text/plain", "ok\n");
    } else if (target == "/readyz") {
      std::string missing;
      bool ready = rt->Ready(&missing);
      // Stale secrets still serve (their last good value), so they do not fail readiness,
      // but the operator sees them here and in /metrics.
      const std::string stale = rt->StaleNames();
      std::string store_line;
      if (RedisBudgetStore* shared = rt->shared_budgets()) {
        // A store outage makes this replica refuse limited requests when a budget fails
        // closed, so it is then not ready; with fail open it still serves (said here).
        const bool up = shared->Ping();
        const bool refuses = !up && StoreOutageRefuses(cfg);
        if (refuses) missing += std::string(missing.empty() ? "" : ",") + "rate-limit-store";
        ready = ready && !refuses;
        store_line = "rate-limit store: redis " + shared->address() +
                     (up ? " up\n"
                         : std::string(" unreachable (") + shared->last_error() + "); " +
                               (refuses ? "limited requests fail closed (503)\n"
                                        : "limited requests fail open (this replica's budgets)\n"));
      }
      const std::string body = (ready ? std::string("ready\n") : "not ready: " + missing + "\n") +
                               (stale.empty() ? "" : "stale: " + stale + "\n") + store_line;
      co_await SendSimple(stream, nullptr, version, ka,
                          ready ? http::status::ok : http::status::service_unavailable, "", idle_ms,
                          0, "text/plain", body);
    } else {
      std::string extra = "# TYPE leakproof_proxy_route_ready gauge\n";
      for (const auto& r : cfg.routes) {
        extra += "leakproof_proxy_route_ready{route=\"" + r.name + "\"} " +
                 (rt->CredentialLoaded(r) ? "1" : "0") + "\n";
      }
      // 1 while a route's secret is served from its last good value after a failed read.
      extra += "# TYPE leakproof_proxy_secret_stale gauge\n";
      for (const auto& r : cfg.routes) {
        extra += "leakproof_proxy_secret_stale{route=\"" + r.name + "\"} " +
                 (rt->CredentialStale(r) ? "1" : "0") + "\n";
      }
      if (cfg.session.mode == SessionMode::kJwt && cfg.session.jwt_alg == JwtAlg::kHs256) {
        extra += std::string(
                     "# TYPE leakproof_proxy_session_key_stale gauge\n"
                     "leakproof_proxy_session_key_stale ") +
                 (rt->secrets().Stale(cfg.session.jwt_secret) ? "1" : "0") + "\n";
      }
      extra +=
          "# TYPE leakproof_proxy_secret_reloads_total counter\n"
          "leakproof_proxy_secret_reloads_total " +
          std::to_string(rt->secrets().reloads()) +
          "\n# TYPE leakproof_proxy_secret_failures_total counter\n"
          "leakproof_proxy_secret_failures_total " +
          std::to_string(rt->secrets().failures()) + "\n";
      if (RedisBudgetStore* shared = rt->shared_budgets()) {
        extra += std::string(
                     "# HELP leakproof_proxy_rate_limit_store_up 1 when the shared (Redis) "
                     "budget store answers.\n"
                     "# TYPE leakproof_proxy_rate_limit_store_up gauge\n"
                     "leakproof_proxy_rate_limit_store_up ") +
                 (shared->Ping() ? "1" : "0") +
                 "\n# TYPE leakproof_proxy_rate_limit_store_failures_total counter\n"
                 "leakproof_proxy_rate_limit_store_failures_total " +
                 std::to_string(shared->errors()) + "\n";
      }
      const std::string body = st.metrics.Render(extra);
      co_await SendSimple(stream, nullptr, version, ka, http::status::ok, "", idle_ms, 0,
                          "text/plain; version=0.0.4", body);
    }
    co_return ka;
  }

  RequestLog log(*rt, st);
  log.rec.method = std::string(req.method_string());
  log.rec.client_ip = client_ip;
  auto api = ParseApiTarget(target);
  log.rec.path = api ? "/api/" + api->route + api->path +
                           (api->query.empty() ? "" : "?" + QueryNamesOnly(api->query))
                     : std::string(target.substr(0, target.find('?')));
  auto refuse = [&](http::status s, std::string_view reason, int retry_after = 0) {
    log.rec.reason = std::string(reason);
    return SendSimple(stream, &log, version, ka, s, reason, idle_ms, retry_after);
  };

  // Defence in depth: Beast's parser already rejects CR/LF in field values.
  for (const auto& f : req) {
    if (HasHeaderInjection(f.value()) || HasHeaderInjection(f.name_string())) {
      co_await refuse(http::status::bad_request, "bad-header");
      co_return false;
    }
  }
  const RouteConfig* route = api ? rt->FindRoute(api->route) : nullptr;
  if (route == nullptr) {
    co_await refuse(http::status::not_found, "not-found");
    co_return ka;
  }
  log.rec.route = route->name;

  // Mobile routes also take the session JWT as "Authorization: Bearer <jwt>". A bearer
  // token is not ambient (a browser never attaches it on its own, and a cross-site page
  // cannot set it without a CORS preflight the proxy never approves), so a request that
  // authenticates with one needs no CSRF defence. Cookie sessions always do. On web
  // routes the header is ignored as a session (and, like on every route, never forwarded).
  const std::string_view bearer =
      route->mobile ? BearerToken(req[http::field::authorization]) : std::string_view();
  const auto method = req.method();
  // Anti-CSRF: a custom header a cross-site form cannot send, plus Origin for writes.
  if (bearer.empty() && req[cfg.csrf.header] != cfg.csrf.value) {
    co_await refuse(http::status::forbidden, "csrf");
    co_return ka;
  }
  if (bearer.empty() && (method == http::verb::post || method == http::verb::put ||
                         method == http::verb::patch || method == http::verb::delete_)) {
    std::string_view origin = req[http::field::origin];
    bool ok = false;
    for (const auto& o : cfg.csrf.allowed_origins) ok = ok || (!origin.empty() && origin == o);
    if (!ok) {
      co_await refuse(http::status::forbidden, "origin");
      co_return ka;
    }
  }

  // Session.
  std::string cookie_header;
  for (const auto& f : req) {
    if (f.name() == http::field::cookie) {
      if (!cookie_header.empty()) cookie_header += "; ";
      cookie_header += f.value();
    }
  }
  std::string session_key;
  if (cfg.session.mode == SessionMode::kJwt) {
    std::string_view token =
        bearer.empty() ? CookieValue(cookie_header, cfg.session.cookie) : bearer;
    auto verifier = rt->Verifier();
    if (token.empty() || !verifier) {
      const bool web_bearer =
          token.empty() && !route->mobile && !BearerToken(req[http::field::authorization]).empty();
      co_await refuse(
          http::status::unauthorized,
          token.empty() ? (web_bearer ? "bearer-on-web-route" : "no-session") : "no-session-key");
      co_return ka;
    }
    auto claims = verifier->Verify(token, std::chrono::duration_cast<std::chrono::seconds>(
                                              std::chrono::system_clock::now().time_since_epoch())
                                              .count());
    if (!claims.ok()) {
      co_await refuse(http::status::unauthorized, "session-invalid");
      co_return ka;
    }
    session_key = HashId(claims->subject.empty() ? token : "sub:" + claims->subject);
  } else {
    if (cookie_header.empty() || !co_await CheckForwardAuth(st, cfg.session, cookie_header)) {
      co_await refuse(http::status::unauthorized, "forward-auth");
      co_return ka;
    }
    session_key = HashId(cookie_header);
  }
  log.rec.session = session_key;

  // Allowlist: method, path pattern, query names.
  bool method_ok = false;
  for (const auto& m : route->methods) method_ok = method_ok || m == req.method_string();
  bool path_ok = IsSafePath(api->path);
  if (path_ok) {
    path_ok = false;
    for (const auto& pat : route->paths) path_ok = path_ok || MatchPathPattern(pat, api->path);
  }
  bool query_ok = QueryAllowed(api->query, route->query);
  if (!method_ok || !path_ok || !query_ok) {
    co_await refuse(http::status::not_found, !method_ok ? "method" : !path_ok ? "path" : "query");
    co_return ka;
  }

  // Rate limits: per session, per client IP, then the route's global budget.
  // A bucket key is only built for a configured limit (0 = unlimited needs no bucket).
  const auto& rl = route->rate_limit;
  const BudgetStoreConfig& bs = cfg.budget_store;
  RedisBudgetStore* shared = rt->shared_budgets();
  // With a shared store, its error is resolved per budget kind: fail open falls back to
  // this replica's own budget (the pre-Redis behaviour), fail closed refuses with 503.
  auto take = [&](const std::string& key, int per_minute, bool global) {
    if (shared == nullptr) return st.local_budgets.Acquire(key, per_minute);
    BudgetDecision d = shared->Acquire(key, per_minute);
    if (d.kind != BudgetDecision::Kind::kStoreError) return d;
    const bool open = global ? bs.global_fail_open : bs.per_client_fail_open;
    st.metrics.CountBudgetStoreError(open);
    return open ? st.local_budgets.Acquire(key, per_minute) : d;
  };
  BudgetDecision budget;
  const char* which = "";
  if (rl.per_session_per_minute > 0) {
    budget = take(route->name + "|s|" + session_key, rl.per_session_per_minute, false);
    which = "rate-limit:session";
  }
  if (budget.kind == BudgetDecision::Kind::kAllowed && rl.per_ip_per_minute > 0) {
    budget = take(route->name + "|ip|" + client_ip, rl.per_ip_per_minute, false);
    which = "rate-limit:ip";
  }
  if (budget.kind == BudgetDecision::Kind::kAllowed && rl.global_per_minute > 0) {
    budget = take(route->name + "|global", rl.global_per_minute, true);
    which = "rate-limit:global";
  }
  if (budget.kind == BudgetDecision::Kind::kLimited) {
    co_await refuse(http::status::too_many_requests, which, budget.retry_after);
    co_return ka;
  }
  if (budget.kind == BudgetDecision::Kind::kStoreError) {
    co_await refuse(http::status::service_unavailable, "rate-limit-store-unavailable", 1);
    co_return ka;
  }

  SecretValue secret = rt->secrets().Get(route->credential.source);
  // A key pair's identifier half (the Basic user name); a ':' in it would split the pair.
  SecretValue username;
  if (!route->credential.basic_username_source.empty()) {
    username = rt->secrets().Get(route->credential.basic_username_source);
    if (username && username->find(':') != std::string::npos) username = nullptr;
  }
  if (!secret || (!route->credential.basic_username_source.empty() && !username)) {
    co_await refuse(http::status::service_unavailable, "credential-unavailable");
    co_return ka;
  }

  // Body: declared length first (cheap 413), then the capped read.
  if (hp.content_length() && *hp.content_length() > static_cast<uint64_t>(route->max_body_bytes)) {
    co_await refuse(http::status::payload_too_large, "body-too-large");
    co_return false;
  }
  boost::system::error_code ec;
  http::request_parser<http::string_body> bp{std::move(hp)};
  bp.body_limit(static_cast<uint64_t>(route->max_body_bytes));
  if (body_pending) {
    if (IEquals(bp.get()[http::field::expect], "100-continue")) {
      http::response<http::empty_body> cont{http::status::continue_, version};
      Lowest(stream).expires_after(milliseconds(idle_ms));
      co_await http::async_write(stream, cont, Tok(ec));
    }
    Lowest(stream).expires_after(milliseconds(cfg.server.body_timeout_ms));
    co_await http::async_read(stream, buf, bp, Tok(ec));
    if (ec == http::error::body_limit) {
      co_await SendSimple(stream, &log, version, false, http::status::payload_too_large,
                          "body-too-large", idle_ms);
      log.rec.reason = "body-too-large";
      co_return false;
    }
    if (ec) {
      log.rec.reason = ec == beast::error::timeout ? "body-timeout" : "body-read";
      if (ec == beast::error::timeout) {
        co_await SendSimple(stream, &log, version, false, http::status::request_timeout,
                            "body-timeout", idle_ms);
      }
      co_return false;
    }
  }
  auto& full = bp.get();
  const bool keep_alive = full.keep_alive();
  log.rec.bytes_in = full.body().size();
  std::string failed_cap;
  if (!JsonCapsOk(*route, full[http::field::content_type], full.body(), failed_cap)) {
    log.rec.reason = "json-cap:" + failed_cap;
    co_await SendSimple(stream, &log, version, keep_alive, http::status::bad_request,
                        log.rec.reason, idle_ms);  // a named string: see SendSimple
    co_return keep_alive;
  }

  // Build the upstream request: strip, then inject.
  Injection inj = BuildInjection(*route, *secret, api->path, api->query,
                                 username ? std::string_view(*username) : std::string_view());
  const std::string up_body = std::move(full.body());
  std::optional<uint64_t> up_length;
  if (!up_body.empty() || method == http::verb::post || method == http::verb::put ||
      method == http::verb::patch) {
    up_length = up_body.size();
  }
  std::string up_head = UpstreamRequestHead(full.base(), *route, cfg.csrf.header, inj, up_length);
  const UpstreamUrl& u = route->upstream;

  const milliseconds up_timeout(route->timeout_ms > 0 ? route->timeout_ms
                                                      : cfg.server.upstream_timeout_ms);
  const auto ex = co_await asio::this_coro::executor;
  const UpstreamPool::Key pool_key = {
      std::string(u.tls ? "https://" : "http://") + u.host + ":" + std::to_string(u.port),
      &asio::query(ex, asio::execution::context)};
  const bool is_head = method == http::verb::head;
  RelayResult result;
  const Clock::time_point upstream_start = Clock::now();
  // One retry when a pooled keep-alive connection turns out to be dead before any
  // response byte (the upstream closed it while idle). Fresh connections never retry.
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::optional<UpstreamConn> conn = st.pool->Take(pool_key);
    const bool pooled = conn.has_value();
    if (!conn) {
      std::string err;
      conn = co_await ConnectUpstream(st, u, up_timeout, err);
      if (!conn) {
        result.error = err;
        break;
      }
    }
    if (conn->tls) {
      result = co_await Relay(*conn->tls, stream, *route, up_head, up_body, is_head, version,
                              keep_alive, up_timeout, milliseconds(idle_ms), relay_buf.get(), log);
    } else {
      result = co_await Relay(*conn->plain, stream, *route, up_head, up_body, is_head, version,
                              keep_alive, up_timeout, milliseconds(idle_ms), relay_buf.get(), log);
    }
    if (result.reusable) st.pool->Put(pool_key, std::move(*conn));
    if (result.started || !pooled || result.error == "timeout") break;
  }
  log.upstream_seconds = std::chrono::duration<double>(Clock::now() - upstream_start).count();
  // Wipe our copies of the credential-bearing request.
  for (auto& [k, v] : inj.headers) OPENSSL_cleanse(v.data(), v.size());
  OPENSSL_cleanse(inj.target.data(), inj.target.size());
  OPENSSL_cleanse(up_head.data(), up_head.size());
  if (!result.started) {
    const bool timeout = result.error == "timeout";
    log.rec.reason = "upstream-" + (result.error.empty() ? std::string("io") : result.error);
    co_await SendSimple(stream, &log, version, keep_alive,
                        timeout ? http::status::gateway_timeout : http::status::bad_gateway,
                        timeout ? "upstream-timeout" : "upstream-unavailable", idle_ms);
    log.rec.reason = "upstream-" + (result.error.empty() ? std::string("io") : result.error);
    co_return keep_alive;
  }
  co_return result.client_ok;
}

template <class Stream>
awaitable<void> ServeStream(Stream& stream, ProxyState& st, std::string client_ip) {
  beast::flat_buffer buf;
  RelayBuffer relay_buf;
  for (;;) {
    std::shared_ptr<Runtime> rt = st.runtime();
    const ServerConfig& sc = rt->config().server;
    boost::system::error_code ec;
    if (buf.size() == 0) {
      // Idle between requests: wait for the first byte under the idle timeout, then the
      // whole head must arrive within header_timeout (a slowloris trickle is cut off).
      Lowest(stream).expires_after(milliseconds(sc.idle_timeout_ms));
      size_t n = co_await stream.async_read_some(buf.prepare(4096), Tok(ec));
      if (ec) co_return;
      buf.commit(n);
    }
    http::request_parser<http::empty_body> hp;
    hp.header_limit(static_cast<uint32_t>(sc.max_header_bytes));
    Lowest(stream).expires_after(milliseconds(sc.header_timeout_ms));
    co_await http::async_read_header(stream, buf, hp, Tok(ec));
    if (ec) {
      if (ec == http::error::header_limit) {
        RequestLog log(*rt, st);
        log.rec.client_ip = client_ip;
        log.rec.reason = "header-too-large";
        co_await SendSimple(stream, &log, 11, false, http::status::request_header_fields_too_large,
                            "header-too-large", sc.idle_timeout_ms);
      } else if (ec == beast::error::timeout) {
        RequestLog log(*rt, st);
        log.rec.client_ip = client_ip;
        log.rec.status = 408;
        log.rec.reason = "header-timeout";
      } else if (ec != http::error::end_of_stream && ec != asio::error::eof) {
        RequestLog log(*rt, st);
        log.rec.client_ip = client_ip;
        log.rec.reason = "bad-request";
        co_await SendSimple(stream, &log, 11, false, http::status::bad_request, "bad-request",
                            sc.idle_timeout_ms);
      }
      co_return;
    }
    bool keep = co_await HandleRequest(stream, buf, hp, st, rt, client_ip, relay_buf);
    if (!keep) co_return;
  }
}

awaitable<void> ServePlain(tcp::socket socket, ProxyState& st, std::string ip) {
  beast::tcp_stream stream(std::move(socket));
  co_await ServeStream(stream, st, std::move(ip));
  // Lingering close: after an error response the client may still be sending (an
  // oversized header or body). Closing with unread bytes makes the kernel send RST, which
  // can destroy the response before the client reads it, so half-close and drain briefly.
  boost::system::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  std::vector<char> sink(16 * 1024);
  stream.expires_after(milliseconds(500));
  for (size_t drained = 0; !ec && drained < 1024 * 1024;) {
    drained += co_await stream.async_read_some(asio::buffer(sink), Tok(ec));
  }
}

awaitable<void> ServeTls(tcp::socket socket, ProxyState& st, asio::ssl::context& ctx,
                         std::string ip) {
  beast::ssl_stream<beast::tcp_stream> stream(std::move(socket), ctx);
  boost::system::error_code ec;
  Lowest(stream).expires_after(milliseconds(st.runtime()->config().server.header_timeout_ms));
  co_await stream.async_handshake(asio::ssl::stream_base::server, Tok(ec));
  if (ec) co_return;
  co_await ServeStream(stream, st, std::move(ip));
}

}  // namespace

void StartConnection(tcp::socket socket, ProxyState& state, asio::ssl::context* server_tls) {
  boost::system::error_code ec;
  std::string ip = socket.remote_endpoint(ec).address().to_string();
  socket.set_option(tcp::no_delay(true), ec);
  state.metrics.ConnectionOpened();
  auto ex = socket.get_executor();
  auto done = [&state](std::exception_ptr) { state.metrics.ConnectionClosed(); };
  if (server_tls != nullptr) {
    asio::co_spawn(ex, ServeTls(std::move(socket), state, *server_tls, std::move(ip)), done);
  } else {
    asio::co_spawn(ex, ServePlain(std::move(socket), state, std::move(ip)), done);
  }
}

}  // namespace leakproof::proxy
