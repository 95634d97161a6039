// Template values (template_values.h) and their detection in snippets.
#include "bff/template_values.h"

#include "leakproof/proxy/bff/credential.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <regex>

namespace leakproof::proxy::bff {
namespace {

std::string Base64UrlDecode(std::string_view in) {
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : in) {
    int v;
    if (c >= 'A' && c <= 'Z')
      v = c - 'A';
    else if (c >= 'a' && c <= 'z')
      v = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      v = c - '0' + 52;
    else if (c == '-' || c == '+')
      v = 62;
    else if (c == '_' || c == '/')
      v = 63;
    else if (c == '=')
      break;
    else
      return "";
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xff);
    }
  }
  return out;
}

}  // namespace

bool IdentifierShaped(std::string_view v) {
  return !v.empty() && v.size() <= 63 && std::all_of(v.begin(), v.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-';
  });
}

std::string SupabaseRefClaim(std::string_view jwt) {
  std::size_t a = jwt.find('.');
  if (a == std::string_view::npos || jwt.substr(0, 3) != "eyJ") return "";
  std::size_t b = jwt.find('.', a + 1);
  if (b == std::string_view::npos) return "";
  nlohmann::json claims =
      nlohmann::json::parse(Base64UrlDecode(jwt.substr(a + 1, b - a - 1)), nullptr, false);
  if (!claims.is_object() || claims.value("iss", "") != "supabase") return "";
  auto ref = claims.find("ref");
  if (ref == claims.end() || !ref->is_string()) return "";
  std::string value = ref->get<std::string>();
  return IdentifierShaped(value) ? value : "";
}

std::map<std::string, std::string> TemplateNames(std::string_view text) {
  std::map<std::string, std::string> out;
  std::size_t i = 0;
  while ((i = text.find('{', i)) != std::string_view::npos) {
    std::size_t j = text.find('}', i);
    if (j == std::string_view::npos) break;
    std::string name(text.substr(i + 1, j - i - 1));
    if (!name.empty() && name != "key") out.emplace(name, "");
    i = j + 1;
  }
  return out;
}

std::optional<std::map<std::string, std::string>> MatchHostPattern(std::string_view host_pattern,
                                                                   std::string_view host) {
  // Only one placeholder per host label, with literal text around it: "{app_id}-dsn".
  std::map<std::string, std::string> values;
  std::size_t pi = 0;
  std::size_t hi = 0;
  while (pi < host_pattern.size()) {
    if (host_pattern[pi] != '{') {
      if (hi >= host.size() || std::tolower(static_cast<unsigned char>(host[hi])) !=
                                   std::tolower(static_cast<unsigned char>(host_pattern[pi]))) {
        return std::nullopt;
      }
      ++pi;
      ++hi;
      continue;
    }
    std::size_t close = host_pattern.find('}', pi);
    if (close == std::string_view::npos) return std::nullopt;
    std::string name(host_pattern.substr(pi + 1, close - pi - 1));
    pi = close + 1;
    // The value runs to the next literal of the pattern (or the end of the label).
    char stop = pi < host_pattern.size() ? host_pattern[pi] : '\0';
    std::size_t end = hi;
    while (end < host.size() && host[end] != '.' && (stop == '\0' || host[end] != stop)) ++end;
    std::string value(host.substr(hi, end - hi));
    if (!IdentifierShaped(value)) return std::nullopt;
    values[name] = value;
    hi = end;
  }
  if (hi != host.size()) return std::nullopt;
  return values;
}

std::string FillTemplate(std::string_view text, const std::map<std::string, std::string>& values) {
  std::string out(text);
  for (const auto& [name, value] : values) {
    if (value.empty()) continue;
    const std::string needle = "{" + name + "}";
    for (std::size_t at = out.find(needle); at != std::string::npos; at = out.find(needle, at)) {
      out.replace(at, needle.size(), value);
      at += value.size();
    }
  }
  return out;
}

void TemplateValuesInSnippet(std::string_view snippet, std::map<std::string, std::string>& out) {
  // algoliasearch("APPID", key): the app ID is an identifier Algolia sends in every search
  // request, not a secret.
  static const std::regex kAlgolia(R"re(algoliasearch\(\s*["']([A-Z0-9]{10})["'])re");
  std::string text(snippet);
  std::smatch m;
  if (std::regex_search(text, m, kAlgolia) && IdentifierShaped(m[1].str())) {
    out.emplace("app_id", m[1].str());
  }
}

}  // namespace leakproof::proxy::bff
