// UTF-16 helpers for the utf-16 view and .NET extractors: a fast finder of printable
// ASCII runs stored as UTF-16 ("A\0I\0z\0a\0..." or "\0A\0I\0z\0a..."), and a full
// UTF-16LE to UTF-8 conversion for string heaps whose length is known.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace leakproof::scanner::decode {

// Printable ASCII plus tab: the characters a key, URL or config line is made of.
inline bool IsRunAscii(unsigned char c) { return (c >= 0x20 && c < 0x7F) || c == '\t'; }

// True when a UTF-16 code unit holding printable ASCII starts at b[j] (j + 1 < n).
inline bool Utf16AsciiAt(const unsigned char* b, std::size_t j, bool big_endian) {
  return big_endian ? (b[j] == 0 && IsRunAscii(b[j + 1])) : (IsRunAscii(b[j]) && b[j + 1] == 0);
}

// Calls `on_run(begin, end)` for every maximal run of at least `min_chars` (>= 2)
// consecutive printable-ASCII UTF-16 code units (byte range [begin, end), at either
// alignment), in increasing order. `on_run` returns false to stop.
//
// Speed: a run of min_chars units covers 2*min_chars bytes, so the loop probes one
// byte per window: when neither the unit starting at the probe nor the one ending at
// it is ASCII, no run can cover the probe and the whole window is skipped. On random
// or ASCII-only binary data that skips ~2*min_chars bytes per probe.
template <typename OnRun>
void FindUtf16Runs(std::string_view bytes, bool big_endian, std::size_t min_chars, OnRun&& on_run) {
  const auto* b = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  if (min_chars < 2) min_chars = 2;
  const std::size_t span = 2 * min_chars;
  std::size_t i = 0;  // no unreported run starts before i
  while (n >= span && i <= n - span) {
    const std::size_t probe = i + span - 1;  // probe < n; probe + 1 may be n
    std::size_t unit;
    if (probe + 1 < n && Utf16AsciiAt(b, probe, big_endian)) {
      unit = probe;
    } else if (Utf16AsciiAt(b, probe - 1, big_endian)) {
      unit = probe - 1;
    } else {
      i = probe + 1;
      continue;
    }
    std::size_t start = unit;
    while (start >= i + 2 && Utf16AsciiAt(b, start - 2, big_endian)) start -= 2;
    std::size_t end = unit + 2;
    while (end + 1 < n && Utf16AsciiAt(b, end, big_endian)) end += 2;
    if ((end - start) / 2 >= min_chars && !on_run(start, end)) return;
    // Units of the other alignment inside [start, end) are never ASCII (their first
    // byte would be a 0 or their second a non-0), so the search resumes at end.
    i = end;
  }
}

// Appends the ASCII of a run found by FindUtf16Runs (every other byte).
void AppendUtf16AsciiRun(std::string_view run, bool big_endian, std::string& out);

// Converts UTF-16LE `bytes` to UTF-8 (surrogate pairs combined, lone surrogates as
// U+FFFD, an odd trailing byte ignored), appending to `out`.
void AppendUtf16LeAsUtf8(std::string_view bytes, std::string& out);

}  // namespace leakproof::scanner::decode
