// Binary property list ("bplist00") walker; see native_plist_reader.h.
//
// Layout (Apple's CFBinaryPList format notes): "bplist00", the objects, an offset table
// of numObjects big-endian integers of offsetIntSize bytes, and a 32-byte trailer
// {5 unused, sortVersion, offsetIntSize, objectRefSize, u64 numObjects, u64 topObject,
// u64 offsetTableOffset}, all big-endian. An object starts with a marker byte: the
// high nibble is the type, the low nibble a length (0xF: an integer object follows
// holding the real length).
#include "extract/apple/native_plist_reader.h"
#include "extract/native/native_byte_reader.h"
#include "extract/native/native_utf16.h"

#include <string>
#include <vector>

namespace leakproof::scanner::native {
namespace {

constexpr std::uint64_t kHeaderSize = 8;
constexpr std::uint64_t kTrailerSize = 32;

class BplistWalker {
 public:
  BplistWalker(std::string_view data, const PlistCallbacks& cb, const PlistReadLimits& limits)
      : r_(data, /*big_endian=*/true), cb_(cb), limits_(limits) {}

  Status Run() {
    if (r_.size() < kHeaderSize + kTrailerSize) return Status::Corrupt("bplist: too short");
    const std::uint64_t t = r_.size() - kTrailerSize;
    std::uint8_t offset_size = 0;
    std::uint64_t top = 0;
    if (!r_.U8(t + 6, &offset_size) || !r_.U8(t + 7, &ref_size_) || !r_.U64(t + 8, &num_objects_) ||
        !r_.U64(t + 16, &top) || !r_.U64(t + 24, &table_offset_)) {
      return Status::Corrupt("bplist: unreadable trailer");
    }
    offset_size_ = offset_size;
    if (offset_size_ < 1 || offset_size_ > 8 || ref_size_ < 1 || ref_size_ > 8) {
      return Status::Corrupt("bplist: bad integer sizes in trailer");
    }
    // Objects live between the header and the offset table, which ends at the trailer.
    if (num_objects_ == 0 || table_offset_ < kHeaderSize || table_offset_ > t ||
        num_objects_ > (t - table_offset_) / offset_size_) {
      return Status::Corrupt("bplist: offset table out of bounds");
    }
    if (top >= num_objects_) return Status::Corrupt("bplist: top object out of range");
    expanded_.assign(num_objects_, false);
    on_path_.assign(num_objects_, false);
    Walk(top, "", 0);
    return Status::Ok();
  }

 private:
  // Object header: type nibble, payload start and element count/byte length.
  struct Head {
    std::uint8_t type = 0;
    std::uint64_t payload = 0;
    std::uint64_t count = 0;
  };

  void Problem(StatusCode code, std::string message) {
    if (cb_.on_problem) cb_.on_problem(code, std::move(message));
  }

  bool ObjectOffset(std::uint64_t index, std::uint64_t* out) const {
    if (index >= num_objects_) return false;
    std::uint64_t off = 0;
    if (!r_.UInt(table_offset_ + index * offset_size_, offset_size_, &off)) return false;
    if (off < kHeaderSize || off >= table_offset_) return false;
    *out = off;
    return true;
  }

  bool ReadHead(std::uint64_t index, Head* h) const {
    std::uint64_t off = 0;
    std::uint8_t marker = 0;
    if (!ObjectOffset(index, &off) || !r_.U8(off, &marker)) return false;
    h->type = marker >> 4;
    h->count = marker & 0x0F;
    h->payload = off + 1;
    // Integers, reals and dates keep their size exponent in the low nibble.
    if (h->count == 0x0F && h->type != 0x0 && h->type != 0x1 && h->type != 0x2 && h->type != 0x3) {
      std::uint8_t int_marker = 0;
      if (!r_.U8(off + 1, &int_marker) || (int_marker >> 4) != 0x1) return false;
      const int width = 1 << (int_marker & 0x0F);
      if (width > 8 || !r_.UInt(off + 2, width, &h->count)) return false;
      h->payload = off + 2 + static_cast<std::uint64_t>(width);
    }
    return true;
  }

  // The UTF-8 text of a string object (ASCII, UTF-16BE or bplist15-style UTF-8).
  bool ReadString(const Head& h, std::string* out) const {
    out->clear();
    if (h.type == 0x5 || h.type == 0x7) {
      auto bytes = r_.Slice(h.payload, h.count);
      if (!bytes) return false;
      if (h.type == 0x5) {
        AppendLatin1AsUtf8(*bytes, out);  // "ASCII" strings with stray high bytes
      } else {
        out->assign(*bytes);
      }
      return true;
    }
    if (h.type == 0x6) {
      if (h.count > r_.size() / 2) return false;
      auto bytes = r_.Slice(h.payload, h.count * 2);
      if (!bytes) return false;
      AppendUtf16AsUtf8(*bytes, /*big_endian=*/true, out);
      return true;
    }
    return false;
  }

