// AndroidByteReader: bounds-checked little-endian reads over untrusted bytes.
//
// The DEX, binary XML and resources.arsc parsers follow offsets and lengths read
// from the input itself. Every read goes through this class so that an offset past
// the end, or an offset + length that overflows, yields "no value" instead of an
// out-of-bounds read. All Android binary formats here are little-endian.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace leakproof::scanner {

class AndroidByteReader {
 public:
  explicit AndroidByteReader(std::string_view data) : data_(data) {}

  std::uint64_t size() const { return data_.size(); }
  std::string_view data() const { return data_; }

  // True when [off, off + len) lies inside the data (overflow-safe).
  bool Has(std::uint64_t off, std::uint64_t len) const {
    return off <= data_.size() && len <= data_.size() - off;
  }

  std::optional<std::uint8_t> U8(std::uint64_t off) const {
    if (!Has(off, 1)) return std::nullopt;
    return static_cast<std::uint8_t>(data_[off]);
  }
  std::optional<std::uint16_t> U16(std::uint64_t off) const {
    if (!Has(off, 2)) return std::nullopt;
    return static_cast<std::uint16_t>(Byte(off) | (Byte(off + 1) << 8));
  }
  std::optional<std::uint32_t> U32(std::uint64_t off) const {
    if (!Has(off, 4)) return std::nullopt;
    return static_cast<std::uint32_t>(Byte(off)) |
           (static_cast<std::uint32_t>(Byte(off + 1)) << 8) |
           (static_cast<std::uint32_t>(Byte(off + 2)) << 16) |
           (static_cast<std::uint32_t>(Byte(off + 3)) << 24);
  }
  // ULEB128 of at most 5 bytes (a u32) at `pos`, which it advances; nothing when it runs
  // off the end or does not terminate.
  std::optional<std::uint32_t> Uleb128(std::uint64_t& pos) const {
    std::uint32_t value = 0;
    for (int i = 0; i < 5; ++i) {
      auto b = U8(pos);
      if (!b) return std::nullopt;
      ++pos;
      value |= static_cast<std::uint32_t>(*b & 0x7F) << (7 * i);
      if ((*b & 0x80) == 0) return value;
    }
    return std::nullopt;
  }
  // The sub-range [off, off + len), or nothing when it does not fit.
  std::optional<std::string_view> Bytes(std::uint64_t off, std::uint64_t len) const {
    if (!Has(off, len)) return std::nullopt;
    return data_.substr(off, len);
  }

 private:
  std::uint32_t Byte(std::uint64_t off) const { return static_cast<std::uint8_t>(data_[off]); }
  std::string_view data_;
};

}  // namespace leakproof::scanner
