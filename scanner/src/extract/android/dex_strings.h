// The DEX string table (source.android.com/docs/core/runtime/dex-format): string_ids[]
// holds u32 offsets of string_data_item, a ULEB128 utf16_size and then MUTF-8 bytes up
// to a NUL. MUTF-8 differs from UTF-8 in U+0000 (C0 80) and in supplementary characters
// (two 3-byte surrogates, CESU-8); both are converted to UTF-8 here.
#pragma once

#include "extract/android/android_byte_reader.h"

#include <cstdint>
#include <string>

namespace leakproof::scanner {

inline constexpr std::uint64_t kDexTypeIdsSizeOff = 0x40;
inline constexpr std::uint64_t kDexTypeIdsOffOff = 0x44;

// Decodes MUTF-8 from `pos` up to a NUL (or the end of the data, or `max_units` UTF-16
// units plus slack) into UTF-8. Returns false when the string runs off the end of the
// file without a NUL (the decoded prefix is still kept).
bool DecodeMutf8(const AndroidByteReader& r, std::uint64_t pos, std::uint64_t max_units,
                 std::string& out);

// The string table, for looking up string constants and the names of fields and classes.
class StringTable {
 public:
  StringTable(const AndroidByteReader& r, std::uint64_t ids_off, std::uint32_t count)
      : r_(r), ids_off_(ids_off), count_(count) {}

  std::uint32_t size() const { return count_; }
  // Appends string `i` (at most about `max_units` UTF-16 units of it) to `out`; false
  // when it is out of range, points outside the file or is unterminated.
  bool Decode(std::uint32_t i, std::uint64_t max_units, std::string& out) const;
  // String `i`, cut to `max_bytes` ("" when unreadable): a name, for context and labels.
  std::string At(std::uint32_t i, std::size_t max_bytes) const;
  // The descriptor of type `type_idx` ("Lcom/example/BuildConfig;"), "" when unreadable.
  std::string TypeDescriptor(std::uint32_t type_idx) const;
  // "com.example.BuildConfig" for type `type_idx` ("Lcom/example/BuildConfig;").
  std::string ClassName(std::uint32_t type_idx) const;

 private:
  const AndroidByteReader& r_;
  std::uint64_t ids_off_;
  std::uint32_t count_;
};

}  // namespace leakproof::scanner
