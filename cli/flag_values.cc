// Size and count parsing for CLI flags.
#include "flag_values.h"

#include <cctype>
#include <cstdlib>
#include <map>

namespace leakproof::cli {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Digits only; false on empty, sign, or overflow.
bool ParseDigits(const std::string& s, std::uint64_t& out) {
  if (s.empty()) return false;
  out = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    const std::uint64_t d = static_cast<std::uint64_t>(c - '0');
    if (out > (UINT64_MAX - d) / 10) return false;
    out = out * 10 + d;
  }
  return true;
}

}  // namespace

scanner::Result<std::uint64_t> ParseSize(const std::string& text) {
  static const std::map<std::string, std::uint64_t> kUnits = {
      {"", 1},
      {"b", 1},
      {"k", 1ull << 10},
      {"kib", 1ull << 10},
      {"kb", 1000ull},
      {"m", 1ull << 20},
      {"mib", 1ull << 20},
      {"mb", 1000ull * 1000},
      {"g", 1ull << 30},
      {"gib", 1ull << 30},
      {"gb", 1000ull * 1000 * 1000},
      {"t", 1ull << 40},
      {"tib", 1ull << 40},
      {"tb", 1000ull * 1000 * 1000 * 1000},
  };
  std::size_t i = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) != 0) ++i;
  std::string unit = Lower(text.substr(i));
  while (!unit.empty() && unit.front() == ' ') unit.erase(0, 1);
  std::uint64_t n = 0;
  auto u = kUnits.find(unit);
  if (i == 0 || !ParseDigits(text.substr(0, i), n) || u == kUnits.end()) {
    return scanner::Status::InvalidArgument(
        "'" + text +
        "' is not a size (a whole number of bytes, optionally with a unit: 10MB, "
        "512KiB, 1G)");
  }
  if (n != 0 && u->second > UINT64_MAX / n) {
    return scanner::Status::InvalidArgument("'" + text + "' is too large");
  }
  return n * u->second;
}

scanner::Result<std::uint64_t> ParseCount(const std::string& text, std::uint64_t min,
                                          std::uint64_t max) {
  std::uint64_t n = 0;
  if (!ParseDigits(text, n)) {
    return scanner::Status::InvalidArgument("'" + text +
                                            "' is not a whole number >= " + std::to_string(min));
  }
  if (n < min || n > max) {
    return scanner::Status::InvalidArgument("'" + text + "' is out of range (" +
                                            std::to_string(min) + " to " + std::to_string(max) +
                                            ")");
  }
  return n;
}

CLI::Validator SizeValue(std::uint64_t min) {
  return CLI::Validator(
      [min](std::string& value) -> std::string {
        auto n = ParseSize(value);
        if (!n.ok()) return n.status().message();
        if (*n < min) return "'" + value + "' is below the minimum of " + std::to_string(min);
        value = std::to_string(*n);
        return "";
      },
      "SIZE");
}

CLI::Validator CountValue(std::uint64_t min, std::uint64_t max) {
  return CLI::Validator(
      [min, max](std::string& value) -> std::string {
        auto n = ParseCount(value, min, max);
        if (!n.ok()) return n.status().message();
        value = std::to_string(*n);
        return "";
      },
      "N");
}

bool AutoColor(bool is_tty) {
  if (!is_tty) return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && no_color[0] != '\0') return false;
  const char* term = std::getenv("TERM");
  return term == nullptr || std::string(term) != "dumb";
}

}  // namespace leakproof::cli
