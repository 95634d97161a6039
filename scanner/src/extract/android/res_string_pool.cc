// ResStringPool parsing, see res_string_pool.h for the layout.
#include "extract/android/res_string_pool.h"

#include "extract/android/android_byte_reader.h"
#include "extract/android/android_text.h"

#include <algorithm>
#include <optional>

namespace leakproof::scanner {

namespace {

constexpr std::uint32_t kUtf8Flag = 0x100;
constexpr std::uint32_t kPoolHeaderSize = 28;

// A UTF-8 pool length: one byte, or two when the high bit is set (15-bit value).
std::optional<std::uint32_t> Utf8Length(const AndroidByteReader& r, std::uint64_t& pos) {
  auto b0 = r.U8(pos);
  if (!b0) return std::nullopt;
  ++pos;
  if ((*b0 & 0x80) == 0) return *b0;
  auto b1 = r.U8(pos);
  if (!b1) return std::nullopt;
  ++pos;
  return (static_cast<std::uint32_t>(*b0 & 0x7F) << 8) | *b1;
}

// A UTF-16 pool length: one unit, or two when the high bit is set (31-bit value).
std::optional<std::uint32_t> Utf16Length(const AndroidByteReader& r, std::uint64_t& pos) {
  auto u0 = r.U16(pos);
  if (!u0) return std::nullopt;
  pos += 2;
  if ((*u0 & 0x8000) == 0) return *u0;
  auto u1 = r.U16(pos);
  if (!u1) return std::nullopt;
  pos += 2;
  return (static_cast<std::uint32_t>(*u0 & 0x7FFF) << 16) | *u1;
}

// Decodes one entry at `pos` (relative to the chunk); false when it does not fit.
bool DecodeEntry(const AndroidByteReader& r, std::uint64_t pos, bool utf8, std::string& out) {
  if (utf8) {
    if (!Utf8Length(r, pos)) return false;  // length in UTF-16 units: not needed
    auto n = Utf8Length(r, pos);
    if (!n) return false;
    auto bytes = r.Bytes(pos, *n);
    if (!bytes) return false;
    out.assign(*bytes);  // already UTF-8; invalid bytes are kept as data
    return true;
  }
  auto units = Utf16Length(r, pos);
  if (!units) return false;
  auto bytes = r.Bytes(pos, static_cast<std::uint64_t>(*units) * 2);
  if (!bytes) return false;
  android::AppendUtf16LeAsUtf8(*bytes, out);
  return true;
}

}  // namespace

Result<ResStringPool> ResStringPool::Parse(std::string_view chunk,
                                           std::uint64_t max_decoded_bytes) {
  AndroidByteReader whole(chunk);
  auto type = whole.U16(0);
  auto header_size = whole.U16(2);
  auto chunk_size = whole.U32(4);
  if (!type || !header_size || !chunk_size || *type != kResStringPoolType) {
    return Status::Corrupt("string pool: bad chunk header");
  }
  if (*header_size < kPoolHeaderSize || *chunk_size < *header_size || *chunk_size > chunk.size()) {
    return Status::Corrupt("string pool: chunk size out of range");
  }
  AndroidByteReader r(chunk.substr(0, *chunk_size));
  const std::uint32_t count = *r.U32(8);
  const std::uint32_t flags = *r.U32(16);
  const std::uint32_t strings_start = *r.U32(20);
  // The offset table must fit between the header and the end of the chunk.
  if (!r.Has(*header_size, static_cast<std::uint64_t>(count) * 4)) {
    return Status::Corrupt("string pool: string count exceeds chunk");
  }
  // aapt never lets strings overlap, and UTF-16 grows at most 3:2 into UTF-8: a pool
  // that decodes to more than twice its size repeats offsets to inflate memory.
  max_decoded_bytes = std::min<std::uint64_t>(max_decoded_bytes, 2ull * *chunk_size + 4096);
  ResStringPool pool;
  pool.utf8_ = (flags & kUtf8Flag) != 0;
  pool.strings_.resize(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    if (pool.decoded_bytes_ >= max_decoded_bytes) {
      pool.truncated_ = true;
      break;
    }
    const std::uint64_t off = static_cast<std::uint64_t>(strings_start) +
                              *r.U32(*header_size + static_cast<std::uint64_t>(i) * 4);
    std::string& s = pool.strings_[i];
    if (!DecodeEntry(r, off, pool.utf8_, s)) {
      s.clear();
      ++pool.bad_strings_;
      continue;
    }
    if (s.size() > max_decoded_bytes - pool.decoded_bytes_) {
      s.clear();
      pool.truncated_ = true;
      break;
    }
    pool.decoded_bytes_ += s.size();
  }
  return pool;
}

}  // namespace leakproof::scanner
