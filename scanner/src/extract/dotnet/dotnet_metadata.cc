// PE + metadata root walk, see dotnet_metadata.h. Offsets follow ECMA-335 II.25 (PE
// file format) and II.24.2 (metadata root and stream headers).
#include "extract/dotnet/dotnet_metadata.h"

#include <algorithm>
#include <cstring>

namespace leakproof::scanner::dotnet {

namespace {

constexpr std::uint32_t kCliDirectory = 14;  // IMAGE_DIRECTORY_ENTRY_COM_DESCRIPTOR
constexpr std::uint16_t kPe32 = 0x10B;
constexpr std::uint16_t kPe32Plus = 0x20B;
constexpr std::uint32_t kMaxSections = 96;  // the PE loader's own limit
constexpr std::uint32_t kMaxStreams = 32;   // real assemblies have 5

class Reader {
 public:
  explicit Reader(std::string_view b) : b_(b) {}
  bool Has(std::uint64_t off, std::uint64_t len) const {
    return off <= b_.size() && len <= b_.size() - off;
  }
  std::uint16_t U16(std::uint64_t off) const {
    const auto* p = reinterpret_cast<const unsigned char*>(b_.data() + off);
    return static_cast<std::uint16_t>(p[0] | (p[1] << 8));
  }
  std::uint32_t U32(std::uint64_t off) const {
    const auto* p = reinterpret_cast<const unsigned char*>(b_.data() + off);
    return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
           (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
  }
  std::string_view bytes() const { return b_; }

 private:
  std::string_view b_;
};

struct PeHeaders {
  std::uint64_t data_dirs = 0;  // file offset of the data directory array
  std::uint64_t sections = 0;   // file offset of the section table
  std::uint32_t section_count = 0;
  std::uint32_t cli_rva = 0;
};

// Reads the PE headers up to the CLI directory entry; false if anything is missing.
bool ReadPeHeaders(const Reader& r, PeHeaders& h) {
  if (!r.Has(0, 0x40) || r.bytes().substr(0, 2) != "MZ") return false;
  const std::uint64_t pe = r.U32(0x3C);
  if (!r.Has(pe, 24) || r.bytes().substr(pe, 4) != std::string_view("PE\0\0", 4)) return false;
  const std::uint64_t coff = pe + 4;
  h.section_count = std::min<std::uint32_t>(r.U16(coff + 2), kMaxSections);
  const std::uint64_t opt = coff + 20;
  const std::uint64_t opt_size = r.U16(coff + 16);
  if (!r.Has(opt, 2)) return false;
  const std::uint16_t magic = r.U16(opt);
  std::uint64_t count_at = 0;
  if (magic == kPe32) {
    count_at = opt + 92;
  } else if (magic == kPe32Plus) {
    count_at = opt + 108;
  } else {
    return false;
  }
  h.data_dirs = count_at + 4;
  if (!r.Has(count_at, 4) || r.U32(count_at) <= kCliDirectory) return false;
  const std::uint64_t cli_entry = h.data_dirs + 8ull * kCliDirectory;
  if (!r.Has(cli_entry, 8)) return false;
  h.cli_rva = r.U32(cli_entry);
  h.sections = opt + opt_size;
  return h.cli_rva != 0 && r.U32(cli_entry + 4) != 0;
}

// Maps an RVA to a file offset through the section table; false when unmapped.
bool RvaToOffset(const Reader& r, const PeHeaders& h, std::uint32_t rva, std::uint64_t& off) {
  for (std::uint32_t i = 0; i < h.section_count; ++i) {
    const std::uint64_t s = h.sections + 40ull * i;
    if (!r.Has(s, 40)) return false;
    const std::uint32_t vsize = r.U32(s + 8);
    const std::uint32_t va = r.U32(s + 12);
    const std::uint32_t raw_size = r.U32(s + 16);
    const std::uint32_t raw_ptr = r.U32(s + 20);
    const std::uint64_t extent = std::max(vsize, raw_size);
    if (rva >= va && rva - va < extent) {
      off = static_cast<std::uint64_t>(raw_ptr) + (rva - va);
      return off < r.bytes().size();
    }
  }
  return false;
}

}  // namespace

bool LooksLikeAssembly(std::string_view bytes) {
  PeHeaders h;
  return ReadPeHeaders(Reader(bytes), h);
}

Result<MetadataHeaps> LocateHeaps(std::string_view bytes) {
  const Reader r(bytes);
  PeHeaders h;
  if (!ReadPeHeaders(r, h)) return Status::Corrupt("not a PE image with a CLI header");
  std::uint64_t cli = 0;
  if (!RvaToOffset(r, h, h.cli_rva, cli) || !r.Has(cli, 16)) {
    return Status::Corrupt("CLI header outside the file");
  }
  std::uint64_t md = 0;
  const std::uint32_t md_size = r.U32(cli + 12);
  if (!RvaToOffset(r, h, r.U32(cli + 8), md) || !r.Has(md, 16)) {
    return Status::Corrupt("metadata root outside the file");
  }
  if (r.bytes().substr(md, 4) != "BSJB") return Status::Corrupt("metadata root lacks BSJB");
  // Clamp the metadata to the file: a lying size must not widen any later check.
  const std::uint64_t md_end = md + std::min<std::uint64_t>(md_size, bytes.size() - md);
  const std::uint64_t version_len = r.U32(md + 12);
  if (version_len > 256) return Status::Corrupt("metadata version string too long");
  const std::uint64_t flags_at = md + 16 + ((version_len + 3) & ~3ull);
  if (!r.Has(flags_at, 4) || flags_at + 4 > md_end)
    return Status::Corrupt("metadata root truncated");
  const std::uint32_t streams = std::min<std::uint32_t>(r.U16(flags_at + 2), kMaxStreams);
  MetadataHeaps heaps;
  std::uint64_t p = flags_at + 4;
  for (std::uint32_t i = 0; i < streams; ++i) {
    if (p + 8 > md_end) return Status::Corrupt("stream header truncated");
    const std::uint64_t offset = r.U32(p);
    const std::uint64_t size = r.U32(p + 4);
    p += 8;
    const std::string_view rest = bytes.substr(p, std::min<std::uint64_t>(32, md_end - p));
    const std::size_t nul = rest.find('\0');
    if (nul == std::string_view::npos) return Status::Corrupt("stream name not terminated");
    const std::string_view name = rest.substr(0, nul);
    p += (nul + 1 + 3) & ~std::size_t{3};
    if (offset > md_end - md || size > md_end - md - offset) {
      return Status::Corrupt("a metadata stream lies outside the metadata");
    }
    const std::string_view heap = bytes.substr(md + offset, size);
    if (name == "#US") {
      heaps.user_strings = heap;
      heaps.user_strings_offset = md + offset;
    } else if (name == "#Blob") {
      heaps.blobs = heap;
    }
  }
  return heaps;
}

}  // namespace leakproof::scanner::dotnet
