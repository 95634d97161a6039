// Text conversions for Android binary formats: UTF-16LE (binary XML and
// resources.arsc string pools) and code points to UTF-8.
//
// Findings are reported as UTF-8 and the matcher's fast path is ASCII/UTF-8, so every
// string pulled out of an Android file is converted to UTF-8 once, here. Broken input
// (an unpaired surrogate, a truncated unit) becomes U+FFFD instead of failing: one bad
// character must not hide the key next to it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace leakproof::scanner::android {

// Appends the UTF-8 form of `cp` (U+FFFD for surrogates and values above U+10FFFF).
void AppendUtf8(std::uint32_t cp, std::string& out);

// Appends `units` UTF-16LE code units read from `bytes` (2 bytes each; a trailing odd
// byte is ignored), converted to UTF-8. Surrogate pairs are combined.
void AppendUtf16LeAsUtf8(std::string_view bytes, std::string& out);

}  // namespace leakproof::scanner::android
