// Placeholder detection and inline allow comments.
#include "scan/filters.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace leakproof::scanner {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool HasRun(std::string_view s, std::size_t n) {
  std::size_t run = 1;
  for (std::size_t i = 1; i < s.size(); ++i) {
    run = (s[i] == s[i - 1]) ? run + 1 : 1;
    if (run >= n) return true;
  }
  return false;
}

}  // namespace

bool LooksLikePlaceholder(std::string_view secret) {
  const std::string lower = Lower(secret);
  static constexpr std::array<std::string_view, 14> kWords = {
      "example", "your_",    "your-", "yourapi", "placeholder", "changeme", "replace_me",
      "dummy",   "redacted", "fake",  "insert_", "<",           "${",       "{{"};
  for (std::string_view w : kWords) {
    if (lower.find(w) != std::string::npos) return true;
  }
  // "xxxxx", "*****", "....." and any long single-character run.
  if (lower.find("xxxxx") != std::string::npos || lower.find("*****") != std::string::npos)
    return true;
  // Sequential filler ("1234567890", "abcdefghij") is NOT a placeholder sign: other
  // scanners' test suites and vendors' sample apps use such keys and expect them found,
  // a random key never contains one, and the clean npm corpus has no such finding.
  return HasRun(secret, 7);
}

bool LineHasAllowComment(std::string_view text, std::uint64_t offset) {
  if (offset > text.size()) return false;
  // Look at most 4 KB around the offset: minified bundles have megabyte lines.
  const std::size_t kReach = 4096;
  std::size_t begin = offset > kReach ? offset - kReach : 0;
  std::size_t end = std::min<std::size_t>(text.size(), offset + kReach);
  std::size_t nl = text.rfind('\n', offset == 0 ? 0 : offset - 1);
  if (nl != std::string_view::npos && nl + 1 > begin && nl < offset) begin = nl + 1;
  std::size_t next = text.find('\n', offset);
  if (next != std::string_view::npos && next < end) end = next;
  const std::string_view line = text.substr(begin, end - begin);
  return line.find("leakproof:allow") != std::string_view::npos ||
         line.find("gitleaks:allow") != std::string_view::npos ||
         line.find("pragma: allowlist secret") != std::string_view::npos;
}

int CountDigits(std::string_view secret) {
  int n = 0;
  for (char c : secret) n += (c >= '0' && c <= '9') ? 1 : 0;
  return n;
}

}  // namespace leakproof::scanner
