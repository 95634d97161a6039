// Flat message heads for the data path (see http_head.h). Field order and spelling follow
// what the Beast message calls this replaces produced: copied fields in arrival order,
// then each `set` field appended (a later `set` of the same name replaces an earlier one).
#include "http_head.h"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/rfc7230.hpp>
#include <boost/beast/http/status.hpp>

#include <charconv>
#include <utility>
#include <vector>

namespace leakproof::proxy {
namespace {

namespace http = boost::beast::http;
using boost::beast::iequals;

void AppendField(std::string& out, std::string_view name, std::string_view value) {
  out += name;
  out += ": ";
  out += value;
  out += "\r\n";
}

void AppendNumber(std::string& out, uint64_t v) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof(buf), v);
  out.append(buf, res.ptr);
}

// True when `name` is one of the tokens of the message's Connection header (those are
// hop-by-hop for this message too, RFC 9110 7.6.1).
template <class Fields>
bool ListedInConnection(const Fields& fields, std::string_view name) {
  for (auto tok : http::token_list(fields[http::field::connection])) {
    if (iequals(tok, name)) return true;
  }
  return false;
}

}  // namespace

std::string UpstreamRequestHead(const http::request_header<>& in, const RouteConfig& route,
                                std::string_view csrf_header, const Injection& inj,
                                std::optional<uint64_t> content_length) {
  std::string out;
  out.reserve(512);
  out += in.method_string();
  out += ' ';
  out += inj.target;
  out += " HTTP/1.1\r\n";
  const bool has_connection = in.count(http::field::connection) > 0;
  for (const auto& f : in) {
    const std::string_view name = f.name_string();
    if (!IsForwardedRequestHeader(name, route, csrf_header)) continue;
    if (has_connection && ListedInConnection(in, name)) continue;
    AppendField(out, name, f.value());
  }
  // Host, then the injected headers; where two share a name the later one wins, in the
  // later one's place.
  const UpstreamUrl& u = route.upstream;
  std::string host = u.host;
  if (u.port != (u.tls ? 443 : 80)) host += ":" + std::to_string(u.port);
  std::vector<std::pair<std::string_view, std::string_view>> set;
  set.reserve(inj.headers.size() + 1);
  set.emplace_back("Host", host);
  for (const auto& [k, v] : inj.headers) set.emplace_back(k, v);
  for (size_t i = 0; i < set.size(); ++i) {
    bool replaced = false;
    for (size_t j = i + 1; j < set.size(); ++j)
      replaced = replaced || iequals(set[i].first, set[j].first);
    if (!replaced) AppendField(out, set[i].first, set[i].second);
  }
  if (content_length) {
    out += "Content-Length: ";
    AppendNumber(out, *content_length);
    out += "\r\n";
  }
  out += "\r\n";
  return out;
}

ResponseHead ClientResponseHead(const http::response_header<>& up, const RouteConfig& route,
                                std::optional<uint64_t> up_length, bool is_head,
                                unsigned client_version, bool client_keep_alive) {
  ResponseHead h;
  std::string& out = h.text;
  out.reserve(512);
  const unsigned status = up.result_int();
  out += "HTTP/";
  out += static_cast<char>('0' + client_version / 10);
  out += '.';
  out += static_cast<char>('0' + client_version % 10);
  out += ' ';
  AppendNumber(out, status);
  out += ' ';
  out += http::obsolete_reason(http::int_to_status(status));
  out += "\r\n";
  const bool has_connection = up.count(http::field::connection) > 0;
  for (const auto& f : up) {
    const std::string_view name = f.name_string();
    if (!IsReturnedResponseHeader(name, route)) continue;
    if (has_connection && ListedInConnection(up, name)) continue;
    AppendField(out, name, f.value());
  }
  h.no_body = is_head || status / 100 == 1 || status == 204 || status == 304;
  bool close_delimited = false;
  if (h.no_body) {
    if (is_head && up.count(http::field::content_length) > 0) {
      AppendField(out, "Content-Length", up[http::field::content_length]);
    }
  } else if (up_length) {
    out += "Content-Length: ";
    AppendNumber(out, *up_length);
    out += "\r\n";
  } else if (client_version >= 11) {
    h.chunked = true;
    out += "Transfer-Encoding: chunked\r\n";
  } else {
    close_delimited = true;
  }
  h.keep_alive = client_keep_alive && !close_delimited;
  if (client_version >= 11 && !h.keep_alive) out += "Connection: close\r\n";
  if (client_version < 11 && h.keep_alive) out += "Connection: keep-alive\r\n";
  out += "\r\n";
  return h;
}

}  // namespace leakproof::proxy
