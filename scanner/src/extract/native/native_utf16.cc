// UTF-16 → UTF-8 conversion and the UTF-16LE text-run finder (see native_utf16.h).
#include "extract/native/native_utf16.h"

#include "extract/text/decode_util.h"

namespace leakproof::scanner::native {
namespace {

std::uint16_t UnitAt(std::string_view bytes, std::size_t i, bool big_endian) {
  const auto b0 = static_cast<unsigned char>(bytes[i]);
  const auto b1 = static_cast<unsigned char>(bytes[i + 1]);
  return static_cast<std::uint16_t>(big_endian ? (b0 << 8) | b1 : (b1 << 8) | b0);
}

bool IsHighSurrogate(std::uint32_t u) { return u >= 0xD800 && u <= 0xDBFF; }
bool IsLowSurrogate(std::uint32_t u) { return u >= 0xDC00 && u <= 0xDFFF; }

bool IsPrintableAscii(unsigned v) { return v >= 0x20 && v < 0x7F; }

// Text-like for the run finder; see the header. A unit whose two bytes are both
// printable ASCII (U+2020..U+7E7E) is rejected: in binaries it is almost always
// one-byte text read at the wrong width, and rejecting it keeps such text from gluing
// onto a real UTF-16 run. (It also splits runs at some CJK characters, which is
// harmless here: the keys we look for are ASCII.)
bool IsTextUnit(std::uint16_t u) {
  if (IsPrintableAscii(u)) return true;
  if (u == '\t' || u == '\n' || u == '\r') return true;
  if (IsPrintableAscii(u >> 8) && IsPrintableAscii(u & 0xFF)) return false;
  return u >= 0xA0 && !IsHighSurrogate(u) && !IsLowSurrogate(u) && u < 0xFFFE;
}

}  // namespace

// One UTF-8 encoder for every extractor: decode::AppendUtf8.
void AppendUtf8(std::uint32_t cp, std::string* out) { decode::AppendUtf8(*out, cp); }

void AppendUtf16AsUtf8(std::string_view bytes, bool big_endian, std::string* out) {
  const std::size_t n = bytes.size() & ~static_cast<std::size_t>(1);
  out->reserve(out->size() + n);
  for (std::size_t i = 0; i < n; i += 2) {
    const std::uint32_t u = UnitAt(bytes, i, big_endian);
    if (IsHighSurrogate(u) && i + 3 < n) {
      const std::uint32_t lo = UnitAt(bytes, i + 2, big_endian);
      if (IsLowSurrogate(lo)) {
        AppendUtf8(0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00), out);
        i += 2;
        continue;
      }
    }
    AppendUtf8(u, out);  // lone surrogates become U+FFFD inside AppendUtf8
  }
}

void AppendLatin1AsUtf8(std::string_view bytes, std::string* out) {
  out->reserve(out->size() + bytes.size());
  for (char c : bytes) AppendUtf8(static_cast<unsigned char>(c), out);
}

void ForEachUtf16LeTextRun(std::string_view bytes, std::size_t min_ascii,
                           const std::function<bool(std::size_t, std::string)>& on_run) {
  const std::size_t n = bytes.size() & ~static_cast<std::size_t>(1);
  std::size_t i = 0;
  while (i < n) {
    if (!IsTextUnit(UnitAt(bytes, i, false))) {
      i += 2;
      continue;
    }
    const std::size_t start = i;
    std::size_t streak = 0;
    std::size_t best = 0;
    while (i < n) {
      const std::uint16_t u = UnitAt(bytes, i, false);
      if (!IsTextUnit(u)) break;
      streak = IsPrintableAscii(u) ? streak + 1 : 0;
      if (streak > best) best = streak;
      i += 2;
    }
    if (best >= min_ascii) {
      std::string utf8;
      AppendUtf16AsUtf8(bytes.substr(start, i - start), false, &utf8);
      if (!on_run(start, std::move(utf8))) return;
    }
  }
}

}  // namespace leakproof::scanner::native
