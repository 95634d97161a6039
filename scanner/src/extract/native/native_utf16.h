// UTF-16 helpers for the native-artifact extractors.
//
// bplist stores non-ASCII strings as UTF-16BE; Mach-O __ustring, Hermes non-ASCII
// strings and Dart TwoByteStrings are UTF-16LE. The matcher works on UTF-8, so these
// turn UTF-16 code units into UTF-8. Invalid input (lone surrogates) becomes U+FFFD
// rather than an error: a broken character must not hide the key next to it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace leakproof::scanner::native {

// Appends code point `cp` to `out` as UTF-8 (surrogates and values > U+10FFFF as U+FFFD).
void AppendUtf8(std::uint32_t cp, std::string* out);

// Converts UTF-16 `bytes` (an odd trailing byte is ignored) to UTF-8, appending to `out`.
void AppendUtf16AsUtf8(std::string_view bytes, bool big_endian, std::string* out);

// Converts Latin-1 bytes to UTF-8 (Hermes and Dart one-byte strings are Latin-1).
void AppendLatin1AsUtf8(std::string_view bytes, std::string* out);

// Calls `on_run(byte_offset, utf8)` for every run of "text-like" UTF-16LE code units,
// read at even offsets of `bytes`, that holds at least `min_ascii` consecutive
// printable ASCII units. Text-like: printable ASCII, tab/CR/LF, and non-control BMP
// characters other than surrogates and other than units whose two bytes are both
// printable ASCII (one-byte text misread as UTF-16). ASCII keys stored as UTF-16LE
// ("A\0I\0z\0a\0...") are exactly such runs, while random binary rarely has many zero
// high bytes in a row, so the heuristic stays quiet on code and compressed data.
// Returning false stops the walk.
void ForEachUtf16LeTextRun(std::string_view bytes, std::size_t min_ascii,
                           const std::function<bool(std::size_t, std::string)>& on_run);

}  // namespace leakproof::scanner::native
