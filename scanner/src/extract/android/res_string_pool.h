// ResStringPool: the string table shared by Android binary XML (AndroidManifest.xml,
// res/xml/*.xml) and resources.arsc.
//
// Layout (frameworks/base libs/androidfw ResourceTypes.h): ResChunk_header, then
// stringCount, styleCount, flags, stringsStart, stylesStart; a u32 offset per string
// follows the header. UTF8_FLAG (0x100) selects UTF-8 entries (two 1-2 byte lengths,
// bytes, NUL), otherwise UTF-16LE (a 2 or 4 byte unit count, units, 0x0000). Both
// occur in real files for every pool kind, so the flag is always read, never assumed.
// All strings are decoded to UTF-8 up front because callers look them up by index
// many times (attribute names, resource keys).
#pragma once

#include "leakproof/scanner/status.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace leakproof::scanner {

inline constexpr std::uint16_t kResStringPoolType = 0x0001;

class ResStringPool {
 public:
  // Parses the pool chunk starting at `chunk[0]`; bytes past the chunk's declared size
  // are ignored. Decoding stops (truncated() == true) once `max_decoded_bytes` of UTF-8
  // have been produced, so a pool whose offsets all point at one huge string cannot
  // blow up memory. Strings whose bytes fall outside the chunk are left empty and
  // counted in bad_strings().
  static Result<ResStringPool> Parse(std::string_view chunk, std::uint64_t max_decoded_bytes);

  std::size_t size() const { return strings_.size(); }
  // The string at `index`, or nullptr when out of range (0xFFFFFFFF means "none").
  const std::string* Get(std::uint32_t index) const {
    return index < strings_.size() ? &strings_[index] : nullptr;
  }
  bool utf8() const { return utf8_; }
  std::uint64_t decoded_bytes() const { return decoded_bytes_; }
  std::size_t bad_strings() const { return bad_strings_; }
  bool truncated() const { return truncated_; }

 private:
  std::vector<std::string> strings_;
  std::uint64_t decoded_bytes_ = 0;
  std::size_t bad_strings_ = 0;
  bool utf8_ = false;
  bool truncated_ = false;
};

}  // namespace leakproof::scanner