  bool Ref(std::uint64_t at, std::uint64_t* out) const { return r_.UInt(at, ref_size_, out); }

  // Visits object `index` at `path`; returns false to stop the whole walk.
  bool Walk(std::uint64_t index, const std::string& path, int depth) {
    if (++visited_ > limits_.max_objects) {
      if (visited_ == limits_.max_objects + 1) {
        Problem(StatusCode::kLimitExceeded, "bplist: object visit limit reached");
      }
      return false;
    }
    Head h;
    if (!ReadHead(index, &h)) {
      Problem(StatusCode::kCorrupt, "bplist: bad object reference at " + Where(path));
      return true;
    }
    switch (h.type) {
      case 0x4: {
        auto bytes = r_.Slice(h.payload, h.count);
        if (!bytes) {
          Problem(StatusCode::kCorrupt, "bplist: data out of bounds at " + Where(path));
          return true;
        }
        return !cb_.on_data || cb_.on_data(path, *bytes);
      }
      case 0x5:
      case 0x6:
      case 0x7: {
        std::string text;
        if (!ReadString(h, &text)) {
          Problem(StatusCode::kCorrupt, "bplist: string out of bounds at " + Where(path));
          return true;
        }
        return !cb_.on_string || cb_.on_string(path, text, false);
      }
      case 0xA:
      case 0xB:
      case 0xC:
      case 0xD:
        return WalkContainer(index, h, path, depth);
      default:
        return true;  // null, bool, int, real, date, UID: nothing to scan
    }
  }

  bool WalkContainer(std::uint64_t index, const Head& h, const std::string& path, int depth) {
    if (on_path_[index]) {
      Problem(StatusCode::kCorrupt,
              "bplist: cyclic object reference at " + Where(path) + " (not followed)");
      return true;
    }
    if (expanded_[index]) return true;  // shared sub-tree, already reported once
    if (depth >= limits_.max_depth) {
      Problem(StatusCode::kLimitExceeded, "bplist: nesting deeper than " +
                                              std::to_string(limits_.max_depth) + " at " +
                                              Where(path));
      return true;
    }
    const bool is_dict = h.type == 0xD;
    const std::uint64_t refs = is_dict ? h.count * 2 : h.count;
    if (h.count > r_.size() || !r_.InBounds(h.payload, refs * ref_size_)) {
      Problem(StatusCode::kCorrupt, "bplist: container out of bounds at " + Where(path));
      return true;
    }
    expanded_[index] = true;
    on_path_[index] = true;
    bool go_on = true;
    for (std::uint64_t i = 0; i < h.count && go_on; ++i) {
      std::uint64_t value_ref = 0;
      if (!is_dict) {
        if (Ref(h.payload + i * ref_size_, &value_ref)) {
          go_on = Walk(value_ref, PlistJoinIndex(path, i), depth + 1);
        }
        continue;
      }
      std::uint64_t key_ref = 0;
      if (!Ref(h.payload + i * ref_size_, &key_ref) ||
          !Ref(h.payload + (h.count + i) * ref_size_, &value_ref)) {
        continue;
      }
      std::string key;
      Head kh;
      if (!ReadHead(key_ref, &kh) || !ReadString(kh, &key)) {
        Problem(StatusCode::kCorrupt, "bplist: non-string dict key at " + Where(path));
        key = "?";
      } else if (cb_.on_string) {
        go_on = cb_.on_string(PlistJoinKey(path, key), key, true);
      }
      if (go_on) go_on = Walk(value_ref, PlistJoinKey(path, key), depth + 1);
    }
    on_path_[index] = false;
    return go_on;
  }

  static std::string Where(const std::string& path) { return path.empty() ? "<root>" : path; }

  NativeByteReader r_;
  const PlistCallbacks& cb_;
  const PlistReadLimits& limits_;
  std::uint8_t ref_size_ = 0;
  int offset_size_ = 0;
  std::uint64_t num_objects_ = 0;
  std::uint64_t table_offset_ = 0;
  std::uint64_t visited_ = 0;
  std::vector<bool> expanded_;  // containers already walked (cycles and shared sub-trees)
  std::vector<bool> on_path_;   // containers on the current path (cycle detection)
};

}  // namespace

std::string PlistJoinKey(const std::string& parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  std::string out = parent;
  out += '.';
  out.append(key);
  return out;
}

std::string PlistJoinIndex(const std::string& parent, std::uint64_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

Status ReadBinaryPlist(std::string_view data, const PlistCallbacks& cb,
                       const PlistReadLimits& limits) {
  BplistWalker walker(data, cb, limits);
  return walker.Run();
}

}  // namespace leakproof::scanner::native
