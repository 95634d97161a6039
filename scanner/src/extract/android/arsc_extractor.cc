// ResTable walking; layout from frameworks/base libs/androidfw ResourceTypes.h.
//
// RES_TABLE_TYPE (0x0002): header {chunk, packageCount}, then the global value string
// pool and RES_TABLE_PACKAGE_TYPE (0x0200) chunks. A package header holds id,
// char16 name[128], typeStrings/keyStrings (offsets of its type-name and key-name
// pools from the package start) and, in newer files, typeIdOffset. Its children
// include RES_TABLE_TYPE_TYPE (0x0201) chunks: {chunk, u8 id, u8 flags, u16, u32
// entryCount, u32 entriesStart, ResTable_config}, then entryCount entry offsets
// (u32; u16 * 4 with FLAG_OFFSET16; {u16 index, u16 offset / 4} pairs with
// FLAG_SPARSE), each pointing at a ResTable_entry {u16 size, u16 flags, u32 key}
// followed by a Res_value {u16 size, u8 0, u8 dataType, u32 data}; or, with
// FLAG_COMPLEX, a map entry {.., u32 parent, u32 count} followed by count
// {u32 name, Res_value} (string-arrays, plurals, styles); or, with FLAG_COMPACT, an
// 8-byte entry {u16 key, u16 flags | dataType << 8, u32 data}.
#include "extract/android/arsc_extractor.h"

#include "extract/android/android_byte_reader.h"
#include "extract/android/res_chunk.h"
#include "extract/android/res_string_pool.h"
#include "extract/budgeted_segments.h"
#include "extract/named_value.h"

#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace leakproof::scanner {

namespace {

constexpr std::uint16_t kTableType = 0x0002;
constexpr std::uint16_t kPackageType = 0x0200;
constexpr std::uint16_t kTypeType = 0x0201;
constexpr std::uint8_t kTypeString = 0x03;
constexpr std::uint32_t kNoEntry = 0xFFFFFFFF;
constexpr std::uint16_t kNoEntry16 = 0xFFFF;
constexpr std::uint8_t kFlagSparse = 0x01;
constexpr std::uint8_t kFlagOffset16 = 0x02;
constexpr std::uint16_t kEntryComplex = 0x0001;
constexpr std::uint16_t kEntryCompact = 0x0008;
constexpr std::uint64_t kPackageHeaderMin = 284;
constexpr std::uint64_t kTypeHeaderMin = 20;

struct Package {
  std::optional<ResStringPool> types;
  std::optional<ResStringPool> keys;
  std::uint32_t type_id_offset = 0;
};

class ArscWalker {
 public:
  ArscWalker(const Blob& blob, ExtractContext& ctx) : blob_(blob), ctx_(ctx), out_(ctx) {}

  Status Run(const ChildSink& emit) {
    AndroidByteReader r(blob_.bytes());
    const std::uint16_t header_size = *r.U16(2);
    const std::uint32_t size = *r.U32(4);
    if (header_size < 12 || size < header_size) return Status::Corrupt("arsc: bad file header");
    std::string_view body = blob_.bytes();
    if (size > body.size()) {
      Warn(StatusCode::kCorrupt, "arsc: truncated (header says " + std::to_string(size) +
                                     " bytes, file has " + std::to_string(body.size()) + ")");
    } else {
      body = body.substr(0, size);
    }
    ResChunkWalker walker(body, header_size);
    while (auto chunk = walker.Next()) {
      if (chunk->type == kResStringPoolType && !values_) {
        values_ = ParsePool(chunk->bytes, "value");
        if (!values_) break;  // without values there is nothing to label
        used_.assign(values_->size(), false);
      } else if (chunk->type == kPackageType && values_) {
        if (!HandlePackage(*chunk)) break;
      }
    }
    if (!walker.error().empty()) Warn(StatusCode::kCorrupt, "arsc: " + walker.error());
    if (!values_) return Status::Corrupt("arsc: no global string pool");
    for (std::uint32_t i = 0; i < values_->size(); ++i) {
      if (!used_[i]) out_.Add(*values_->Get(i), "");
    }
    if (out_.limited()) {
      Warn(StatusCode::kLimitExceeded,
           "arsc: values exceed the per-member or total byte limit; rest skipped");
    }
    if (!out_.empty()) {
      emit(std::move(out_).Build(blob_.provenance().Child({"arsc-strings", "", true})));
    }
    return Status::Ok();
  }

