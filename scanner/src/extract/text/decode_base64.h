// Base64 (RFC 4648 standard and URL-safe alphabets): a table-driven run finder and a
// lenient decoder, shared by the base64 and inline-source-map extractors.
//
// The run finder is on the hot path (it looks at every text blob), so it probes one
// byte per `min_len` window and only walks bytes around a probe that hits the
// alphabet: for the default minimum of 32 it skips most of a typical JS bundle.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace leakproof::scanner::decode {

// Per-byte class: bit 0 = in the run alphabet (A-Z a-z 0-9 + / - _), bit 1 = upper,
// bit 2 = lower, bit 3 = digit, bit 4 = '+' or '/', bit 5 = '-' or '_'.
enum Base64Class : std::uint8_t {
  kB64Alphabet = 1,
  kB64Upper = 2,
  kB64Lower = 4,
  kB64Digit = 8,
  kB64Std = 16,
  kB64Url = 32,
};

extern const std::array<std::uint8_t, 256> kBase64Class;

inline bool IsBase64RunChar(unsigned char c) { return (kBase64Class[c] & kB64Alphabet) != 0; }

#if defined(__SSE2__)
// True when all 16 bytes at `p` are alphabet bytes (the same set as IsBase64RunChar).
inline bool AllBase64RunChars16(const unsigned char* p) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  // Unsigned range test: (v - lo) <= (hi - lo), via min_epu8.
  const auto in = [&v](char lo, char hi) {
    const __m128i d = _mm_sub_epi8(v, _mm_set1_epi8(lo));
    return _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(static_cast<char>(hi - lo))), d);
  };
  const auto is = [&v](char c) { return _mm_cmpeq_epi8(v, _mm_set1_epi8(c)); };
  const __m128i m = _mm_or_si128(
      _mm_or_si128(_mm_or_si128(in('A', 'Z'), in('a', 'z')), _mm_or_si128(in('0', '9'), is('+'))),
      _mm_or_si128(_mm_or_si128(is('/'), is('-')), is('_')));
  return _mm_movemask_epi8(m) == 0xFFFF;
}
#endif

// Grows [start, end), all alphabet bytes, to the maximal run around it, not below `floor`.
inline void ExtendBase64Run(const unsigned char* b, std::size_t n, std::size_t floor,
                            std::size_t& start, std::size_t& end) {
  while (start > floor && IsBase64RunChar(b[start - 1])) --start;
  while (end < n && IsBase64RunChar(b[end])) ++end;
}

// Calls `on_run(begin, end)` for every maximal run of alphabet bytes of length at
// least `min_len` (>= 2), in increasing order. `on_run` returns false to stop.
//
// This runs over every text blob, so it must cost far less than the pattern scan.
// Probing one byte per window mispredicts a branch every few dozen bytes in JS (most
// bytes are identifier characters); with SSE2 and min_len >= 31 it instead tests
// 16-byte tiles: a run of 31+ bytes always covers a whole tile, so only an all-alphabet
// tile (rare outside base64 and long identifiers) is looked at byte by byte.
template <typename OnRun>
void FindBase64Runs(std::string_view bytes, std::size_t min_len, OnRun&& on_run) {
  const auto* b = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  if (min_len < 2) min_len = 2;
  // Invariant: i == 0 or b[i-1] is not in the alphabet, and no run of min_len or more
  // starts before i except those already reported.
  std::size_t i = 0;
#if defined(__SSE2__)
  if (min_len >= 31 && n >= 16) {
    std::size_t floor = 0;  // no reported run reaches past this
    while (i < n) {
      // The last tile overlaps the one before so the tiles cover every byte.
      const std::size_t t = std::min(i, n - 16);
      if (!AllBase64RunChars16(b + t)) {
        i += 16;
        continue;
      }
      std::size_t start = t;
      std::size_t end = t + 16;
      ExtendBase64Run(b, n, floor, start, end);
      if (end - start >= min_len && !on_run(start, end)) return;
      floor = end;
      i = end + 1;
    }
    return;
  }
#endif
  while (n >= min_len && i <= n - min_len) {
    const std::size_t probe = i + min_len - 1;
    if (!IsBase64RunChar(b[probe])) {  // no long run can contain the probe: skip past it
      i = probe + 1;
      continue;
    }
    std::size_t start = probe;
    std::size_t end = probe + 1;
    ExtendBase64Run(b, n, i, start, end);
    if (end - start >= min_len && !on_run(start, end)) return;
    i = end + 1;
  }
}

// Decodes `in` (either alphabet, optional trailing '=' padding, no whitespace) and
// appends the bytes to `out`. A trailing group of 1 character is ignored. Returns false
// (with `out` holding what decoded so far) on a character outside the alphabet.
bool Base64Decode(std::string_view in, std::string& out);

// Upper bound of the decoded size of `len` base64 characters.
inline std::size_t Base64DecodedBound(std::size_t len) { return (len / 4) * 3 + 2; }

}  // namespace leakproof::scanner::decode
