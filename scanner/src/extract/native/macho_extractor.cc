// Thin Mach-O: encryption check and __ustring; see macho_extractor.h.
//
// Layout (<mach-o/loader.h>): mach_header{magic, cputype, cpusubtype, filetype, ncmds,
// sizeofcmds, flags} (+ reserved in the 64-bit header: 28 or 32 bytes), then ncmds
// load commands {cmd, cmdsize, ...}. LC_SEGMENT(_64) carries nsects section headers
// {sectname[16], segname[16], addr, size, offset, ...}; LC_ENCRYPTION_INFO(_64) carries
// {cryptoff, cryptsize, cryptid}. The byte order is the file's (CIGAM magics are
// big-endian files).
#include "extract/native/macho_extractor.h"

#include "extract/native/native_byte_reader.h"
#include "extract/native/native_utf16.h"

#include <cstdio>
#include <string>
#include <vector>

namespace leakproof::scanner {
namespace {

constexpr std::uint32_t kMagic32 = 0xFEEDFACE;
constexpr std::uint32_t kMagic64 = 0xFEEDFACF;
constexpr std::uint32_t kCigam32 = 0xCEFAEDFE;
constexpr std::uint32_t kCigam64 = 0xCFFAEDFE;
constexpr std::uint32_t kLcSegment = 0x1;
constexpr std::uint32_t kLcSegment64 = 0x19;
constexpr std::uint32_t kLcEncryptionInfo = 0x21;
constexpr std::uint32_t kLcEncryptionInfo64 = 0x2C;
constexpr std::uint32_t kMaxCommands = 1u << 16;

struct Range {
  std::uint64_t offset = 0;
  std::uint64_t size = 0;
};

struct MachoScan {
  std::vector<Range> ustrings;
  bool encrypted = false;
  Range encrypted_range;
};

bool ReadMagic(std::string_view bytes, bool* is64, bool* big_endian) {
  native::NativeByteReader r(bytes, false);
  std::uint32_t magic = 0;
  if (!r.U32(0, &magic)) return false;
  *is64 = magic == kMagic64 || magic == kCigam64;
  *big_endian = magic == kCigam32 || magic == kCigam64;
  return magic == kMagic32 || magic == kMagic64 || magic == kCigam32 || magic == kCigam64;
}

std::string_view FixedName(std::string_view sixteen) {
  const std::size_t nul = sixteen.find('\0');
  return nul == std::string_view::npos ? sixteen : sixteen.substr(0, nul);
}

bool IsZeroFill(std::uint32_t flags) {
  const std::uint32_t type = flags & 0xFF;
  return type == 0x1 || type == 0xC || type == 0x12;  // S_ZEROFILL, S_GB_, S_THREAD_LOCAL_
}

// Reads the sections of one LC_SEGMENT(_64) at `cmd`; false when it is malformed.
bool ReadSegment(const native::NativeByteReader& r, std::uint64_t cmd, std::uint32_t cmdsize,
                 bool is64, MachoScan* out) {
  const std::uint64_t seg_header = is64 ? 72 : 56;
  const std::uint64_t sect_size = is64 ? 80 : 68;
  std::uint32_t nsects = 0;
  if (cmdsize < seg_header || !r.U32(cmd + (is64 ? 64 : 48), &nsects)) return false;
  if (nsects > (cmdsize - seg_header) / sect_size) return false;
  for (std::uint32_t i = 0; i < nsects; ++i) {
    const std::uint64_t s = cmd + seg_header + i * sect_size;
    auto sectname = r.Slice(s, 16);
    std::uint64_t size = 0;
    std::uint32_t offset = 0;
    std::uint32_t flags = 0;
    const bool ok =
        is64 ? r.U64(s + 40, &size) && r.U32(s + 48, &offset) && r.U32(s + 64, &flags)
             : r.UInt(s + 36, 4, &size) && r.U32(s + 40, &offset) && r.U32(s + 56, &flags);
    if (!sectname || !ok) return false;
    if (FixedName(*sectname) != "__ustring" || IsZeroFill(flags) || offset == 0) continue;
    out->ustrings.push_back({offset, size});
  }
  return true;
}

Status ScanLoadCommands(std::string_view bytes, MachoScan* out) {
  bool is64 = false;
  bool big_endian = false;
  if (!ReadMagic(bytes, &is64, &big_endian)) return Status::Corrupt("Mach-O: bad magic");
  native::NativeByteReader r(bytes, big_endian);
  std::uint32_t ncmds = 0;
  if (!r.U32(16, &ncmds)) return Status::Corrupt("Mach-O: truncated header");
  if (ncmds > kMaxCommands) return Status::Corrupt("Mach-O: implausible load command count");
  std::uint64_t cmd = is64 ? 32 : 28;
  for (std::uint32_t i = 0; i < ncmds; ++i) {
    std::uint32_t type = 0;
    std::uint32_t cmdsize = 0;
    if (!r.U32(cmd, &type) || !r.U32(cmd + 4, &cmdsize) || cmdsize < 8 ||
        !r.InBounds(cmd, cmdsize)) {
      return Status::Corrupt("Mach-O: load command " + std::to_string(i) + " out of bounds");
    }
    if (type == kLcSegment || type == kLcSegment64) {
      if (!ReadSegment(r, cmd, cmdsize, type == kLcSegment64, out)) {
        return Status::Corrupt("Mach-O: malformed segment command " + std::to_string(i));
      }
    } else if (type == kLcEncryptionInfo || type == kLcEncryptionInfo64) {
      std::uint32_t off = 0;
      std::uint32_t size = 0;
      std::uint32_t id = 0;
      if (cmdsize < 20 || !r.U32(cmd + 8, &off) || !r.U32(cmd + 12, &size) ||
          !r.U32(cmd + 16, &id)) {
        return Status::Corrupt("Mach-O: malformed encryption info");
      }
      if (id != 0) {
        out->encrypted = true;
        out->encrypted_range = {off, size};
      }
    }
    cmd += cmdsize;
  }
  return Status::Ok();
}

bool Overlaps(const Range& a, const Range& b) {
  return a.offset < b.offset + b.size && b.offset < a.offset + a.size;
}

// Adds the NUL-terminated UTF-16 strings of one __ustring section, one segment each so
// no match spans two of them; false when the byte limit stops us.
bool AddUstrings(std::string_view bytes, bool big_endian, const Blob& blob, ExtractContext& ctx,
                 SegmentedBlobBuilder* strings) {
  const std::size_t n = bytes.size() & ~static_cast<std::size_t>(1);
  std::size_t start = 0;
  for (std::size_t i = 0; i <= n; i += 2) {
    const bool end = i == n || (bytes[i] == 0 && bytes[i + 1] == 0);
    if (!end) continue;
    if (i > start) {
      std::string utf8;
      native::AppendUtf16AsUtf8(bytes.substr(start, i - start), big_endian, &utf8);
      if (strings->size() + utf8.size() > ctx.limits().max_member_bytes ||
          !ctx.budget().Take(utf8.size() + 1)) {
        ctx.Diagnose(blob.provenance(), DiagnosticLevel::kWarning, StatusCode::kLimitExceeded,
                     "Mach-O: __ustring exceeds the byte limit; the rest was not scanned");
        return false;
      }
      char label[64];
      std::snprintf(label, sizeof label, "__TEXT,__ustring+0x%llx",
                    static_cast<unsigned long long>(start));
      strings->Add(utf8, label);
    }
    start = i + 2;
  }
  return true;
}

}  // namespace

bool MachoExtractor::CanExtract(const Blob& blob) const {
  bool is64 = false;
  bool big_endian = false;
  return ReadMagic(blob.bytes(), &is64, &big_endian) && blob.size() >= 28;
}

Status MachoExtractor::Extract(const Blob& blob, ExtractContext& ctx, const ChildSink& emit) const {
  MachoScan scan;
  Status status = ScanLoadCommands(blob.bytes(), &scan);
  if (scan.encrypted) {
    ctx.Diagnose(blob.provenance(), DiagnosticLevel::kWarning, StatusCode::kUnsupported,
                 "encrypted App Store binary: not scannable (decrypt it first)");
  }
  bool is64 = false;
  bool big_endian = false;
  ReadMagic(blob.bytes(), &is64, &big_endian);
  native::NativeByteReader r(blob.bytes(), big_endian);
  SegmentedBlobBuilder strings;
  for (const Range& sect : scan.ustrings) {
    auto bytes = r.Slice(sect.offset, sect.size);
    if (!bytes) {
      ctx.Diagnose(blob.provenance(), DiagnosticLevel::kWarning, StatusCode::kCorrupt,
                   "Mach-O: __ustring section out of bounds");
      continue;
    }
    if (scan.encrypted && Overlaps(sect, scan.encrypted_range)) continue;  // ciphertext
    if (!AddUstrings(*bytes, big_endian, blob, ctx, &strings)) break;
  }
  if (!strings.empty()) {
    Blob child = std::move(strings).Build(blob.provenance().Child({"utf-16le", "", true}));
    child.set_depth(blob.depth() + 1);
    emit(std::move(child));
  }
  return status;
}

std::unique_ptr<Extractor> NewMachoExtractor() { return std::make_unique<MachoExtractor>(); }

}  // namespace leakproof::scanner
