// The two message heads the data path writes for every proxied request, built as flat
// strings: the request to the upstream (inbound headers stripped, credential injected)
// and the response head to the client (upstream headers filtered, framing chosen).
// Beast's serializer hands the socket a nested buffer view (start line, one buffer per
// field, CRLFs, chunk framing) that costs more CPU to walk than these few hundred bytes
// cost to copy, and building a Beast message first costs an allocation per field. The
// bytes are the ones Beast would write for the equivalent message (see http_head_test).
#pragma once

#include "leakproof/proxy/config.h"
#include "leakproof/proxy/injection.h"

#include <boost/beast/http/message.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace leakproof::proxy {

// "METHOD target HTTP/1.1", every inbound header the route forwards
// (IsForwardedRequestHeader, unless listed in `Connection`), then Host, the
// injected headers and, when given, Content-Length; ends with the empty line.
std::string UpstreamRequestHead(const boost::beast::http::request_header<>& in,
                                const RouteConfig& route, std::string_view csrf_header,
                                const Injection& inj, std::optional<uint64_t> content_length);

struct ResponseHead {
  std::string text;         // status line, headers, empty line
  bool no_body = false;     // HEAD, 1xx, 204, 304: nothing follows the head
  bool chunked = false;     // the body is re-framed as chunks (upstream gave no length)
  bool keep_alive = false;  // the client connection stays open after this response
};

// The client's response head for upstream head `up` (whose parsed body length is
// `up_length`): only headers the route returns (IsReturnedResponseHeader) and that are not
// listed in `Connection` are copied; the length is re-declared, or the body is chunked for an
// HTTP/1.1 client, or delimited by closing the connection for an HTTP/1.0 one.
ResponseHead ClientResponseHead(const boost::beast::http::response_header<>& up,
                                const RouteConfig& route, std::optional<uint64_t> up_length,
                                bool is_head, unsigned client_version, bool client_keep_alive);

}  // namespace leakproof::proxy