 private:
  void Warn(StatusCode code, std::string message) {
    ctx_.Diagnose(blob_.provenance(), DiagnosticLevel::kWarning, code, std::move(message));
  }

  std::optional<ResStringPool> ParsePool(std::string_view chunk, const char* what) {
    auto pool = ResStringPool::Parse(chunk, ctx_.limits().max_member_bytes);
    if (!pool.ok()) {
      Warn(StatusCode::kCorrupt, std::string("arsc: ") + what + " " + pool.status().message());
      return std::nullopt;
    }
    if (pool->bad_strings() > 0) {
      Warn(StatusCode::kCorrupt, std::string("arsc: ") + std::to_string(pool->bad_strings()) + " " +
                                     what + " strings lie outside their pool");
    }
    if (pool->truncated()) {
      Warn(StatusCode::kLimitExceeded,
           std::string("arsc: ") + what + " pool exceeds the per-member limit");
    }
    return std::move(pool.value());
  }

  // False stops the walk (a limit was hit).
  bool HandlePackage(const ResChunk& c) {
    AndroidByteReader r(c.bytes);
    if (c.header_size < kPackageHeaderMin) {
      Warn(StatusCode::kCorrupt,
           "arsc: package header too small at offset " + std::to_string(c.offset));
      return true;
    }
    Package pkg;
    const std::uint32_t type_strings = *r.U32(268);
    const std::uint32_t key_strings = *r.U32(276);
    if (c.header_size >= kPackageHeaderMin + 4) pkg.type_id_offset = *r.U32(284);
    if (type_strings != 0 && r.Has(type_strings, 8)) {
      pkg.types = ParsePool(c.bytes.substr(type_strings), "type-name");
    }
    if (key_strings != 0 && r.Has(key_strings, 8)) {
      pkg.keys = ParsePool(c.bytes.substr(key_strings), "key-name");
    }
    ResChunkWalker walker(c.bytes, c.header_size);
    while (auto chunk = walker.Next()) {
      if (chunk->type == kTypeType && !HandleType(pkg, *chunk)) return false;
    }
    if (!walker.error().empty()) Warn(StatusCode::kCorrupt, "arsc: package: " + walker.error());
    return true;
  }

  std::string TypeName(const Package& pkg, std::uint8_t id) const {
    const std::uint32_t index = static_cast<std::uint32_t>(id) - 1 - pkg.type_id_offset;
    const std::string* s = pkg.types ? pkg.types->Get(index) : nullptr;
    // Clipped like every label part: many entries may repeat one huge name.
    return s && !s->empty() ? s->substr(0, BudgetedSegments::kMaxLabelBytes)
                            : "type" + std::to_string(id);
  }

  std::string KeyName(const Package& pkg, std::uint32_t index) const {
    const std::string* s = pkg.keys ? pkg.keys->Get(index) : nullptr;
    return s && !s->empty() ? s->substr(0, BudgetedSegments::kMaxLabelBytes)
                            : "#" + std::to_string(index);
  }

  // Records a string value found under (type, key); false when a limit was hit.
  bool Value(const Package& pkg, std::uint8_t type_id, std::uint32_t key, std::uint8_t data_type,
             std::uint32_t data) {
    if (data_type != kTypeString || data >= values_->size()) return true;
    // The same value under the same name in several configurations (values-de,
    // values-night) is reported once.
    if (!seen_.insert({data, type_id, key}).second) return true;
    used_[data] = true;
    // Written beside its name, as strings.xml says it (see named_value.h).
    const std::string name = KeyName(pkg, key);
    return out_.Add(NameBesideValue(name, *values_->Get(data)),
                    "@" + TypeName(pkg, type_id) + "/" + name);
  }

