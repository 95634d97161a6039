// Fuzz target for the zip extractor: zip archives (libzip from memory, member limits),
// read in place and, as a scanner sharing members between workers reads them, largest
// first with deflated members handed over unmade and inflated afterwards.
#include "android_fuzz_harness.h"
#include "extract/archive/zip_extractor.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace {

void ReadDeferred(const leakproof::scanner::Extractor& ex, const std::uint8_t* data,
                  std::size_t size) {
  namespace lp = leakproof::scanner;
  const lp::ExtractLimits limits = leakproof::fuzzing::SmallFuzzLimits();
  lp::ByteBudget budget(limits.max_total_bytes);
  lp::ExtractContext ctx(limits, budget, [](lp::Diagnostic) {});
  ctx.set_members_largest_first(true);
  std::vector<lp::ChildMaker> makers;
  ctx.set_deferred_sink([&](std::uint64_t, std::uint64_t, lp::ChildMaker make) {
    makers.push_back(std::move(make));
    return true;
  });
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const lp::Blob blob = lp::Blob::FromView(bytes, nullptr, lp::Provenance("fuzz"));
  volatile std::uint8_t sink = 0;
  auto touch = [&](const lp::Blob& child) {
    for (char c : child.bytes()) sink = static_cast<std::uint8_t>(sink + c);
  };
  (void)ex.Extract(blob, ctx, [&](lp::Blob child) {
    touch(child);
    return true;
  });
  for (const auto& make : makers) {
    if (auto child = make(ctx)) touch(*child);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto* const kExtractor = leakproof::scanner::NewZipExtractor().release();
  ReadDeferred(*kExtractor, data, size);
  return leakproof::fuzzing::RunAndroidExtractor(*kExtractor, data, size);
}
