// Fuzz target: the base64 run finder, decoder and extractor (data: URI checks, probe
// decoding, segment building, nesting).
#include "extract/text/base64_extractor.h"
#include "extract/text/decode_base64.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace lp = leakproof::scanner;

namespace {

void Run(const lp::Extractor& ex, const lp::Blob& blob, lp::ExtractContext& ctx) {
  if (!ex.CanExtract(blob)) return;
  (void)ex.Extract(blob, ctx, [&](lp::Blob child) {
    for (const auto& s : child.segments()) {
      if (s.offset > child.size()) __builtin_trap();  // segments must lie inside the child
    }
    Run(ex, child, ctx);  // nesting is bounded by the extractor itself
    return true;
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > (1u << 20)) return 0;
  // A view of libFuzzer's exact-size buffer (no copy): ASan sees any overread.
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  lp::ExtractLimits limits;
  limits.max_total_bytes = 16u << 20;
  lp::ByteBudget budget(limits.max_total_bytes);
  lp::ExtractContext ctx(limits, budget, [](lp::Diagnostic) {});
  static const lp::Base64Extractor kDefault;
  static const lp::Base64Extractor kShort(lp::Base64Extractor::Options{4, 2});
  Run(kDefault, lp::Blob::FromView(bytes, nullptr, lp::Provenance("fuzz.js")), ctx);
  Run(kShort, lp::Blob::FromView(bytes, nullptr, lp::Provenance("fuzz.js")), ctx);
  std::string out;
  lp::decode::FindBase64Runs(bytes, 2, [&](std::size_t b, std::size_t e) {
    if (b >= e || e > bytes.size()) __builtin_trap();
    out.clear();
    (void)lp::decode::Base64Decode(std::string_view(bytes).substr(b, e - b), out);
    if (out.size() > lp::decode::Base64DecodedBound(e - b)) __builtin_trap();
    return true;
  });
  return 0;
}
