// DEX string table extraction (source.android.com/docs/core/runtime/dex-format).
//
// header_item: magic "dex\n0NN\0" at 0, string_ids_size at 0x38, string_ids_off at
// 0x3C. string_ids[] holds u32 offsets of string_data_item: ULEB128 utf16_size, then
// MUTF-8 bytes up to a NUL. MUTF-8 differs from UTF-8 in U+0000 (C0 80) and in
// supplementary characters (two 3-byte surrogates, CESU-8); both are converted here.
#include "extract/android/dex_extractor.h"

#include "extract/android/android_byte_reader.h"
#include "extract/android/android_text.h"
#include "extract/android/dex_static_values.h"
#include "extract/budgeted_segments.h"
#include "extract/named_value.h"

#include <algorithm>
#include <optional>
#include <string>

namespace leakproof::scanner {

namespace {

constexpr std::uint64_t kHeaderSize = 0x70;
constexpr std::uint64_t kStringIdsSizeOff = 0x38;
constexpr std::uint64_t kStringIdsOffOff = 0x3C;
constexpr std::uint64_t kTypeIdsSizeOff = 0x40;
constexpr std::uint64_t kTypeIdsOffOff = 0x44;
// A field name longer than this is not an identifier anyone chose; it adds no context.
constexpr std::size_t kMaxFieldNameBytes = 128;

bool IsDexMagic(std::string_view b) {
  return b.size() >= 8 && b.substr(0, 4) == std::string_view("dex\n", 4) && b[4] >= '0' &&
         b[4] <= '9' && b[5] >= '0' && b[5] <= '9' && b[6] >= '0' && b[6] <= '9' && b[7] == '\0';
}

// Decodes MUTF-8 from `pos` up to a NUL (or the end of the data, or `max_units` UTF-16
// units plus slack) into UTF-8. Returns false when the string runs off the end of the
// file without a NUL (the decoded prefix is still kept).
bool DecodeMutf8(const AndroidByteReader& r, std::uint64_t pos, std::uint64_t max_units,
                 std::string& out) {
  const std::string_view d = r.data();
  const std::uint64_t end = d.size();
  auto byte = [&](std::uint64_t i) {
    return static_cast<std::uint32_t>(static_cast<std::uint8_t>(d[i]));
  };
  auto cont = [&](std::uint64_t i) { return i < end && (byte(i) & 0xC0) == 0x80; };
  // The declared length bounds the work; a little slack keeps slightly wrong
  // lengths (seen in hand-made files) readable.
  const std::uint64_t unit_cap = max_units + 16;
  std::uint64_t units = 0;
  std::uint32_t pending_high = 0;  // a high surrogate waiting for its low half
  while (pos < end && units < unit_cap) {
    std::uint32_t b0 = byte(pos);
    if (b0 == 0) return true;
    std::uint32_t cp;
    if (b0 < 0x80) {
      cp = b0;
      pos += 1;
    } else if ((b0 & 0xE0) == 0xC0 && cont(pos + 1)) {
      cp = ((b0 & 0x1F) << 6) | (byte(pos + 1) & 0x3F);
      pos += 2;
    } else if ((b0 & 0xF0) == 0xE0 && cont(pos + 1) && cont(pos + 2)) {
      cp = ((b0 & 0x0F) << 12) | ((byte(pos + 1) & 0x3F) << 6) | (byte(pos + 2) & 0x3F);
      pos += 3;
    } else {
      cp = 0xFFFD;  // invalid lead or truncated sequence: replace one byte, go on
      pos += 1;
    }
    ++units;
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      if (pending_high) android::AppendUtf8(0xFFFD, out);
      pending_high = cp;
      continue;
    }
    if (cp >= 0xDC00 && cp <= 0xDFFF && pending_high) {
      android::AppendUtf8(0x10000 + ((pending_high - 0xD800) << 10) + (cp - 0xDC00), out);
      pending_high = 0;
      continue;
    }
    if (pending_high) {
      android::AppendUtf8(0xFFFD, out);
      pending_high = 0;
    }
    android::AppendUtf8(cp, out);
  }
  if (pending_high) android::AppendUtf8(0xFFFD, out);
  return pos < end;  // stopped by the unit cap (no NUL yet) counts as readable
}

// The string table, for looking up the names of fields and classes.
class StringTable {
 public:
  StringTable(const AndroidByteReader& r, std::uint64_t ids_off, std::uint32_t count)
      : r_(r), ids_off_(ids_off), count_(count) {}

  // Appends string `i` (at most about `max_units` UTF-16 units of it) to `out`; false
  // when it is out of range, points outside the file or is unterminated.
  bool Decode(std::uint32_t i, std::uint64_t max_units, std::string& out) const {
    if (i >= count_) return false;
    std::uint64_t pos = *r_.U32(ids_off_ + static_cast<std::uint64_t>(i) * 4);
    auto units = r_.Uleb128(pos);
    return units && DecodeMutf8(r_, pos, std::min<std::uint64_t>(*units, max_units), out);
  }

  // String `i`, cut to `max_bytes` ("" when unreadable): a name, for context and labels.
  std::string At(std::uint32_t i, std::size_t max_bytes) const {
    std::string out;
    (void)Decode(i, max_bytes, out);
    if (out.size() > max_bytes) out.resize(max_bytes);
    return out;
  }

  // "com.example.BuildConfig" for type `type_idx` ("Lcom/example/BuildConfig;").
  std::string ClassName(std::uint32_t type_idx) const {
    auto size = r_.U32(kTypeIdsSizeOff);
    auto off = r_.U32(kTypeIdsOffOff);
    if (!size || !off || type_idx >= *size) return "?";
    auto descriptor_idx = r_.U32(*off + static_cast<std::uint64_t>(type_idx) * 4);
    if (!descriptor_idx) return "?";
    std::string name = At(*descriptor_idx, 256);
    if (name.size() >= 2 && name.front() == 'L' && name.back() == ';') {
      name = name.substr(1, name.size() - 2);
    }
    std::replace(name.begin(), name.end(), '/', '.');
    return name;
  }

 private:
  const AndroidByteReader& r_;
  std::uint64_t ids_off_;
  std::uint32_t count_;
};

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
      emit(std::move(child));
    }
    return Status::Ok();
  }
};

}  // namespace

std::unique_ptr<Extractor> NewDexExtractor() { return std::make_unique<DexExtractor>(); }

}  // namespace leakproof::scanner
