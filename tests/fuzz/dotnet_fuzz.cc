// Fuzz target: .NET assemblies (PE headers, metadata root, #US/#Blob heaps), XALZ
// (LZ4 block) and assembly stores, chained the way they nest in an APK
// (store -> XALZ -> assembly), plus the UTF-16 view of whatever is left raw. The seeds
// in corpus/dotnet carry each magic, so the fuzzer need not discover them.
#include "extract/dotnet/assembly_store_extractor.h"
#include "extract/dotnet/dotnet_extractor.h"
#include "extract/dotnet/xalz_extractor.h"
#include "extract/text/utf16_extractor.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace lp = leakproof::scanner;

namespace {

void Run(const lp::Blob& blob, lp::ExtractContext& ctx, int depth) {
  static const lp::XalzExtractor kXalz;
  static const lp::AssemblyStoreExtractor kStore;
  static const lp::DotnetExtractor kDotnet;
  static const lp::Utf16Extractor kUtf16;
  if (depth > 4) return;
  for (const lp::Extractor* ex :
       {static_cast<const lp::Extractor*>(&kXalz), static_cast<const lp::Extractor*>(&kStore),
        static_cast<const lp::Extractor*>(&kDotnet), static_cast<const lp::Extractor*>(&kUtf16)}) {
    if (!ex->CanExtract(blob)) continue;
    (void)ex->Extract(blob, ctx, [&](lp::Blob child) {
      for (const auto& s : child.segments()) {
        if (s.offset > child.size()) __builtin_trap();
      }
      Run(child, ctx, depth + 1);
      return true;
    });
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > (1u << 20)) return 0;
  // A view of libFuzzer's exact-size buffer (no copy): ASan sees any overread.
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  lp::ExtractLimits limits;
  limits.max_total_bytes = 64u << 20;
  limits.max_member_bytes = 16u << 20;
  lp::ByteBudget budget(limits.max_total_bytes);
  lp::ExtractContext ctx(limits, budget, [](lp::Diagnostic) {});
  Run(lp::Blob::FromView(bytes, nullptr, lp::Provenance("fuzz.dll")), ctx, 0);
  return 0;
}
