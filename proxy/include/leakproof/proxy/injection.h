// How a route's credential is presented upstream (the rule schema's `auth` kinds), and
// which inbound headers must never reach the upstream. Pure string work with no HTTP
// library types, so the exact bytes per presentation kind are unit tested.
// Thread-safe (stateless).
#pragma once

#include "leakproof/proxy/config.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace leakproof::proxy {

struct Injection {
  std::string target;  // upstream origin-form target: base path + path [+ '?' query]
  std::vector<std::pair<std::string, std::string>> headers;  // to add (credential + extras)
};

// Builds the upstream target and credential headers for `route` with key `secret`.
// `path` and `query` are the client's (already allowlisted) raw path and query.
// `username_secret` is the value of `credential.basic_username_source` (routes that have
// one): the Basic user name, the other half of a key pair.
Injection BuildInjection(const RouteConfig& route, std::string_view secret, std::string_view path,
                         std::string_view query, std::string_view username_secret = {});

// True for headers that must be removed from the inbound request before forwarding:
// credentials and cookies, forwarding headers a client could spoof, hop-by-hop headers
// (RFC 9110 7.6.1), the CSRF header, and anything the route injects itself.
bool IsStrippedRequestHeader(std::string_view name, const RouteConfig& route,
                             std::string_view csrf_header);

// The request header policy is an allowlist: only a small default set (content
// negotiation, conditional and range requests, Content-Type, Idempotency-Key,
// Last-Event-ID) plus the route's `forward_headers` reaches the upstream, and never a
// stripped header. Anything else a browser or app sends (User-Agent, Sec-*, X-Real-IP,
// CF-Connecting-IP, tenant selectors like Stripe-Account) stays at the proxy.
bool IsForwardedRequestHeader(std::string_view name, const RouteConfig& route,
                              std::string_view csrf_header);

// The response header policy is an allowlist too: representation and caching metadata,
// Location and Retry-After by default, plus the route's `return_headers`, and never a
// header from IsNeverReturnedHeader.
bool IsReturnedResponseHeader(std::string_view name, const RouteConfig& route);

// Upstream headers that would act on the app's whole origin or on the framing: CORS
// (Access-Control-*), Set-Cookie, HSTS, Alt-Svc, Clear-Site-Data, Content-Length and
// hop-by-hop headers. No configuration can pass them back.
bool IsNeverReturnedHeader(std::string_view name);

// Hop-by-hop headers (RFC 9110 7.6.1) plus Proxy-Connection; case-insensitive.
bool IsHopByHop(std::string_view name);

// True when `value` could split or smuggle a header line (CR, LF, NUL).
bool HasHeaderInjection(std::string_view value);

std::string Base64Encode(std::string_view in);
// Path segment encoding (`path` auth, and --verify's liveness paths): RFC 3986 pchar kept
// (":" matters for Telegram's "<id>:<secret>" bot tokens), everything else %XX.
std::string PathSegmentEncode(std::string_view s);

}  // namespace leakproof::proxy
