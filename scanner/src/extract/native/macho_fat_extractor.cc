// Fat Mach-O slices; see macho_fat_extractor.h.
//
// Layout (<mach-o/fat.h>, all big-endian): u32 magic (0xCAFEBABE, or 0xCAFEBABF for
// 64-bit offsets), u32 nfat_arch, then nfat_arch entries: fat_arch {cputype,
// cpusubtype, u32 offset, u32 size, align} (20 bytes) or fat_arch_64 {cputype,
// cpusubtype, u64 offset, u64 size, align, reserved} (32 bytes).
#include "extract/native/macho_fat_extractor.h"

#include "extract/native/native_byte_reader.h"

#include <algorithm>
#include <string>
#include <vector>

namespace leakproof::scanner {
namespace {

constexpr std::uint32_t kFatMagic = 0xCAFEBABE;
constexpr std::uint32_t kFatMagic64 = 0xCAFEBABF;
constexpr std::uint32_t kMaxSlices = 16;

struct Slice {
  std::uint32_t cputype = 0;
  std::uint32_t cpusubtype = 0;
  std::uint64_t offset = 0;
  std::uint64_t size = 0;
};

bool LooksLikeSlice(std::string_view bytes) {
  if (bytes.substr(0, 8) == "!<arch>\n") return true;  // universal static library
  native::NativeByteReader r(bytes, /*big_endian=*/false);
  std::uint32_t magic = 0;
  if (!r.U32(0, &magic)) return false;
  return magic == 0xFEEDFACE || magic == 0xFEEDFACF || magic == 0xCEFAEDFE || magic == 0xCFFAEDFE;
}

// Parses and validates the fat header; false when this is not a sane fat file.
bool ParseFat(std::string_view bytes, std::vector<Slice>* slices) {
  native::NativeByteReader r(bytes, /*big_endian=*/true);
  std::uint32_t magic = 0;
  std::uint32_t count = 0;
  if (!r.U32(0, &magic) || (magic != kFatMagic && magic != kFatMagic64)) return false;
  if (!r.U32(4, &count) || count == 0 || count > kMaxSlices) return false;
  const bool wide = magic == kFatMagic64;
  const std::uint64_t entry_size = wide ? 32 : 20;
  const std::uint64_t table_end = 8 + count * entry_size;
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::uint64_t e = 8 + i * entry_size;
    Slice s;
    bool ok = r.U32(e, &s.cputype) && r.U32(e + 4, &s.cpusubtype);
    if (wide) {
      ok = ok && r.U64(e + 8, &s.offset) && r.U64(e + 16, &s.size);
    } else {
      std::uint32_t off = 0;
      std::uint32_t size = 0;
      ok = ok && r.U32(e + 8, &off) && r.U32(e + 12, &size);
      s.offset = off;
      s.size = size;
    }
    if (!ok || s.offset < table_end || !r.InBounds(s.offset, s.size)) return false;
    if (!LooksLikeSlice(bytes.substr(s.offset, s.size))) return false;
    slices->push_back(s);
  }
  return true;
}

std::string ArchName(std::uint32_t cputype, std::uint32_t cpusubtype) {
  const std::uint32_t sub = cpusubtype & 0x00FFFFFF;
  switch (cputype) {
    case 0x0100000C:
      return sub == 2 ? "arm64e" : "arm64";
    case 0x0200000C:
      return "arm64_32";
    case 0x01000007:
      return sub == 8 ? "x86_64h" : "x86_64";
    case 7:
      return "i386";
    case 12:
      if (sub == 9) return "armv7";
      if (sub == 11) return "armv7s";
      if (sub == 12) return "armv7k";
      if (sub == 6) return "armv6";
      return "arm";
    case 18:
      return "ppc";
    case 0x01000012:
      return "ppc64";
    default:
      return "cpu" + std::to_string(cputype);
  }
}

}  // namespace

bool MachoFatExtractor::CanExtract(const Blob& blob) const {
  std::vector<Slice> slices;
  return ParseFat(blob.bytes(), &slices);
}

Status MachoFatExtractor::Extract(const Blob& blob, ExtractContext& /*ctx*/,
                                  const ChildSink& emit) const {
  std::vector<Slice> slices;
  if (!ParseFat(blob.bytes(), &slices)) return Status::Corrupt("fat Mach-O: bad header");
  std::vector<std::string> used;
  for (const Slice& s : slices) {
    const std::string base = ArchName(s.cputype, s.cpusubtype);
    std::string name = base;
    for (int n = 2; std::find(used.begin(), used.end(), name) != used.end(); ++n) {
      name = base + "#" + std::to_string(n);
    }
    used.push_back(name);
    // Slices are views into the parent: nothing is decoded, so no budget is charged.
    Blob child = Blob::FromView(blob.bytes().substr(s.offset, s.size), blob.owner(),
                                blob.provenance().Child({name, "", false}));
    child.set_depth(blob.depth() + 1);
    if (!emit(std::move(child))) break;
  }
  return Status::Ok();
}

std::unique_ptr<Extractor> NewMachoFatExtractor() { return std::make_unique<MachoFatExtractor>(); }

}  // namespace leakproof::scanner
