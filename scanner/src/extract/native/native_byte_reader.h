// NativeByteReader: bounds-checked fixed-width reads for the native-artifact parsers
// (bplist, Mach-O, ELF, Hermes).
//
// Every parser here reads offsets and counts straight out of untrusted files, so each
// read goes through this one checked path instead of pointer arithmetic at call sites:
// a read past the end returns false and never touches memory outside the view.
// Endianness is a per-reader setting because Mach-O and ELF carry it in their headers.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace leakproof::scanner::native {

class NativeByteReader {
 public:
  NativeByteReader(std::string_view data, bool big_endian) : data_(data), big_endian_(big_endian) {}

  std::uint64_t size() const { return data_.size(); }
  bool big_endian() const { return big_endian_; }
  std::string_view data() const { return data_; }

  // True when [offset, offset + length) lies inside the data (overflow-safe).
  bool InBounds(std::uint64_t offset, std::uint64_t length) const {
    return offset <= data_.size() && length <= data_.size() - offset;
  }

  // The bytes [offset, offset + length), or nullopt when out of bounds.
  std::optional<std::string_view> Slice(std::uint64_t offset, std::uint64_t length) const {
    if (!InBounds(offset, length)) return std::nullopt;
    return data_.substr(offset, length);
  }

  // An unsigned integer of `width` bytes (1..8) in the reader's byte order.
  bool UInt(std::uint64_t offset, int width, std::uint64_t* out) const {
    if (width < 1 || width > 8 || !InBounds(offset, static_cast<std::uint64_t>(width))) {
      return false;
    }
    std::uint64_t v = 0;
    for (int i = 0; i < width; ++i) {
      const int index = big_endian_ ? i : width - 1 - i;
      v = (v << 8) | static_cast<unsigned char>(data_[offset + index]);
    }
    *out = v;
    return true;
  }

  bool U8(std::uint64_t offset, std::uint8_t* out) const { return Narrow(offset, 1, out); }
  bool U16(std::uint64_t offset, std::uint16_t* out) const { return Narrow(offset, 2, out); }
  bool U32(std::uint64_t offset, std::uint32_t* out) const { return Narrow(offset, 4, out); }
  bool U64(std::uint64_t offset, std::uint64_t* out) const { return UInt(offset, 8, out); }

 private:
  template <typename T>
  bool Narrow(std::uint64_t offset, int width, T* out) const {
    std::uint64_t v = 0;
    if (!UInt(offset, width, &v)) return false;
    *out = static_cast<T>(v);
    return true;
  }

  std::string_view data_;
  bool big_endian_;
};

}  // namespace leakproof::scanner::native
