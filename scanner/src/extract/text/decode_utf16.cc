// UTF-16 conversions, see decode_utf16.h.
#include "extract/text/decode_utf16.h"

#include "extract/text/decode_util.h"

namespace leakproof::scanner::decode {

void AppendUtf16AsciiRun(std::string_view run, bool big_endian, std::string& out) {
  out.reserve(out.size() + run.size() / 2);
  for (std::size_t j = big_endian ? 1 : 0; j < run.size(); j += 2) out += run[j];
}

void AppendUtf16LeAsUtf8(std::string_view bytes, std::string& out) {
  const auto* b = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t units = bytes.size() / 2;
  for (std::size_t u = 0; u < units; ++u) {
    std::uint32_t cp = b[2 * u] | (static_cast<std::uint32_t>(b[2 * u + 1]) << 8);
    if (cp >= 0xD800 && cp <= 0xDBFF && u + 1 < units) {
      const std::uint32_t lo = b[2 * u + 2] | (static_cast<std::uint32_t>(b[2 * u + 3]) << 8);
      if (lo >= 0xDC00 && lo <= 0xDFFF) {
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        ++u;
      }
    }
    AppendUtf8(out, cp);  // a lone surrogate becomes U+FFFD there
  }
}

}  // namespace leakproof::scanner::decode