  bool HandleType(const Package& pkg, const ResChunk& c) {
    AndroidByteReader r(c.bytes);
    if (c.header_size < kTypeHeaderMin) {
      Warn(StatusCode::kCorrupt, "arsc: type chunk header too small");
      return true;
    }
    const std::uint8_t id = *r.U8(8);
    const std::uint8_t flags = *r.U8(9);
    const std::uint32_t count = *r.U32(12);
    const std::uint32_t entries_start = *r.U32(16);
    const bool sparse = (flags & kFlagSparse) != 0;
    const bool offset16 = !sparse && (flags & kFlagOffset16) != 0;
    const std::uint64_t slot = offset16 ? 2 : 4;
    if (!r.Has(c.header_size, count * slot)) {
      Warn(StatusCode::kCorrupt,
           "arsc: entry count exceeds type chunk at offset " + std::to_string(c.offset));
      return true;
    }
    for (std::uint32_t i = 0; i < count; ++i) {
      const std::uint64_t at = c.header_size + i * slot;
      std::uint64_t offset;
      if (sparse) {
        offset = static_cast<std::uint64_t>(*r.U16(at + 2)) * 4;
      } else if (offset16) {
        const std::uint16_t o = *r.U16(at);
        if (o == kNoEntry16) continue;
        offset = static_cast<std::uint64_t>(o) * 4;
      } else {
        const std::uint32_t o = *r.U32(at);
        if (o == kNoEntry) continue;
        offset = o;
      }
      if (!Entry(pkg, id, r, static_cast<std::uint64_t>(entries_start) + offset)) return false;
    }
    return true;
  }

  bool Entry(const Package& pkg, std::uint8_t type_id, const AndroidByteReader& r,
             std::uint64_t e) {
    auto size = r.U16(e);
    auto flags = r.U16(e + 2);
    auto key = r.U32(e + 4);
    if (!size || !flags || !key) return true;  // out of the chunk: skip the entry
    if (*flags & kEntryCompact) {
      // Compact entries keep the key index in `size` and the data type in the flags.
      return Value(pkg, type_id, *size, static_cast<std::uint8_t>(*flags >> 8), *key);
    }
    if (*flags & kEntryComplex) {
      // A bag (string-array, plurals, style): each item is {name, Res_value}.
      auto count = r.U32(e + 12);
      if (!count) return true;
      for (std::uint64_t m = e + *size, n = 0; n < *count && r.Has(m, 12); ++n, m += 12) {
        if (!Value(pkg, type_id, *key, *r.U8(m + 7), *r.U32(m + 8))) return false;
      }
      return true;
    }
    const std::uint64_t v = e + *size;
    if (!r.Has(v, 8)) return true;
    return Value(pkg, type_id, *key, *r.U8(v + 3), *r.U32(v + 4));
  }

  const Blob& blob_;
  ExtractContext& ctx_;
  BudgetedSegments out_;
  std::optional<ResStringPool> values_;
  std::vector<bool> used_;
  std::set<std::tuple<std::uint32_t, std::uint8_t, std::uint32_t>> seen_;
};

class ArscExtractor final : public Extractor {
 public:
  std::string_view name() const override { return "arsc"; }
  bool CanExtract(const Blob& blob) const override {
    AndroidByteReader r(blob.bytes());
    return r.U16(0) == kTableType && r.U16(2) == std::optional<std::uint16_t>(12) && r.Has(0, 12);
  }
  bool ReplacesParentScan() const override { return true; }

  Status Extract(const Blob& blob, ExtractContext& ctx, const ChildSink& emit) const override {
    if (!CanExtract(blob)) return Status::Corrupt("arsc: not a resource table");
    ArscWalker walker(blob, ctx);
    return walker.Run(emit);
  }
};

}  // namespace

std::unique_ptr<Extractor> NewArscExtractor() { return std::make_unique<ArscExtractor>(); }

}  // namespace leakproof::scanner
