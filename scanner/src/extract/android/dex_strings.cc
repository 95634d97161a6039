#include "extract/android/dex_strings.h"

#include "extract/android/android_text.h"

#include <algorithm>

namespace leakproof::scanner {

bool DecodeMutf8(const AndroidByteReader& r, std::uint64_t pos, std::uint64_t max_units,
                 std::string& out) {
  const std::string_view d = r.data();
  const std::uint64_t end = d.size();
  auto byte = [&](std::uint64_t i) {
    return static_cast<std::uint32_t>(static_cast<std::uint8_t>(d[i]));
  };
  auto cont = [&](std::uint64_t i) { return i < end && (byte(i) & 0xC0) == 0x80; };
  // The declared length bounds the work; a little slack keeps slightly wrong
  // lengths (seen in hand-made files) readable.
  const std::uint64_t unit_cap = max_units + 16;
  std::uint64_t units = 0;
  std::uint32_t pending_high = 0;  // a high surrogate waiting for its low half
  while (pos < end && units < unit_cap) {
    std::uint32_t b0 = byte(pos);
    if (b0 == 0) return true;
    std::uint32_t cp;
    if (b0 < 0x80) {
      cp = b0;
      pos += 1;
    } else if ((b0 & 0xE0) == 0xC0 && cont(pos + 1)) {
      cp = ((b0 & 0x1F) << 6) | (byte(pos + 1) & 0x3F);
      pos += 2;
    } else if ((b0 & 0xF0) == 0xE0 && cont(pos + 1) && cont(pos + 2)) {
      cp = ((b0 & 0x0F) << 12) | ((byte(pos + 1) & 0x3F) << 6) | (byte(pos + 2) & 0x3F);
      pos += 3;
    } else {
      cp = 0xFFFD;  // invalid lead or truncated sequence: replace one byte, go on
      pos += 1;
    }
    ++units;
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      if (pending_high) android::AppendUtf8(0xFFFD, out);
      pending_high = cp;
      continue;
    }
    if (cp >= 0xDC00 && cp <= 0xDFFF && pending_high) {
      android::AppendUtf8(0x10000 + ((pending_high - 0xD800) << 10) + (cp - 0xDC00), out);
      pending_high = 0;
      continue;
    }
    if (pending_high) {
      android::AppendUtf8(0xFFFD, out);
      pending_high = 0;
    }
    android::AppendUtf8(cp, out);
  }
  if (pending_high) android::AppendUtf8(0xFFFD, out);
  return pos < end;  // stopped by the unit cap (no NUL yet) counts as readable
}

bool StringTable::Decode(std::uint32_t i, std::uint64_t max_units, std::string& out) const {
  if (i >= count_) return false;
  std::uint64_t pos = *r_.U32(ids_off_ + static_cast<std::uint64_t>(i) * 4);
  auto units = r_.Uleb128(pos);
  return units && DecodeMutf8(r_, pos, std::min<std::uint64_t>(*units, max_units), out);
}

std::string StringTable::At(std::uint32_t i, std::size_t max_bytes) const {
  std::string out;
  (void)Decode(i, max_bytes, out);
  if (out.size() > max_bytes) out.resize(max_bytes);
  return out;
}

std::string StringTable::TypeDescriptor(std::uint32_t type_idx) const {
  auto size = r_.U32(kDexTypeIdsSizeOff);
  auto off = r_.U32(kDexTypeIdsOffOff);
  if (!size || !off || type_idx >= *size) return {};
  auto descriptor_idx = r_.U32(*off + static_cast<std::uint64_t>(type_idx) * 4);
  if (!descriptor_idx) return {};
  return At(*descriptor_idx, 256);
}

std::string StringTable::ClassName(std::uint32_t type_idx) const {
  std::string name = TypeDescriptor(type_idx);
  if (name.empty()) return "?";
  if (name.size() >= 2 && name.front() == 'L' && name.back() == ';') {
    name = name.substr(1, name.size() - 2);
  }
  std::replace(name.begin(), name.end(), '/', '.');
  return name;
}

}  // namespace leakproof::scanner
