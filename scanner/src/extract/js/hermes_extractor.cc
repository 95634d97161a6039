// Hermes string table; see hermes_extractor.h.
//
// Layout (hermes include/hermes/BCGen/HBC/BytecodeFileFormat.h), little-endian:
//   header (128 bytes): u64 magic 0x1F1903C103BC1FC6, u32 version, u8 sourceHash[20],
//     u32 fileLength @32, globalCodeIndex @36, functionCount @40, stringKindCount @44,
//     identifierCount @48, stringCount @52, overflowStringCount @56,
//     stringStorageSize @60, then version-dependent fields we do not need.
//   then, each 4-byte aligned: function headers (functionCount x 16 or 12 bytes),
//     string kinds (u32 each), identifier hashes (u32 each), SmallStringTableEntry[]
//     (u32: isUTF16:1 | offset:23 | length:8; length 255 = index into the overflow
//     table), OverflowStringTableEntry[] ({u32 offset, u32 length}), string storage.
//   A UTF-16 string's length counts code units (2 bytes each).
#include "extract/js/hermes_extractor.h"

#include "extract/native/native_byte_reader.h"
#include "extract/native/native_utf16.h"

#include <algorithm>
#include <string>

namespace leakproof::scanner {
namespace {

constexpr std::string_view kMagic = "\xc6\x1f\xbc\x03\xc1\x03\x19\x1f";
constexpr std::uint64_t kHeaderSize = 128;
constexpr std::uint32_t kMinVersion = 74;
constexpr std::uint32_t kMaxVersion = 99;
constexpr std::uint32_t kOverflowLength = 0xFF;

std::uint64_t Align4(std::uint64_t v) { return (v + 3) & ~std::uint64_t{3}; }

struct StringTable {
  std::uint64_t small = 0;     // file offset of SmallStringTableEntry[0]
  std::uint64_t overflow = 0;  // file offset of OverflowStringTableEntry[0]
  std::uint64_t storage = 0;   // file offset of the string storage
  std::uint32_t count = 0;
  std::uint32_t overflow_count = 0;
  std::uint32_t storage_size = 0;
};

Status LocateStrings(const native::NativeByteReader& r, std::uint32_t version, StringTable* t) {
  std::uint32_t functions = 0;
  std::uint32_t kinds = 0;
  std::uint32_t identifiers = 0;
  if (!r.U32(40, &functions) || !r.U32(44, &kinds) || !r.U32(48, &identifiers) ||
      !r.U32(52, &t->count) || !r.U32(56, &t->overflow_count) || !r.U32(60, &t->storage_size) ||
      r.size() < kHeaderSize) {
    return Status::Corrupt("Hermes: truncated header");
  }
  // All counts are u32, so these sums cannot overflow 64 bits.
  const std::uint64_t func_header_size = version >= 97 ? 12 : 16;
  std::uint64_t pos = Align4(kHeaderSize + functions * func_header_size);
  pos = Align4(pos + std::uint64_t{kinds} * 4);
  pos = Align4(pos + std::uint64_t{identifiers} * 4);
  t->small = pos;
  t->overflow = Align4(t->small + std::uint64_t{t->count} * 4);
  t->storage = Align4(t->overflow + std::uint64_t{t->overflow_count} * 8);
  if (!r.InBounds(t->storage, t->storage_size)) {
    return Status::Corrupt("Hermes: string table runs past the end of the file");
  }
  return Status::Ok();
}

// Fetches string `i` as UTF-8; false when its entry points outside the storage.
bool ReadString(const native::NativeByteReader& r, const StringTable& t, std::uint32_t i,
                std::string* out) {
  std::uint32_t entry = 0;
  if (!r.U32(t.small + std::uint64_t{i} * 4, &entry)) return false;
  const bool utf16 = (entry & 1) != 0;
  std::uint64_t offset = (entry >> 1) & 0x7FFFFF;
  std::uint64_t length = entry >> 24;
  if (length == kOverflowLength) {
    std::uint32_t off = 0;
    std::uint32_t len = 0;
    if (offset >= t.overflow_count || !r.U32(t.overflow + offset * 8, &off) ||
        !r.U32(t.overflow + offset * 8 + 4, &len)) {
      return false;
    }
    offset = off;
    length = len;
  }
  const std::uint64_t bytes = utf16 ? length * 2 : length;
  if (offset > t.storage_size || bytes > t.storage_size - offset) return false;
  const std::string_view raw = r.data().substr(t.storage + offset, bytes);
  out->clear();
  if (utf16) {
    native::AppendUtf16AsUtf8(raw, /*big_endian=*/false, out);
  } else {
    native::AppendLatin1AsUtf8(raw, out);
  }
  return true;
}

// Hands the raw bytes on when we could not (fully) parse, since we replace the parent's
// raw scan. The magic is dropped so the child is not taken for Hermes again.
void EmitRawFallback(const Blob& blob, const ChildSink& emit) {
  Blob raw = Blob::FromView(blob.bytes().substr(std::min(blob.size(), kMagic.size())), blob.owner(),
                            blob.provenance().Child({"hermes-raw", "", true}));
  raw.set_depth(blob.depth() + 1);
  emit(std::move(raw));
}

}  // namespace

bool HermesExtractor::CanExtract(const Blob& blob) const {
  return blob.bytes().substr(0, kMagic.size()) == kMagic;
}

Status HermesExtractor::Extract(const Blob& blob, ExtractContext& ctx,
                                const ChildSink& emit) const {
  const native::NativeByteReader r(blob.bytes(), /*big_endian=*/false);
  std::uint32_t version = 0;
  if (!r.U32(8, &version)) {
    EmitRawFallback(blob, emit);
    return Status::Corrupt("Hermes: truncated header; raw bytes scanned instead");
  }
  if (version < kMinVersion || version > kMaxVersion) {
    ctx.Diagnose(blob.provenance(), DiagnosticLevel::kWarning, StatusCode::kUnsupported,
                 "Hermes bytecode version " + std::to_string(version) +
                     " is not supported: strings not parsed, raw bytes scanned instead "
                     "(packed strings may give phantom matches)");
    EmitRawFallback(blob, emit);
    return Status::Ok();
  }
  StringTable table;
  if (Status s = LocateStrings(r, version, &table); !s.ok()) {
    EmitRawFallback(blob, emit);
    return Status::Corrupt(s.message() + "; raw bytes scanned instead");
  }
  SegmentedBlobBuilder strings;
  std::uint32_t bad = 0;
  bool limited = false;
  std::string text;
  for (std::uint32_t i = 0; i < table.count; ++i) {
    if (!ReadString(r, table, i, &text)) {
      ++bad;
      continue;
    }
    if (text.empty()) continue;
    if (strings.size() + text.size() > ctx.limits().max_member_bytes ||
        !ctx.budget().Take(text.size() + 1)) {
      limited = true;
      break;
    }
    strings.Add(text, "string #" + std::to_string(i));
  }
  if (limited) {
    ctx.Diagnose(blob.provenance(), DiagnosticLevel::kWarning, StatusCode::kLimitExceeded,
                 "Hermes strings exceed the byte limit; the rest were not scanned");
  }
  if (!strings.empty()) {
    Blob child = std::move(strings).Build(blob.provenance().Child({"hermes", "", true}));
    child.set_depth(blob.depth() + 1);
    if (!emit(std::move(child))) return Status::Ok();
  }
  if (bad > 0) {
    EmitRawFallback(blob, emit);
    return Status::Corrupt("Hermes: " + std::to_string(bad) +
                           " string table entries out of bounds; raw bytes scanned too");
  }
  return Status::Ok();
}

std::unique_ptr<Extractor> NewHermesExtractor() { return std::make_unique<HermesExtractor>(); }

}  // namespace leakproof::scanner
