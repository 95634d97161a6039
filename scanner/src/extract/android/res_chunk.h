// ResChunk: walking the ResChunk_header-framed chunks of Android binary XML and
// resources.arsc.
//
// Both formats are a tree of chunks {u16 type, u16 headerSize, u32 size}, children
// laid out back to back after the parent's header. A chunk whose size is smaller than
// its header, or runs past its parent, ends the walk with an error message: there is
// no way to resynchronise, and everything before it is still good.
#pragma once

#include "extract/android/android_byte_reader.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace leakproof::scanner {

struct ResChunk {
  std::uint16_t type = 0;
  std::uint16_t header_size = 0;
  std::uint64_t offset = 0;  // of the chunk inside the walked data
  std::string_view bytes;    // the whole chunk, header included
};

class ResChunkWalker {
 public:
  // Walks data[begin, data.size()).
  ResChunkWalker(std::string_view data, std::uint64_t begin) : data_(data), pos_(begin) {}

  // The next chunk, or nothing at the end or on a malformed header (then error()).
  std::optional<ResChunk> Next() {
    AndroidByteReader r(data_);
    if (!error_.empty() || pos_ >= data_.size()) return std::nullopt;
    auto type = r.U16(pos_);
    auto header_size = r.U16(pos_ + 2);
    auto size = r.U32(pos_ + 4);
    if (!type || !header_size || !size) {
      error_ = "truncated chunk header at offset " + std::to_string(pos_);
      return std::nullopt;
    }
    if (*header_size < 8 || *size < *header_size || !r.Has(pos_, *size)) {
      error_ = "bad chunk (type 0x" + Hex(*type) + ", size " + std::to_string(*size) +
               ") at offset " + std::to_string(pos_);
      return std::nullopt;
    }
    ResChunk c{*type, *header_size, pos_, data_.substr(pos_, *size)};
    pos_ += *size;
    return c;
  }

  const std::string& error() const { return error_; }

 private:
  static std::string Hex(std::uint16_t v) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string s(4, '0');
    for (int i = 3; i >= 0; --i, v = static_cast<std::uint16_t>(v >> 4)) s[i] = kDigits[v & 0xF];
    return s;
  }

  std::string_view data_;
  std::uint64_t pos_;
  std::string error_;
};

}  // namespace leakproof::scanner
