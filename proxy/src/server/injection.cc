// Credential presentation per `auth` kind (see injection.h and docs/proxy-config.md).
// Strip-then-inject order matters: the stripping list contains every header we inject,
// so a browser can never pre-set (and thereby override or duplicate) a credential header.
#include "leakproof/proxy/injection.h"

#include "leakproof/proxy/route_match.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>

namespace leakproof::proxy {
namespace {

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool IStartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && IEquals(s.substr(0, prefix.size()), prefix);
}

}  // namespace

std::string PathSegmentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || std::string_view("-._~:@!$&'()*+,;=").find(static_cast<char>(c)) !=
                               std::string_view::npos) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string Base64Encode(std::string_view in) {
  std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(in.data()),
                          static_cast<int>(in.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

bool IsHopByHop(std::string_view name) {
  for (std::string_view h : {"connection", "keep-alive", "te", "trailer", "transfer-encoding",
                             "upgrade", "proxy-connection"}) {
    if (IEquals(name, h)) return true;
  }
  return false;
}

bool HasHeaderInjection(std::string_view value) {
  // A plain loop: find_first_of runs a char_traits::find over the set for every byte,
  // and every header name and value of every request passes through here.
  return std::any_of(value.begin(), value.end(),
                     [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
}

bool IsStrippedRequestHeader(std::string_view name, const RouteConfig& route,
                             std::string_view csrf_header) {
  if (IsHopByHop(name)) return true;
  for (std::string_view h : {"cookie", "authorization", "proxy-authorization", "forwarded", "host",
                             "content-length", "expect"}) {
    if (IEquals(name, h)) return true;
  }
  if (IStartsWith(name, "x-forwarded-") || IEquals(name, csrf_header)) return true;
  const CredentialConfig& c = route.credential;
  if (c.auth == AuthKind::kHeader && IEquals(name, c.auth_param)) return true;
  return std::any_of(c.extra_headers.begin(), c.extra_headers.end(),
                     [&](const auto& h) { return IEquals(name, h.first); });
}

bool IsForwardedRequestHeader(std::string_view name, const RouteConfig& route,
                              std::string_view csrf_header) {
  if (IsStrippedRequestHeader(name, route, csrf_header)) return false;
  // Content-Encoding is left out on purpose: json_caps read the body as sent, so a
  // compressed body would pass the caps unread.
  for (std::string_view h :
       {"accept", "accept-encoding", "accept-language", "content-type", "cache-control", "if-match",
        "if-none-match", "if-modified-since", "if-unmodified-since", "if-range", "range",
        "idempotency-key", "last-event-id"}) {
    if (IEquals(name, h)) return true;
  }
  return std::any_of(route.forward_headers.begin(), route.forward_headers.end(),
                     [&](const std::string& h) { return IEquals(name, h); });
}

bool IsNeverReturnedHeader(std::string_view name) {
  if (IsHopByHop(name) || IStartsWith(name, "access-control-")) return true;
  for (std::string_view h : {"set-cookie", "set-cookie2", "content-length",
                             "strict-transport-security", "alt-svc", "clear-site-data"}) {
    if (IEquals(name, h)) return true;
  }
  return false;
}

bool IsReturnedResponseHeader(std::string_view name, const RouteConfig& route) {
  if (IsNeverReturnedHeader(name)) return false;
  for (std::string_view h :
       {"content-type", "content-encoding", "content-language", "content-range",
        "content-disposition", "accept-ranges", "cache-control", "etag", "last-modified", "expires",
        "age", "date", "vary", "location", "retry-after"}) {
    if (IEquals(name, h)) return true;
  }
  return std::any_of(route.return_headers.begin(), route.return_headers.end(),
                     [&](const std::string& h) { return IEquals(name, h); });
}

Injection BuildInjection(const RouteConfig& route, std::string_view secret, std::string_view path,
                         std::string_view query, std::string_view username_secret) {
  const CredentialConfig& c = route.credential;
  Injection inj;
  std::string base = route.upstream.base_path;
  if (c.auth == AuthKind::kPath) {
    size_t pos;
    const std::string encoded = PathSegmentEncode(secret);
    while ((pos = base.find("{key}")) != std::string::npos) base.replace(pos, 5, encoded);
  }
  inj.target = base + std::string(path.empty() ? "/" : path);
  std::string q(query);
  if (c.auth == AuthKind::kQuery) {
    if (!q.empty()) q += '&';
    q += PercentEncode(c.auth_param) + "=" + PercentEncode(secret);
  }
  if (!q.empty()) inj.target += "?" + q;

  switch (c.auth) {
    case AuthKind::kBearer:
      inj.headers.emplace_back(
          "Authorization",
          (c.auth_prefix.empty() ? "Bearer " : c.auth_prefix) + std::string(secret));
      break;
    case AuthKind::kBasic: {
      const std::string user =
          c.basic_username_source.empty() ? c.basic_username : std::string(username_secret);
      std::string pair =
          c.basic_key_is_username ? std::string(secret) + ":" : user + ":" + std::string(secret);
      inj.headers.emplace_back("Authorization", "Basic " + Base64Encode(pair));
      break;
    }
    case AuthKind::kHeader:
      inj.headers.emplace_back(c.auth_param, c.auth_prefix + std::string(secret));
      break;
    case AuthKind::kQuery:
    case AuthKind::kPath:
      break;
  }
  for (const auto& h : c.extra_headers) inj.headers.push_back(h);
  return inj;
}

}  // namespace leakproof::proxy
