// Bounds-checked reads of what Java's DataOutputStream writes (big-endian integers,
// 2-byte-length "modified UTF-8" strings), the encoding of JKS, JCEKS and BKS keystores.
// Any read past the end fails (an empty optional or false) and leaves the position as is.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace leakproof::scanner::keystore {

class JavaDataReader {
 public:
  explicit JavaDataReader(std::string_view data, std::size_t pos = 0) : d_(data), pos_(pos) {}

  std::optional<std::uint8_t> U8() {
    if (!Has(1)) return std::nullopt;
    return static_cast<std::uint8_t>(d_[pos_++]);
  }
  std::optional<std::uint32_t> U32() {
    if (!Has(4)) return std::nullopt;
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<std::uint8_t>(d_[pos_ + i]);
    pos_ += 4;
    return v;
  }
  bool Skip(std::uint64_t n) {
    if (!Has(n)) return false;
    pos_ += static_cast<std::size_t>(n);
    return true;
  }
  // writeUTF: a 2-byte length, then that many bytes (kept as they are).
  std::optional<std::string> Utf() {
    if (!Has(2)) return std::nullopt;
    const std::size_t n = (static_cast<std::size_t>(static_cast<std::uint8_t>(d_[pos_])) << 8) |
                          static_cast<std::uint8_t>(d_[pos_ + 1]);
    if (!Has(2 + static_cast<std::uint64_t>(n))) return std::nullopt;
    std::string s(d_.substr(pos_ + 2, n));
    pos_ += 2 + n;
    return s;
  }
  // A 4-byte length and that many bytes, skipped.
  bool Blob() {
    const std::size_t start = pos_;
    auto n = U32();
    if (n && Skip(*n)) return true;
    pos_ = start;
    return false;
  }
  std::size_t pos() const { return pos_; }

 private:
  bool Has(std::uint64_t n) const { return pos_ <= d_.size() && n <= d_.size() - pos_; }
  std::string_view d_;
  std::size_t pos_;
};

}  // namespace leakproof::scanner::keystore
