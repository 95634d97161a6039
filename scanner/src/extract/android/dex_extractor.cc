// DEX string table extraction (source.android.com/docs/core/runtime/dex-format).
//
// header_item: magic "dex\n0NN\0" at 0, string_ids_size at 0x38, string_ids_off at
// 0x3C. string_ids[] holds u32 offsets of string_data_item: ULEB128 utf16_size, then
// MUTF-8 bytes up to a NUL. MUTF-8 differs from UTF-8 in U+0000 (C0 80) and in
// supplementary characters (two 3-byte surrogates, CESU-8); both are converted here.
#include "extract/android/dex_extractor.h"

#include "extract/android/android_byte_reader.h"
#include "extract/android/android_text.h"
#include "extract/android/dex_crypto_flow.h"
#include "extract/android/dex_static_values.h"
#include "extract/android/dex_strings.h"
#include "extract/budgeted_segments.h"
#include "extract/named_value.h"
#include "extract/verdict_segments.h"

#include <algorithm>
#include <optional>
#include <string>

namespace leakproof::scanner {

namespace {

constexpr std::uint64_t kHeaderSize = 0x70;
constexpr std::uint64_t kStringIdsSizeOff = 0x38;
constexpr std::uint64_t kStringIdsOffOff = 0x3C;
// A field name longer than this is not an identifier anyone chose; it adds no context.
constexpr std::size_t kMaxFieldNameBytes = 128;

bool IsDexMagic(std::string_view b) {
  return b.size() >= 8 && b.substr(0, 4) == std::string_view("dex\n", 4) && b[4] >= '0' &&
         b[4] <= '9' && b[5] >= '0' && b[5] <= '9' && b[6] >= '0' && b[6] <= '9' && b[7] == '\0';
}

class DexExtractor final : public Extractor {
 public:
  std::string_view name() const override { return "dex"; }
  bool CanExtract(const Blob& blob) const override { return IsDexMagic(blob.bytes()); }
  bool ReplacesParentScan() const override { return true; }

  Status Extract(const Blob& blob, ExtractContext& ctx, const ChildSink& emit) const override {
    AndroidByteReader r(blob.bytes());
    if (r.size() < kHeaderSize) return Status::Corrupt("dex: truncated header");
    const std::uint32_t count = *r.U32(kStringIdsSizeOff);
    const std::uint32_t ids_off = *r.U32(kStringIdsOffOff);
    if (!r.Has(ids_off, static_cast<std::uint64_t>(count) * 4)) {
      return Status::Corrupt("dex: string_ids (" + std::to_string(count) + " at offset " +
                             std::to_string(ids_off) + ") outside the file");
    }
    // Decoding yields at most 3 bytes per input byte (an invalid byte becomes U+FFFD),
    // so more output than 3x the file means string_ids repeat the same bytes to
    // inflate memory.
    BudgetedSegments segments(ctx, 3 * r.size() + 4096);
    const StaticStringFields constants = FindStaticStringFields(r);
    const StringTable table(r, ids_off, count);
    std::uint64_t bad = 0;
    std::string s;
    for (std::uint32_t i = 0; i < count; ++i) {
      s.clear();
      if (!table.Decode(i, UINT32_MAX, s)) ++bad;
      // A string that initialises a static field (BuildConfig.API_KEY) is written
      // "API_KEY = value" and labelled with the field, so keyword-gated rules can match
      // it; any other string has no name in a DEX file and is added on its own.
      auto field = constants.by_string.find(i);
      if (field == constants.by_string.end() || s.empty()) {
        if (!segments.Add(s, "")) break;
        continue;
      }
      const std::string name = table.At(field->second.name_idx, kMaxFieldNameBytes);
      const std::string label = "field " + table.ClassName(field->second.class_idx) + "." + name;
      if (!segments.Add(NameBesideValue(name, s), label)) break;
    }
    if (constants.malformed_classes > 0) {
      ctx.Diagnose(blob.provenance(), DiagnosticLevel::kWarning, StatusCode::kCorrupt,
                   "dex: static values of " + std::to_string(constants.malformed_classes) +
                       " classes could not be read; their strings are scanned without names");
    }
    if (bad > 0) {
      ctx.Diagnose(blob.provenance(), DiagnosticLevel::kWarning, StatusCode::kCorrupt,
                   "dex: " + std::to_string(bad) + " of " + std::to_string(count) +
                       " strings point outside the file or are unterminated");
    }
    if (segments.limited()) {
      ctx.Diagnose(blob.provenance(), DiagnosticLevel::kWarning, StatusCode::kLimitExceeded,
                   "dex: string table exceeds a size limit (per-member, total budget, or 3x the "
                   "file size: overlapping strings); rest skipped");
    }
    if (!segments.empty()) {
      Blob child = std::move(segments).Build(blob.provenance().Child({"dex-strings", "", true}));
      if (!emit(std::move(child))) return Status::Ok();
    }
    EmitCryptoConstants(blob, r, table, constants, ctx, emit);
    return Status::Ok();
  }

 private:
  // Constants the bytecode passes to SecretKeySpec, IvParameterSpec, PBEKeySpec
  // (dex_crypto_flow.h), as verdict segments labelled with the method.
  static void EmitCryptoConstants(const Blob& blob, const AndroidByteReader& r,
                                  const StringTable& table, const StaticStringFields& constants,
                                  ExtractContext& ctx, const ChildSink& emit) {
    const CryptoFlow flow = FindCryptoConstants(r, table, constants);
    if (flow.walk.capped) {
      ctx.Diagnose(blob.provenance(), DiagnosticLevel::kWarning, StatusCode::kLimitExceeded,
                   "dex: method code repeats past the file size (shared code items); crypto "
                   "dataflow stopped early");
    }
    BudgetedSegments verdicts(ctx);
    for (const CryptoConstant& c : flow.found) {
      if (!verdicts.Add(VerdictSegment(c.verdict, c.value), c.where)) break;
    }
    if (!verdicts.empty()) {
      emit(std::move(verdicts).Build(
          blob.provenance().Child({std::string(kCryptoFlowOrigin), "", true})));
    }
  }
};

}  // namespace

std::unique_ptr<Extractor> NewDexExtractor() { return std::make_unique<DexExtractor>(); }

}  // namespace leakproof::scanner
