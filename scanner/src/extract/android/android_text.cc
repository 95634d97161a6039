// UTF-16LE and code point to UTF-8 conversion, see android_text.h.
#include "extract/android/android_text.h"

#include "extract/text/decode_util.h"

namespace leakproof::scanner::android {

// One UTF-8 encoder for every extractor: decode::AppendUtf8.
void AppendUtf8(std::uint32_t cp, std::string& out) { decode::AppendUtf8(out, cp); }

void AppendUtf16LeAsUtf8(std::string_view bytes, std::string& out) {
  const std::size_t units = bytes.size() / 2;
  auto unit = [&](std::size_t i) {
    return static_cast<std::uint32_t>(static_cast<std::uint8_t>(bytes[2 * i])) |
           (static_cast<std::uint32_t>(static_cast<std::uint8_t>(bytes[2 * i + 1])) << 8);
  };
  for (std::size_t i = 0; i < units; ++i) {
    std::uint32_t u = unit(i);
    if (u >= 0xD800 && u <= 0xDBFF && i + 1 < units) {
      std::uint32_t lo = unit(i + 1);
      if (lo >= 0xDC00 && lo <= 0xDFFF) {
        AppendUtf8(0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00), out);
        ++i;
        continue;
      }
    }
    AppendUtf8(u, out);  // an unpaired surrogate becomes U+FFFD inside AppendUtf8
  }
}

}  // namespace leakproof::scanner::android
