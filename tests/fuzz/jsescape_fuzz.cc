// Fuzz target: JS/JSON string-literal unescaping (quote search, \x \u \u{} escapes,
// surrogates, truncation at the end of the buffer).
#include "extract/js/js_escape_extractor.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace lp = leakproof::scanner;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > (1u << 20)) return 0;
  // A view of libFuzzer's exact-size buffer (no copy): ASan sees any overread.
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::size_t last = 0;
  lp::ForEachEscapedLiteral(bytes, [&](const lp::EscapedLiteral& lit) {
    // Literals come in order, start inside the input, and an escape never grows
    // (longest: a 4-byte \x escape becomes at most 2 UTF-8 bytes, \u{...} at most 4).
    if (lit.offset > size || lit.offset < last) __builtin_trap();
    if (lit.text.size() > 2 * (size - lit.offset) + 4) __builtin_trap();
    last = lit.offset;
    return true;
  });
  lp::ExtractLimits limits;
  limits.max_total_bytes = 16u << 20;
  lp::ByteBudget budget(limits.max_total_bytes);
  lp::ExtractContext ctx(limits, budget, [](lp::Diagnostic) {});
  static const lp::JsEscapeExtractor kEx;
  lp::Blob blob = lp::Blob::FromView(bytes, nullptr, lp::Provenance("fuzz.js"));
  if (kEx.CanExtract(blob)) {
    (void)kEx.Extract(blob, ctx, [&](lp::Blob child) {
      if (kEx.CanExtract(child)) (void)kEx.Extract(child, ctx, [](lp::Blob) { return true; });
      return true;
    });
  }
  return 0;
}
