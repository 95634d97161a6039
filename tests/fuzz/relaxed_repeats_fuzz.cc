// Fuzz target: the counted-repeat relaxation reads user rule regexes (--rules, --config).
// Beyond not crashing: whenever RE2 accepts the original, it must accept the relaxed
// pattern with the expected groups, and a relaxed match within its bounds must be a
// match of the original (the engine relies on both).
#include "match/relaxed_repeats.h"

#include <re2/re2.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace lp = leakproof::scanner;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 4096) return 0;
  // First line: the regex; the rest: a text to match it against.
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t nl = input.find('\n');
  const std::string regex(input.substr(0, nl));
  const std::string text(nl == std::string_view::npos ? "" : input.substr(nl + 1));
  const lp::RelaxedRepeats r = lp::RelaxCountedRepeats(regex, 4);
  if (r.pattern.empty()) return 0;
  RE2::Options o;
  o.set_encoding(RE2::Options::EncodingLatin1);
  o.set_log_errors(false);
  o.set_max_mem(8 << 20);
  RE2 exact(regex, o);
  if (!exact.ok()) return 0;
  RE2 relaxed(r.pattern, o);
  if (!relaxed.ok()) __builtin_trap();
  const std::size_t groups = r.group_of.size() - 1 + r.bounds.size();
  if (static_cast<std::size_t>(relaxed.NumberOfCapturingGroups()) != groups) __builtin_trap();
  if (static_cast<std::size_t>(exact.NumberOfCapturingGroups()) != r.group_of.size() - 1) {
    __builtin_trap();
  }
  std::vector<re2::StringPiece> sub(groups + 1);
  if (!relaxed.Match(text, 0, text.size(), RE2::UNANCHORED, sub.data(),
                     static_cast<int>(sub.size()))) {
    return 0;
  }
  if (!lp::WithinBounds(r, sub.data())) return 0;
  // Within bounds: the same span, in the same context (\b, ^), must be a match of the
  // original regex.
  const auto start = static_cast<std::size_t>(sub[0].data() - text.data());
  if (!exact.Match(text, start, start + sub[0].size(), RE2::ANCHOR_BOTH, nullptr, 0)) {
    __builtin_trap();
  }
  return 0;
}
