// Pure request-target handling for the proxy: split `/api/<route>/<path>?<query>`, reject
// path tricks, match the route's path patterns and query allowlist. No I/O, no Beast, so
// it is unit tested and fuzzed (tests/fuzz/http_request_fuzz.cc). Thread-safe (stateless).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leakproof::proxy {

struct ApiTarget {
  std::string route;  // "<route>"
  std::string path;   // "/<path>" ("/" when absent), raw (not percent-decoded)
  std::string query;  // raw query without '?', may be empty
};

// Splits an origin-form target under "/api/". nullopt when it is not "/api/<name>[/...]".
std::optional<ApiTarget> ParseApiTarget(std::string_view target);

// False for paths that could escape or confuse an upstream's routing: "." or ".."
// segments, empty segments, backslashes, control bytes, encoded '.', '/', '\', NUL and '%',
// segments that are dot or empty once ';' path parameters are dropped ("..;x", ".%3b"),
// overlong UTF-8 and malformed escapes.
bool IsSafePath(std::string_view path);

// Segment-wise glob: literal segments, "*" = one segment, trailing "**" = the rest.
bool MatchPathPattern(std::string_view pattern, std::string_view path);

// True when every parameter name in `query` is in `allowed` (names compared raw).
bool QueryAllowed(std::string_view query, const std::vector<std::string>& allowed);

// The query with values dropped ("a&b"), for audit lines: values may hold user data.
std::string QueryNamesOnly(std::string_view query);

// RFC 3986 percent-encoding of everything but unreserved characters.
std::string PercentEncode(std::string_view s);

}  // namespace leakproof::proxy
