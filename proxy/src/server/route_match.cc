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

namespace {

bool IsHexDigit(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

// The name part of a path segment as a Tomcat/Jetty/Spring-style server sees it: those
// servers drop RFC 2396 path parameters (";jsessionid=..."), and Spring decodes "%3B"
// before doing so, so "..;x" and "..%3bx" both become "..".
std::string_view SegmentName(std::string_view seg) {
  size_t cut = seg.find(';');
  for (size_t i = 0; i + 2 < seg.size() && i < cut; ++i) {
    if (seg[i] == '%' && IEquals(seg.substr(i + 1, 2), "3b")) cut = i;
  }
  return seg.substr(0, cut);
}

// Percent-escapes that some server or framework on the way decodes into '.', '/', '\',
// ';' or NUL, or that are not valid encodings at all. Checked on the raw path because the
// raw path is what is forwarded.
bool HasDangerousEscape(std::string_view path) {
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] != '%') continue;
    // "%" must start a two-digit escape: "%u002e" (IIS) and a bare "%" are refused.
    if (i + 2 >= path.size() || !IsHexDigit(path[i + 1]) || !IsHexDigit(path[i + 2])) {
      return true;
    }
    std::string_view enc = path.substr(i + 1, 2);
    // '.', '/', '\', NUL, and '%' itself: "%252e" is "%2e" to a server that decodes twice.
    if (IEquals(enc, "2e") || IEquals(enc, "2f") || IEquals(enc, "5c") || enc == "00" ||
        enc == "25") {
      return true;
    }
    // Overlong UTF-8 ("%c0%ae" is '.' to a lax decoder): C0 and C1 never occur in valid
    // UTF-8, nor does E0 followed by 80..9F.
    if (IEquals(enc, "c0") || IEquals(enc, "c1")) return true;
    if (IEquals(enc, "e0") && i + 4 < path.size() && path[i + 3] == '%' &&
        (path[i + 4] == '8' || path[i + 4] == '9')) {
      return true;
    }
  }
  return false;
}

}  // namespace

bool IsSafePath(std::string_view path) {
  if (path.empty() || path.front() != '/') return false;
  if (path == "/") return true;
  for (unsigned char c : path) {
    if (c < 0x21 || c >= 0x7f || c == '\\' || c == '#') return false;
  }
  if (HasDangerousEscape(path)) return false;
  auto segments = Split(path.substr(1), '/');
  for (size_t i = 0; i < segments.size(); ++i) {
    std::string_view seg = segments[i];
    // A trailing slash ("/models/") is an empty last segment and is fine.
    if (seg.empty() && i + 1 != segments.size()) return false;
    if (seg.empty()) continue;
    // Judged by the name a parameter-stripping server would route on: "..;x", ".;",
    // "..%3b" are dot segments there, and ";x" alone is an empty segment.
    std::string_view name = SegmentName(seg);
    if (name.empty() || name == "." || name == "..") return false;
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
