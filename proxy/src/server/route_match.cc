// Request-target parsing and allowlist matching (see route_match.h). Deliberately works on
// the raw, undecoded path: the proxy forwards the raw bytes, so it must judge the raw bytes
// too (decoding here and forwarding the original is how path-confusion bugs start).
#include "leakproof/proxy/route_match.h"

#include <algorithm>
#include <cctype>

namespace leakproof::proxy {
namespace {

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t pos = s.find(sep, start);
    out.push_back(s.substr(start, pos == std::string_view::npos ? pos : pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return out;
}

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

std::optional<ApiTarget> ParseApiTarget(std::string_view target) {
  constexpr std::string_view kPrefix = "/api/";
  if (!target.starts_with(kPrefix)) return std::nullopt;
  std::string_view rest = target.substr(kPrefix.size());
  ApiTarget t;
  size_t q = rest.find('?');
  if (q != std::string_view::npos) {
    t.query = std::string(rest.substr(q + 1));
    rest = rest.substr(0, q);
  }
  size_t slash = rest.find('/');
  t.route = std::string(rest.substr(0, slash));
  t.path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (t.route.empty()) return std::nullopt;
  return t;
}

bool IsSafePath(std::string_view path) {
  if (path.empty() || path.front() != '/') return false;
  if (path == "/") return true;
  for (unsigned char c : path) {
    if (c < 0x21 || c >= 0x7f || c == '\\' || c == '#') return false;
  }
  for (size_t i = 0; i + 2 < path.size(); ++i) {
    if (path[i] != '%') continue;
    std::string_view enc = path.substr(i + 1, 2);
    if (IEquals(enc, "2e") || IEquals(enc, "2f") || IEquals(enc, "5c") || enc == "00") {
      return false;
    }
  }
  auto segments = Split(path.substr(1), '/');
  for (size_t i = 0; i < segments.size(); ++i) {
    std::string_view seg = segments[i];
    // A trailing slash ("/models/") is an empty last segment and is fine.
    if (seg.empty() && i + 1 != segments.size()) return false;
    if (seg == "." || seg == "..") return false;
  }
  return true;
}

bool MatchPathPattern(std::string_view pattern, std::string_view path) {
  if (pattern.empty() || path.empty() || pattern.front() != '/' || path.front() != '/') {
    return false;
  }
  auto pat = Split(pattern.substr(1), '/');
  auto segs = Split(path.substr(1), '/');
  for (size_t i = 0; i < pat.size(); ++i) {
    if (pat[i] == "**" && i + 1 == pat.size()) return true;
    if (i >= segs.size()) return false;
    if (pat[i] == "*") {
      if (segs[i].empty()) return false;
    } else if (pat[i] != segs[i]) {
      return false;
    }
  }
  return pat.size() == segs.size();
}

bool QueryAllowed(std::string_view query, const std::vector<std::string>& allowed) {
  if (query.empty()) return true;
  for (std::string_view pair : Split(query, '&')) {
    if (pair.empty()) continue;
    std::string_view name = pair.substr(0, pair.find('='));
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) return false;
  }
  return true;
}

std::string QueryNamesOnly(std::string_view query) {
  std::string out;
  for (std::string_view pair : Split(query, '&')) {
    if (pair.empty()) continue;
    if (!out.empty()) out += '&';
    out += pair.substr(0, pair.find('='));
  }
  return out;
}

std::string PercentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 3);
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace leakproof::proxy
