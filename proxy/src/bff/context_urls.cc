// URL parsing and path-prefix derivation for the upstream allowlists (context_urls.h).
#include "bff/context_urls.h"

#include "bff/template_values.h"

#include <cctype>

namespace leakproof::proxy::bff {
namespace {

std::vector<std::string> Segments(std::string_view path) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < path.size()) {
    std::size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) out.emplace_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::optional<ParsedUrl> ParseHttpUrl(std::string_view url) {
  std::size_t colon = url.find("://");
  if (colon == std::string_view::npos) return std::nullopt;
  std::string scheme = Lower(url.substr(0, colon));
  if (scheme != "http" && scheme != "https") return std::nullopt;
  std::string_view rest = url.substr(colon + 3);
  std::size_t end = rest.find_first_of("?#");
  if (end != std::string_view::npos) rest = rest.substr(0, end);
  std::size_t slash = rest.find('/');
  std::string_view host = rest.substr(0, slash);
  if (host.empty() || host.find('@') != std::string_view::npos) return std::nullopt;
  ParsedUrl out;
  out.scheme = scheme;
  out.host = Lower(host);
  out.path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  return out;
}

bool LooksDynamic(std::string_view segment) {
  if (segment.empty()) return true;
  bool digit = false;
  bool alpha = false;
  for (char c : segment) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isdigit(u)) {
      digit = true;
    } else if (std::isalpha(u)) {
      alpha = true;
    } else if (c != '-' && c != '_' && c != '.') {
      return true;  // '{', '$', '%', ':', '…' (template vars, encodings, redactions)
    }
  }
  if (digit && !alpha) return true;              // numeric id
  if (digit && segment.size() > 8) return true;  // cus_9s8d7f6g..., tokens
  if (segment.size() > 32) return true;          // long opaque value
  if (segment == "." || segment == "..") return true;
  return false;
}

bool SameHost(std::string_view base_host, std::string_view host) {
  if (base_host.find('{') == std::string_view::npos) return base_host == host;
  return MatchHostPattern(base_host, host).has_value();
}

namespace {

// The path segments of `url` after those of `base_url`, or nullopt if not under it.
std::optional<std::vector<std::string>> SegmentsUnder(std::string_view base_url,
                                                      std::string_view url, bool* trailing_slash) {
  auto base = ParseHttpUrl(base_url);
  auto target = ParseHttpUrl(url);
  if (!base || !target || !SameHost(base->host, target->host)) return std::nullopt;
  std::vector<std::string> base_segs = Segments(base->path);
  std::vector<std::string> segs = Segments(target->path);
  if (segs.size() < base_segs.size()) return std::nullopt;
  for (std::size_t i = 0; i < base_segs.size(); ++i) {
    const std::string& b = base_segs[i];
    std::size_t key = b.find("{key}");
    if (key != std::string::npos) {
      // "bot{key}" matches "bot<anything>": the literal parts must agree.
      std::string pre = b.substr(0, key);
      std::string post = b.substr(key + 5);
      const std::string& s = segs[i];
      if (s.size() < pre.size() + post.size() || s.compare(0, pre.size(), pre) != 0 ||
          s.compare(s.size() - post.size(), post.size(), post) != 0) {
        return std::nullopt;
      }
    } else if (b != segs[i]) {
      return std::nullopt;
    }
  }
  if (trailing_slash != nullptr) {
    *trailing_slash = target->path.size() > 1 && target->path.back() == '/';
  }
  return std::vector<std::string>(segs.begin() + static_cast<std::ptrdiff_t>(base_segs.size()),
                                  segs.end());
}

}  // namespace

std::optional<std::string> PathPrefixUnder(std::string_view base_url, std::string_view url) {
  auto segs = SegmentsUnder(base_url, url, nullptr);
  if (!segs) return std::nullopt;
  std::string prefix;
  for (const std::string& seg : *segs) {
    if (LooksDynamic(seg)) return prefix + "/";
    prefix += "/" + seg;
  }
  return prefix.empty() ? std::string("/") : prefix;
}

std::optional<std::string> PathPatternUnder(std::string_view base_url, std::string_view url) {
  bool trailing = false;
  auto segs = SegmentsUnder(base_url, url, &trailing);
  if (!segs) return std::nullopt;
  std::string pattern;
  for (const std::string& seg : *segs) pattern += "/" + (LooksDynamic(seg) ? "*" : seg);
  // "https://api.stripe.com/v1/customers/" + id: the id follows the slash.
  if (trailing) pattern += "/*";
  return pattern.empty() ? std::string("/") : pattern;
}

}  // namespace leakproof::proxy::bff
