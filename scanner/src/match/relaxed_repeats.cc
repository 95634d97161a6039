#include "match/relaxed_repeats.h"

#include <cctype>
#include <optional>

namespace leakproof::scanner {
namespace {

constexpr std::size_t kBad = std::string_view::npos;

bool IsOctal(char c) { return c >= '0' && c <= '7'; }

// End of a `{...}` that starts at `open` (the brace), or kBad.
std::size_t BraceEnd(std::string_view re, std::size_t open) {
  const std::size_t close = re.find('}', open);
  return close == std::string_view::npos ? kBad : close + 1;
}

// End of the escape sequence starting with the backslash at i, or kBad.
std::size_t EscapeEnd(std::string_view re, std::size_t i) {
  if (i + 1 >= re.size()) return kBad;
  const char c = re[i + 1];
  if (c == 'Q' || c == 'E') return kBad;  // literal runs: not worth understanding here
  if (c == 'x' || c == 'p' || c == 'P') {
    if (i + 2 < re.size() && re[i + 2] == '{') return BraceEnd(re, i + 2);
    return c == 'x' ? std::min(re.size(), i + 4) : std::min(re.size(), i + 3);
  }
  if (IsOctal(c)) {
    std::size_t j = i + 2;
    while (j < re.size() && j < i + 4 && IsOctal(re[j])) ++j;
    return j;
  }
  return i + 2;
}

// End of the character class whose '[' is at i, or kBad.
std::size_t ClassEnd(std::string_view re, std::size_t i) {
  std::size_t j = i + 1;
  if (j < re.size() && re[j] == '^') ++j;
  if (j < re.size() && re[j] == ']') ++j;  // "[]…]" and "[^]…]": ']' first is literal
  while (j < re.size()) {
    if (re[j] == '\\') {
      j = EscapeEnd(re, j);
      if (j == kBad) return kBad;
      continue;
    }
    if (re[j] == '[' && j + 1 < re.size() && re[j + 1] == ':') {
      const std::size_t close = re.find(":]", j + 2);
      if (close == std::string_view::npos) return kBad;
      j = close + 2;
      continue;
    }
    if (re[j] == ']') return j + 1;
    ++j;
  }
  return kBad;
}

struct Counted {
  std::uint32_t min = 0;
  std::uint32_t max = 0;
  std::size_t end = 0;  // past the closing brace (and a lazy '?')
  bool lazy = false;
};

// A repeat count as RE2 reads one: decimal, no leading zero ("{050}" is a literal).
std::optional<std::uint32_t> ReadCount(std::string_view re, std::size_t& j) {
  const std::size_t start = j;
  if (j + 1 < re.size() && re[j] == '0' &&
      std::isdigit(static_cast<unsigned char>(re[j + 1])) != 0) {
    return std::nullopt;
  }
  std::uint64_t v = 0;
  while (j < re.size() && std::isdigit(static_cast<unsigned char>(re[j])) != 0) {
    v = v * 10 + static_cast<std::uint64_t>(re[j] - '0');
    if (v > 100000) return std::nullopt;
    ++j;
  }
  if (j == start) return std::nullopt;
  return static_cast<std::uint32_t>(v);
}

// A counted repeat {n}, {n,} or {n,m} starting at i; nullopt when re[i] starts none (RE2
// then reads the brace as a literal).
std::optional<Counted> ReadCounted(std::string_view re, std::size_t i) {
  if (i >= re.size() || re[i] != '{') return std::nullopt;
  std::size_t j = i + 1;
  Counted c;
  auto n = ReadCount(re, j);
  if (!n) return std::nullopt;
  c.min = *n;
  c.max = *n;
  if (j < re.size() && re[j] == ',') {
    ++j;
    c.max = RepeatBound::kUnbounded;
    if (j < re.size() && re[j] != '}') {
      auto m = ReadCount(re, j);
      if (!m) return std::nullopt;
      c.max = *m;
    }
  }
  if (j >= re.size() || re[j] != '}') return std::nullopt;
  c.end = j + 1;
  if (c.end < re.size() && re[c.end] == '?') {
    c.lazy = true;
    ++c.end;
  }
  return c;
}

bool StartsQuantifier(std::string_view re, std::size_t i) {
  if (i >= re.size()) return false;
  return re[i] == '*' || re[i] == '+' || re[i] == '?' || ReadCounted(re, i).has_value();
}

bool IsCapturingOpen(std::string_view re, std::size_t i) {
  if (i + 1 >= re.size() || re[i + 1] != '?') return true;
  return i + 2 < re.size() && (re[i + 2] == 'P' || re[i + 2] == '<');
}

// Where each atom ends, for the character at i outside a class; kBad on unknown syntax.
std::size_t AtomEnd(std::string_view re, std::size_t i) {
  if (re[i] == '\\') return EscapeEnd(re, i);
  if (re[i] == '[') return ClassEnd(re, i);
  return i + 1;
}

bool IsCharacterAtom(std::string_view atom) {
  if (atom.empty()) return false;
  if (atom.size() == 1) return atom[0] != '^' && atom[0] != '$' && atom[0] != '|';
  if (atom[0] != '\\') return atom[0] == '[';
  const char c = atom[1];
  return c != 'b' && c != 'B' && c != 'A' && c != 'z';  // zero-width assertions
}

// Pass 1: which '(' positions open a group that a quantifier follows.
std::optional<std::vector<bool>> QuantifiedGroups(std::string_view re) {
  std::vector<bool> quantified(re.size(), false);
  std::vector<std::size_t> open;
  for (std::size_t i = 0; i < re.size();) {
    if (re[i] == '(') {
      open.push_back(i);
      ++i;
    } else if (re[i] == ')') {
      if (open.empty()) return std::nullopt;
      quantified[open.back()] = StartsQuantifier(re, i + 1);
      open.pop_back();
      ++i;
    } else {
      const std::size_t end = AtomEnd(re, i);
      if (end == kBad) return std::nullopt;
      i = end;
    }
  }
  if (!open.empty()) return std::nullopt;
  return quantified;
}

}  // namespace

RelaxedRepeats RelaxCountedRepeats(std::string_view re, std::uint32_t min_count) {
  RelaxedRepeats out;
  const auto quantified = QuantifiedGroups(re);
  if (!quantified) return {};
  out.group_of.push_back(0);
  int groups = 0;
  std::vector<bool> open_quantified;
  int quantified_depth = 0;
  std::string& p = out.pattern;
  p.reserve(re.size() + 16);
  for (std::size_t i = 0; i < re.size();) {
    const char c = re[i];
    if (c == '(') {
      if (IsCapturingOpen(re, i)) out.group_of.push_back(++groups);
      open_quantified.push_back((*quantified)[i]);
      if ((*quantified)[i]) ++quantified_depth;
      p += c;
      ++i;
      continue;
    }
    if (c == ')') {
      if (open_quantified.back()) --quantified_depth;
      open_quantified.pop_back();
      p += c;
      ++i;
      continue;
    }
    const std::size_t end = AtomEnd(re, i);
    const std::string_view atom = re.substr(i, end - i);
    const auto counted = ReadCounted(re, end);
    const bool large =
        counted && (counted->max == RepeatBound::kUnbounded ? counted->min >= min_count
                                                            : counted->max >= min_count);
    if (large && quantified_depth == 0 && IsCharacterAtom(atom) && counted->min <= counted->max) {
      p += '(';
      p += atom;
      p += counted->min == 0 ? '*' : '+';
      if (counted->lazy) p += '?';
      p += ')';
      out.bounds.push_back({++groups, counted->min, counted->max});
      i = counted->end;
      continue;
    }
    p += atom;
    i = end;
  }
  if (out.bounds.empty()) return {};
  return out;
}

bool WithinBounds(const RelaxedRepeats& r, const re2::StringPiece* sub) {
  for (const RepeatBound& b : r.bounds) {
    const re2::StringPiece& piece = sub[b.group];
    if (piece.data() == nullptr) continue;  // in an alternative that did not take part
    if (piece.size() < b.min || piece.size() > b.max) return false;
  }
  return true;
}

}  // namespace leakproof::scanner
