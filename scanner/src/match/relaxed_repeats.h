// A cheaper RE2 program for confirming a rule. RE2 expands a counted repeat C{n,m} into m
// copies of C, and its lazy DFA builds a distinct state for every position inside it, so
// the first confirmation of a 1,000-byte token against `[\w-]{100,1000}` cost RE2 about
// 10 ms (program and DFA built cold: each rule of the pack confirms a handful of times per
// scan). Relaxing turns each large counted repeat of one character (class) into a captured
// unbounded repeat, `([\w-]+)`, and checks the captured lengths against the original
// bounds after the match: a relaxed match within every bound is a match of the original
// regex (same parse), and one outside a bound is handed back to the original regex.
#pragma once

#include <re2/re2.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace leakproof::scanner {

struct RepeatBound {
  int group = 0;  // capturing group in the relaxed pattern
  std::uint32_t min = 0;
  std::uint32_t max = 0;  // kUnbounded for C{n,}
  static constexpr std::uint32_t kUnbounded = UINT32_MAX;
};

struct RelaxedRepeats {
  std::string pattern;        // empty when nothing worth relaxing was found
  std::vector<int> group_of;  // original group index -> group index in `pattern`
  std::vector<RepeatBound> bounds;
};

// Rewrites repeats whose upper bound (or, when unbounded, lower bound) is at least
// `min_count`. Repeats inside a quantified group are left alone: a capture there reports
// only the last iteration, so the other iterations' lengths could not be checked. Returns
// an empty pattern for syntax it does not fully understand (\Q…\E), so the caller simply
// keeps the original regex.
RelaxedRepeats RelaxCountedRepeats(std::string_view regex, std::uint32_t min_count = 16);

// True when every relaxed repeat that took part in a match of `r.pattern` (captures
// `sub`, indexed by group) has a length within its original bounds: then the match is
// one of the original regex.
bool WithinBounds(const RelaxedRepeats& r, const re2::StringPiece* sub);

}  // namespace leakproof::scanner
