// Fuzz target: source maps (JSON parse, sections, path normalisation) and inline
// base64 data: maps. Children are fed back in, depth-bounded, as the engine would.
#include "extract/js/inline_sourcemap_extractor.h"
#include "extract/js/sourcemap_extractor.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace lp = leakproof::scanner;

namespace {

std::size_t Touch(const lp::Blob& b) {
  std::size_t sum = b.provenance().ToString().size();
  for (const auto& s : b.segments()) sum += s.label.size() + (s.offset <= b.size() ? 1 : 0);
  for (unsigned char c : b.bytes()) sum += c;
  return sum;
}

void Run(const lp::Blob& blob, lp::ExtractContext& ctx, int depth) {
  static const lp::SourceMapExtractor kMap;
  static const lp::InlineSourceMapExtractor kInline;
  if (depth > 3) return;
  for (const lp::Extractor* ex :
       {static_cast<const lp::Extractor*>(&kMap), static_cast<const lp::Extractor*>(&kInline)}) {
    if (!ex->CanExtract(blob)) continue;
    (void)ex->Extract(blob, ctx, [&](lp::Blob child) {
      volatile std::size_t sink = Touch(child);
      (void)sink;
      Run(child, ctx, depth + 1);
      return true;
    });
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > (1u << 20)) return 0;
  lp::ExtractLimits limits;
  limits.max_total_bytes = 64u << 20;
  lp::ByteBudget budget(limits.max_total_bytes);
  lp::ExtractContext ctx(limits, budget, [](lp::Diagnostic) {});
  // A view of libFuzzer's exact-size buffer (no copy): ASan sees any overread.
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  Run(lp::Blob::FromView(bytes, nullptr, lp::Provenance("fuzz.js.map")), ctx, 0);
  (void)lp::NormalizeSourcePath(bytes.substr(0, size / 2), bytes.substr(size / 2));
  return 0;
}
