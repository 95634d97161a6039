// Which DEX strings are the initial values of static fields, and of which field.
//
// `static final String API_KEY = "..."` (a BuildConfig field, a Kotlin const val) keeps
// its value in the class's static_values array, paired by position with the class's
// static fields. The string table alone says nothing of the name, and a keyword-gated
// rule (a 32-hex token is a Twilio token only when the name says so) needs it.
//
// Layout (source.android.com/docs/core/runtime/dex-format): class_defs[] (32 bytes each)
// point at class_data_item (ULEB128 counts, then static fields as field_idx deltas) and
// at an encoded_array of initial values; field_ids[] (8 bytes) give each field's class
// and name. Every offset and count comes from the file, so every read is bounds-checked,
// nested values are bounded in depth, and a malformed class is skipped, not trusted.
#pragma once

#include "extract/android/android_byte_reader.h"

#include <cstdint>
#include <unordered_map>

namespace leakproof::scanner {

struct StaticStringField {
  std::uint32_t name_idx = 0;   // string index of the field's name
  std::uint32_t class_idx = 0;  // type index of the class that declares it
};

struct StaticStringFields {
  // string index -> the first static field initialised with that string.
  std::unordered_map<std::uint32_t, StaticStringField> by_string;
  // field index -> the string index it is initialised with (for `sget-object`).
  std::unordered_map<std::uint32_t, std::uint32_t> string_by_field;
  std::uint64_t malformed_classes = 0;  // classes whose data or values could not be read
};

StaticStringFields FindStaticStringFields(const AndroidByteReader& dex);

}  // namespace leakproof::scanner
