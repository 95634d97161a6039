// TerminalSafe escaping and the human units of the text summary.
#include "report/terminal_text.h"

#include <cstdio>

namespace leakproof::scanner {
namespace {

void AppendHex(std::string& out, unsigned char c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\x%02x", c);
  out += buf;
}

// Length of the valid UTF-8 sequence at s[i] (1-4), or 0 when it is not one; `cp` gets
// the code point. Overlong forms and surrogates are invalid.
std::size_t Utf8Sequence(std::string_view s, std::size_t i, char32_t& cp) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  std::size_t n = 0;
  char32_t min = 0;
  if (c < 0x80) {
    cp = c;
    return 1;
  } else if ((c & 0xE0) == 0xC0) {
    n = 2, cp = c & 0x1F, min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3, cp = c & 0x0F, min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4, cp = c & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    const unsigned char cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

bool Hidden(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

}  // namespace

std::string TerminalSafe(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    char32_t cp = 0;
    const std::size_t n = Utf8Sequence(s, i, cp);
    if (n == 0) {
      AppendHex(out, static_cast<unsigned char>(s[i]));
      ++i;
      continue;
    }
    if (!Hidden(cp)) {
      out.append(s.substr(i, n));
    } else if (cp < 0x80) {
      AppendHex(out, static_cast<unsigned char>(cp));
    } else {
      char buf[16];
      std::snprintf(buf, sizeof buf, "\\u{%04X}", static_cast<unsigned>(cp));
      out += buf;
    }
    i += n;
  }
  return out;
}

std::string HumanBytes(std::uint64_t bytes) {
  static const char* const kUnits[] = {"kB", "MB", "GB", "TB"};
  if (bytes < 1000) return std::to_string(bytes) + " B";
  double v = static_cast<double>(bytes) / 1000.0;
  std::size_t u = 0;
  while (v >= 1000.0 && u + 1 < sizeof kUnits / sizeof kUnits[0]) {
    v /= 1000.0;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, v < 10 ? "%.1f %s" : "%.0f %s", v, kUnits[u]);
  return buf;
}

std::string HumanSeconds(double seconds) {
  char buf[48];
  if (seconds < 0.01) {
    std::snprintf(buf, sizeof buf, "%.1f ms", seconds * 1000.0);
  } else if (seconds < 1.0) {
    std::snprintf(buf, sizeof buf, "%.0f ms", seconds * 1000.0);
  } else if (seconds < 60.0) {
    std::snprintf(buf, sizeof buf, "%.2f s", seconds);
  } else {
    const auto whole = static_cast<unsigned long long>(seconds + 0.5);
    std::snprintf(buf, sizeof buf, "%llu min %llu s", whole / 60, whole % 60);
  }
  return buf;
}

std::string Counted(std::uint64_t n, std::string_view singular, std::string_view plural) {
  return std::to_string(n) + " " + std::string(n == 1 ? singular : plural);
}

}  // namespace leakproof::scanner
