// Blocking GET over Beast, run on a private io_context so that Beast's per-operation
// deadlines (tcp_stream::expires_after) bound the whole exchange; plain sync Beast calls
// have no timeouts at all, and a hung Vault must not hang the refresh thread forever.
#include "leakproof/proxy/http_fetch.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <openssl/ssl.h>

#include <chrono>
#include <optional>

namespace leakproof::proxy {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

template <class Stream>
asio::awaitable<void> Exchange(Stream& stream, const http::request<http::empty_body>& req,
                               size_t max_body, FetchResult& out) {
  co_await http::async_write(stream, req, asio::use_awaitable);
  beast::flat_buffer buf;
  http::response_parser<http::string_body> parser;
  parser.body_limit(max_body);
  if (req.method() == http::verb::head) parser.skip(true);  // a HEAD answer has no body
  co_await http::async_read(stream, buf, parser, asio::use_awaitable);
  out.status = static_cast<int>(parser.get().result_int());
  out.body = std::move(parser.get().body());
  for (const auto& field : parser.get()) {
    out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
}

asio::awaitable<void> Fetch(http::verb method, const UpstreamUrl& u, std::string target,
                            const std::vector<std::pair<std::string, std::string>>& headers,
                            std::chrono::milliseconds timeout, const std::string& ca_file,
                            size_t max_body, FetchResult& out) {
  auto ex = co_await asio::this_coro::executor;
  asio::ip::tcp::resolver resolver(ex);
  beast::tcp_stream tcp(ex);
  tcp.expires_after(timeout);
  auto endpoints =
      co_await resolver.async_resolve(u.host, std::to_string(u.port), asio::use_awaitable);
  co_await tcp.async_connect(endpoints, asio::use_awaitable);

  http::request<http::empty_body> req{method, target.empty() ? "/" : target, 11};
  req.set(http::field::host, u.host);
  req.set(http::field::user_agent, "leakproof-proxy");
  for (const auto& [k, v] : headers) req.set(k, v);
  if (method == http::verb::post) req.set(http::field::content_length, "0");

  if (!u.tls) {
    co_await Exchange(tcp, req, max_body, out);
    co_return;
  }
  asio::ssl::context ctx(asio::ssl::context::tls_client);
  ctx.set_verify_mode(asio::ssl::verify_peer);
  if (ca_file.empty()) {
    ctx.set_default_verify_paths();
  } else {
    ctx.load_verify_file(ca_file);
  }
  beast::ssl_stream<beast::tcp_stream> tls(std::move(tcp), ctx);
  beast::get_lowest_layer(tls).expires_after(timeout);
  // SSL_set_tlsext_host_name is a macro with a C cast; call what it expands to.
  SSL_ctrl(tls.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
           const_cast<char*>(u.host.c_str()));
  SSL_set1_host(tls.native_handle(), u.host.c_str());
  co_await tls.async_handshake(asio::ssl::stream_base::client, asio::use_awaitable);
  co_await Exchange(tls, req, max_body, out);
}

// The URL's path as written ("/" when empty): UpstreamUrl::base_path drops a trailing
// slash, and a SigV4 signature covers the exact path ("/" for STS, not "").
std::string OriginPath(const std::string& url) {
  const std::size_t authority = url.find("://");
  const std::size_t slash = url.find('/', authority == std::string::npos ? 0 : authority + 3);
  return slash == std::string::npos ? "/" : url.substr(slash);
}

}  // namespace

Result<FetchResult> HttpGet(const std::string& url,
                            const std::vector<std::pair<std::string, std::string>>& headers,
                            int timeout_ms, const std::string& ca_file, size_t max_body_bytes) {
  return HttpSend("GET", url, headers, timeout_ms, ca_file, max_body_bytes);
}

Result<FetchResult> HttpSend(const std::string& method, const std::string& url,
                             const std::vector<std::pair<std::string, std::string>>& headers,
                             int timeout_ms, const std::string& ca_file, size_t max_body_bytes) {
  const http::verb verb = http::string_to_verb(method);
  if (verb != http::verb::get && verb != http::verb::head && verb != http::verb::post) {
    return Status::InvalidArgument("unsupported method '" + method + "'");
  }
  // Split the URL into base (scheme://host:port) and target: ParseUpstreamUrl rejects
  // queries, so strip and re-append one.
  std::string base = url, query;
  if (size_t q = url.find('?'); q != std::string::npos) {
    base = url.substr(0, q);
    query = url.substr(q);
  }
  auto u = ParseUpstreamUrl(base);
  if (!u.ok()) return u.status();
  asio::io_context ioc;
  FetchResult out;
  std::optional<std::string> error;
  asio::co_spawn(ioc,
                 Fetch(verb, *u, OriginPath(base) + query, headers,
                       std::chrono::milliseconds(timeout_ms), ca_file, max_body_bytes, out),
                 [&](std::exception_ptr e) {
                   if (!e) return;
                   try {
                     std::rethrow_exception(e);
                   } catch (const std::exception& ex) {
                     error = ex.what();
                   }
                 });
  ioc.run();
  if (error) return Status::IOError(method + " " + u->host + ": " + *error);
  return out;
}

}  // namespace leakproof::proxy
