// Literal encoders (encode.h).
#include "bff/encode.h"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace leakproof::proxy::bff {

std::string JsString(std::string_view s) {
  // nlohmann escapes quotes, backslashes and control characters; additionally escape
  // '<' and U+2028/9 so the literal is safe anywhere JavaScript can appear.
  std::string out =
      nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string safe;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i] == '<') {
      safe += "\\u003c";
    } else if (out.compare(i, 3, "\xE2\x80\xA8") == 0 || out.compare(i, 3, "\xE2\x80\xA9") == 0) {
      safe += out[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
      i += 2;
    } else {
      safe += out[i];
    }
  }
  return safe;
}

std::string TomlString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\u%04x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string TomlArray(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + TomlString(items[i]);
  return out + "]";
}

std::string TomlInlineTable(const std::vector<std::pair<std::string, std::string>>& items) {
  std::string out = "{ ";
  for (std::size_t i = 0; i < items.size(); ++i) {
    out += (i ? ", " : "") + TomlString(items[i].first) + " = " + TomlString(items[i].second);
  }
  return out + " }";
}

std::string OneLine(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '*' && i + 1 < s.size() && s[i + 1] == '/') {
      out += "* /";
      ++i;
      continue;
    }
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    if (c == '|' || c == '`') c = '\'';
    if (c == ' ' && !out.empty() && out.back() == ' ') continue;
    out += c;
  }
  return out;
}

}  // namespace leakproof::proxy::bff
