// FindStaticStringFields, see dex_static_values.h.
#include "extract/android/dex_static_values.h"

#include <algorithm>

namespace leakproof::scanner {
namespace {

constexpr std::uint64_t kFieldIdsSizeOff = 0x50;
constexpr std::uint64_t kFieldIdsOffOff = 0x54;
constexpr std::uint64_t kClassDefsSizeOff = 0x60;
constexpr std::uint64_t kClassDefsOffOff = 0x64;
constexpr std::uint64_t kFieldIdSize = 8;
constexpr std::uint64_t kClassDefSize = 32;
constexpr std::uint64_t kClassDataOff = 24;     // within class_def_item
constexpr std::uint64_t kStaticValuesOff = 28;  // within class_def_item
// Static initial values are flat in practice; arrays of annotations inside arrays are
// legal but never deep. The bound keeps hostile nesting from recursing without end.
constexpr int kMaxDepth = 8;

// encoded_value types (the low 5 bits of the header byte).
constexpr std::uint8_t kValueString = 0x17;
constexpr std::uint8_t kValueArray = 0x1c;
constexpr std::uint8_t kValueAnnotation = 0x1d;
constexpr std::uint8_t kValueNull = 0x1e;
constexpr std::uint8_t kValueBoolean = 0x1f;

// Types whose payload is (value_arg + 1) little-endian bytes: byte, short, char, int,
// long (0x00-0x06), float, double (0x10-0x11), method type, method handle, string, type,
// field, method, enum (0x15-0x1b).
constexpr std::uint32_t kSizedPayloadTypes = (1u << 0x00) | (1u << 0x02) | (1u << 0x03) |
                                             (1u << 0x04) | (1u << 0x06) | (1u << 0x10) |
                                             (1u << 0x11) | (0x7Fu << 0x15);

bool HasSizedPayload(std::uint8_t type) { return ((kSizedPayloadTypes >> type) & 1u) != 0; }

bool SkipEncodedValue(const AndroidByteReader& r, std::uint64_t& pos, int depth);

// encoded_array: ULEB128 size, then that many values. Each value takes at least one
// byte, so a huge size fails at the end of the file rather than looping on.
bool SkipEncodedArray(const AndroidByteReader& r, std::uint64_t& pos, int depth) {
  auto n = r.Uleb128(pos);
  if (!n) return false;
  for (std::uint32_t i = 0; i < *n; ++i) {
    if (!SkipEncodedValue(r, pos, depth + 1)) return false;
  }
  return true;
}

bool SkipEncodedValue(const AndroidByteReader& r, std::uint64_t& pos, int depth) {
  if (depth > kMaxDepth) return false;
  auto head = r.U8(pos);
  if (!head) return false;
  ++pos;
  const std::uint8_t type = *head & 0x1F;
  const std::uint64_t arg = *head >> 5;
  if (HasSizedPayload(type)) {
    if (!r.Has(pos, arg + 1)) return false;
    pos += arg + 1;
    return true;
  }
  switch (type) {
    case kValueArray:
      return SkipEncodedArray(r, pos, depth);
    case kValueAnnotation: {  // type_idx, size, then (name_idx, value) pairs
      auto type_idx = r.Uleb128(pos);
      auto n = type_idx ? r.Uleb128(pos) : std::nullopt;
      if (!n) return false;
      for (std::uint32_t i = 0; i < *n; ++i) {
        if (!r.Uleb128(pos) || !SkipEncodedValue(r, pos, depth + 1)) return false;
      }
      return true;
    }
    case kValueNull:
    case kValueBoolean:  // the value is in value_arg
      return true;
    default:
      return false;  // not a type the format defines
  }
}

struct FieldTable {
  std::uint64_t off = 0;
  std::uint32_t size = 0;
};

// Pairs one class's static fields with its initial values; false when either list
// cannot be read (the strings found before that point are kept).
bool ReadClass(const AndroidByteReader& r, std::uint32_t class_data_off,
               std::uint32_t static_values_off, const FieldTable& fields, StaticStringFields& out) {
  std::uint64_t fpos = class_data_off;
  auto static_fields = r.Uleb128(fpos);
  if (!static_fields) return false;
  // instance_fields_size, direct_methods_size, virtual_methods_size follow; only the
  // static fields that come right after them matter here.
  for (int i = 0; i < 3; ++i) {
    if (!r.Uleb128(fpos)) return false;
  }
  std::uint64_t vpos = static_values_off;
  auto values = r.Uleb128(vpos);
  if (!values) return false;
  std::uint64_t field_idx = 0;
  const std::uint32_t n = std::min(*static_fields, *values);
  for (std::uint32_t i = 0; i < n; ++i) {
    auto diff = r.Uleb128(fpos);
    if (!diff || !r.Uleb128(fpos)) return false;  // field_idx_diff, access_flags
    field_idx += *diff;
    auto head = r.U8(vpos);
    if (!head) return false;
    if ((*head & 0x1F) != kValueString) {
      if (!SkipEncodedValue(r, vpos, 0)) return false;
      continue;
    }
    const std::uint64_t len = (*head >> 5) + 1u;
    if (len > 4 || !r.Has(vpos + 1, len)) return false;  // a string index is a u32
    std::uint32_t string_idx = 0;
    for (std::uint64_t b = 0; b < len; ++b) {
      string_idx |= static_cast<std::uint32_t>(*r.U8(vpos + 1 + b)) << (8 * b);
    }
    vpos += 1 + len;
    if (field_idx >= fields.size) return false;
    const std::uint64_t at = fields.off + field_idx * kFieldIdSize;
    out.by_string.try_emplace(string_idx, StaticStringField{*r.U32(at + 4), *r.U16(at)});
    out.string_by_field.try_emplace(static_cast<std::uint32_t>(field_idx), string_idx);
  }
  return true;
}

}  // namespace

StaticStringFields FindStaticStringFields(const AndroidByteReader& r) {
  StaticStringFields out;
  auto field_count = r.U32(kFieldIdsSizeOff);
  auto field_off = r.U32(kFieldIdsOffOff);
  auto class_count = r.U32(kClassDefsSizeOff);
  auto class_off = r.U32(kClassDefsOffOff);
  if (!field_count || !field_off || !class_count || !class_off || *class_count == 0) return out;
  if (!r.Has(*field_off, static_cast<std::uint64_t>(*field_count) * kFieldIdSize) ||
      !r.Has(*class_off, static_cast<std::uint64_t>(*class_count) * kClassDefSize)) {
    out.malformed_classes = *class_count;  // the tables themselves lie outside the file
    return out;
  }
  const FieldTable fields{*field_off, *field_count};
  for (std::uint32_t c = 0; c < *class_count; ++c) {
    const std::uint64_t def = *class_off + static_cast<std::uint64_t>(c) * kClassDefSize;
    const std::uint32_t class_data = *r.U32(def + kClassDataOff);
    const std::uint32_t static_values = *r.U32(def + kStaticValuesOff);
    if (class_data == 0 || static_values == 0) continue;  // no fields or no initial values
    if (!ReadClass(r, class_data, static_values, fields, out)) ++out.malformed_classes;
  }
  return out;
}

}  // namespace leakproof::scanner
