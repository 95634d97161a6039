// Unit: the flat request and response heads of the data path (server/http_head.h) are
// byte for byte what the Beast messages they replace serialized to, for ordinary and
// awkward inputs: stripped and Connection-listed headers, odd casing, a Host or
// credential header the browser tried to set, HEAD, 204, HTTP/1.0 clients, no length.
#include "server/http_head.h"

#include "leakproof/proxy/injection.h"

#include <boost/beast/http.hpp>
#include <catch2/catch.hpp>

#include <sstream>

namespace leakproof::proxy {
namespace {

namespace http = boost::beast::http;

RouteConfig Route(uint16_t port, bool tls) {
  RouteConfig r;
  r.name = "t";
  r.upstream.tls = tls;
  r.upstream.host = "api.example.test";
  r.upstream.port = port;
  r.upstream.base_path = "/v1";
  r.credential.auth = AuthKind::kBearer;
  r.credential.extra_headers = {{"OpenAI-Beta", "assistants=v2"}, {"X-Extra", "1"}};
  r.forward_headers = {"Stripe-Account"};
  return r;
}

http::request<http::empty_body> Inbound(const std::string& method) {
  http::request<http::empty_body> in;
  in.method_string(method);
  in.target("/api/t/models?limit=2");
  in.version(11);
  in.insert("Host", "app.example.test");
  in.insert("cookie", "lp_session=x");
  in.insert("Authorization", "Bearer from-browser");
  in.insert("X-Requested-With", "leakproof");
  in.insert("Connection", "keep-alive, X-Drop-Me");
  in.insert("X-Drop-Me", "1");
  in.insert("x-forwarded-for", "6.6.6.6");
  in.insert("Expect", "100-continue");
  in.insert("Content-Type", "application/json");
  in.insert("openai-beta", "browser-value");
  in.insert("Accept", "*/*");
  in.insert("accept", "text/plain");
  in.insert("User-Agent", "browser/1.0");
  in.insert("Stripe-Account", "acct_from_browser");
  in.insert("If-None-Match", "\"etag\"");
  in.insert("Content-Length", "13");
  return in;
}

// The upstream request as proxy_connection.cc built it before (Beast message + serializer).
std::string BeastRequest(const http::request<http::empty_body>& in, const RouteConfig& route,
                         const Injection& inj, const std::string& body, bool force_length) {
  http::request<http::string_body> ureq;
  ureq.method_string(in.method_string());
  ureq.target(inj.target);
  ureq.version(11);
  std::vector<std::string> listed;
  for (auto tok : http::token_list(in[http::field::connection])) listed.emplace_back(tok);
  for (const auto& f : in) {
    std::string_view name = f.name_string();
    if (!IsForwardedRequestHeader(name, route, "X-Requested-With")) continue;
    bool is_listed = false;
    for (const auto& l : listed) is_listed = is_listed || boost::beast::iequals(l, name);
    if (!is_listed) ureq.insert(name, f.value());
  }
  const UpstreamUrl& u = route.upstream;
  const bool default_port = u.port == (u.tls ? 443 : 80);
  ureq.set(http::field::host, default_port ? u.host : u.host + ":" + std::to_string(u.port));
  for (const auto& [k, v] : inj.headers) ureq.set(k, v);
  ureq.body() = body;
  if (!body.empty() || force_length) ureq.content_length(body.size());
  ureq.keep_alive(true);
  std::ostringstream os;
  os << ureq;
  return os.str();
}

// The client response head as Relay built it before.
std::string BeastResponseHead(const http::response<http::empty_body>& up, const RouteConfig& route,
                              std::optional<uint64_t> length, bool is_head, unsigned version,
                              bool keep_alive) {
  http::response<http::empty_body> res;
  res.result(up.result_int());
  res.version(version);
  std::vector<std::string> listed;
  for (auto tok : http::token_list(up[http::field::connection])) listed.emplace_back(tok);
  for (const auto& f : up) {
    std::string_view name = f.name_string();
    if (!IsReturnedResponseHeader(name, route)) continue;
    bool is_listed = false;
    for (const auto& l : listed) is_listed = is_listed || boost::beast::iequals(l, name);
    if (!is_listed) res.insert(name, f.value());
  }
  const int status = static_cast<int>(up.result_int());
  const bool no_body = is_head || status / 100 == 1 || status == 204 || status == 304;
  bool close_delimited = false;
  if (no_body) {
    if (is_head && up.has_content_length()) {
      res.set(http::field::content_length, up[http::field::content_length]);
    }
  } else if (length) {
    res.content_length(*length);
  } else if (version >= 11) {
    res.chunked(true);
  } else {
    close_delimited = true;
  }
  res.keep_alive(keep_alive && !close_delimited);
  std::ostringstream os;
  os << res.base();
  return os.str();
}

}  // namespace

TEST_CASE("upstream request head: same bytes as the Beast message it replaces", "[proxy]") {
  const std::pair<uint16_t, bool> upstreams[] = {
      {443, true}, {8443, true}, {80, false}, {18081, false}};
  for (const auto& [port, tls] : upstreams) {
    const RouteConfig route = Route(port, tls);
    const Injection inj = BuildInjection(route, "FAKESECRET-head-test", "/models", "limit=2");
    for (const std::string_view method : {"GET", "POST", "HEAD", "PURGE"}) {
      for (const std::string& body : {std::string(), std::string(R"({"model":"x"})")}) {
        INFO(method << " " << port << " body=" << body.size());
        const bool force = method == "POST";
        const auto in = Inbound(std::string(method));
        std::optional<uint64_t> length;
        if (!body.empty() || force) length = body.size();
        CHECK(UpstreamRequestHead(in.base(), route, "X-Requested-With", inj, length) + body ==
              BeastRequest(in, route, inj, body, force));
      }
    }
  }
  // The credential header the route injects replaces any the config repeats; Host last set.
  RouteConfig route = Route(443, true);
  route.credential.extra_headers.push_back({"authorization", "Bearer extra"});
  const Injection inj = BuildInjection(route, "FAKESECRET-head-test", "/x", "");
  const auto in = Inbound("GET");
  CHECK(UpstreamRequestHead(in.base(), route, "X-Requested-With", inj, std::nullopt) ==
        BeastRequest(in, route, inj, "", false));
}

TEST_CASE("client response head: same bytes as the Beast message it replaces", "[proxy]") {
  http::response<http::empty_body> up;
  up.version(11);
  up.insert("Server", "upstream");
  up.insert("Content-Type", "text/event-stream");
  up.insert("Set-Cookie", "a=1");
  up.insert("set-cookie", "b=2");
  up.insert("Connection", "keep-alive, X-Hop");
  up.insert("X-Hop", "1");
  up.insert("Keep-Alive", "timeout=5");
  up.insert("Transfer-Encoding", "chunked");
  up.insert("Content-Length", "27");
  up.insert("x-request-id", "abc");
  up.insert("Access-Control-Allow-Origin", "*");
  up.insert("Cache-Control", "no-store");
  RouteConfig route = Route(443, true);
  route.return_headers = {"X-Request-Id"};
  for (unsigned status : {200u, 201u, 204u, 301u, 304u, 404u, 429u, 503u, 599u, 101u}) {
    up.result(status);
    for (bool is_head : {false, true}) {
      for (unsigned version : {10u, 11u}) {
        for (bool ka : {false, true}) {
          const std::optional<uint64_t> lengths[] = {std::nullopt, 27, 0};
          for (const auto& length : lengths) {
            INFO(status << " head=" << is_head << " v=" << version << " ka=" << ka
                        << " len=" << (length ? std::to_string(*length) : "none"));
            const ResponseHead h =
                ClientResponseHead(up.base(), route, length, is_head, version, ka);
            CHECK(h.text == BeastResponseHead(up, route, length, is_head, version, ka));
            const bool no_body = is_head || status / 100 == 1 || status == 204 || status == 304;
            CHECK(h.no_body == no_body);
            CHECK(h.chunked == (!no_body && !length && version >= 11));
            CHECK(h.keep_alive == (ka && (no_body || length || version >= 11)));
          }
        }
      }
    }
  }
}

// Issue 13: the header policy is an allowlist both ways.
TEST_CASE("request headers: default set plus the route's forward_headers, nothing else",
          "[proxy]") {
  RouteConfig route = Route(443, true);
  auto in = Inbound("POST");
  in.insert("X-Real-IP", "6.6.6.6");
  in.insert("CF-Connecting-IP", "6.6.6.6");
  in.insert("Sec-Fetch-Site", "same-origin");
  in.insert("sec-ch-ua", "\"Chromium\"");
  in.insert("Content-Encoding", "gzip");
  const Injection inj = BuildInjection(route, "FAKESECRET-head-test", "/x", "");
  std::string head = UpstreamRequestHead(in.base(), route, "X-Requested-With", inj, 0);
  for (const char* gone : {"User-Agent", "X-Real-IP", "CF-Connecting-IP", "Sec-Fetch-Site",
                           "sec-ch-ua", "Content-Encoding", "X-Drop-Me", "cookie", "Expect",
                           "x-forwarded-for", "openai-beta: browser"}) {
    INFO(gone);
    CHECK(head.find(std::string(gone)) == std::string::npos);
  }
  for (const char* kept :
       {"Accept: */*\r\n", "Content-Type: application/json\r\n", "If-None-Match: \"etag\"\r\n",
        "Stripe-Account: acct_from_browser\r\n"}) {
    INFO(kept);
    CHECK(head.find(kept) != std::string::npos);
  }
  // Without the route's opt-in, Stripe-Account (a tenant selector) is not forwarded.
  route.forward_headers.clear();
  head = UpstreamRequestHead(in.base(), route, "X-Requested-With", inj, 0);
  CHECK(head.find("Stripe-Account") == std::string::npos);
}

TEST_CASE("response headers: safe default set, never upstream CORS or cookies", "[proxy]") {
  http::response<http::empty_body> up;
  up.version(11);
  up.result(200);
  up.insert("Content-Type", "application/json");
  up.insert("Access-Control-Allow-Origin", "*");
  up.insert("Access-Control-Allow-Credentials", "true");
  up.insert("access-control-expose-headers", "x-secret");
  up.insert("Set-Cookie", "a=1");
  up.insert("Strict-Transport-Security", "max-age=0");
  up.insert("Alt-Svc", "h3=\":443\"");
  up.insert("Server", "upstream/1.2");
  up.insert("X-Ratelimit-Remaining", "7");
  up.insert("ETag", "\"v1\"");
  up.insert("Retry-After", "3");
  RouteConfig route = Route(443, true);
  std::string head = ClientResponseHead(up.base(), route, 2, false, 11, true).text;
  for (const char* gone : {"Access-Control", "access-control", "Set-Cookie", "Strict-Transport",
                           "Alt-Svc", "Server", "X-Ratelimit"}) {
    INFO(gone);
    CHECK(head.find(gone) == std::string::npos);
  }
  for (const char* kept :
       {"Content-Type: application/json\r\n", "ETag: \"v1\"\r\n", "Retry-After: 3\r\n"}) {
    INFO(kept);
    CHECK(head.find(kept) != std::string::npos);
  }
  route.return_headers = {"x-ratelimit-remaining"};
  head = ClientResponseHead(up.base(), route, 2, false, 11, true).text;
  CHECK(head.find("X-Ratelimit-Remaining: 7\r\n") != std::string::npos);
  CHECK(head.find("Access-Control") == std::string::npos);
}

}  // namespace leakproof::proxy
