// ELF: find the Dart snapshot symbols and emit UTF-16LE text runs; see elf_extractor.h.
//
// Layout (System V ABI, <elf.h>): e_ident {7f 'E' 'L' 'F', class 1=32/2=64, data
// 1=LE/2=BE}; the header gives the section header table (e_shoff, e_shentsize,
// e_shnum) and program headers (e_phoff, e_phentsize, e_phnum). SHT_DYNSYM (11) holds
// Elf32_Sym/Elf64_Sym entries whose names live in the section named by sh_link.
// A symbol's value is a virtual address, mapped to a file offset through its section
// (or, failing that, through a PT_LOAD segment).
#include "extract/native/elf_extractor.h"

#include "extract/native/native_byte_reader.h"
#include "extract/native/native_utf16.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

namespace leakproof::scanner {
namespace {

constexpr std::uint32_t kShtSymtab = 2;
constexpr std::uint32_t kShtNobits = 8;
constexpr std::uint32_t kShtDynsym = 11;
constexpr std::uint32_t kPtLoad = 1;
constexpr std::uint64_t kMaxSymbols = 1u << 20;
constexpr std::size_t kMinAsciiRun = 8;
constexpr std::string_view kSnapshotSymbols[] = {"_kDartIsolateSnapshotData",
                                                 "_kDartVmSnapshotData"};

struct Section {
  std::uint32_t type = 0;
  std::uint64_t addr = 0;
  std::uint64_t offset = 0;
  std::uint64_t size = 0;
  std::uint32_t link = 0;
  std::uint64_t entsize = 0;
};

struct Region {
  std::string symbol;
  std::uint64_t offset = 0;
  std::uint64_t size = 0;
};

class ElfReader {
 public:
  explicit ElfReader(std::string_view bytes)
      : r_(bytes, bytes.size() > 5 && bytes[5] == 2), is64_(bytes.size() > 4 && bytes[4] == 2) {}

  Status Load() {
    std::uint64_t shoff = 0;
    std::uint16_t shentsize = 0;
    std::uint16_t shnum = 0;
    const bool ok =
        is64_ ? r_.U64(40, &shoff) && r_.U16(58, &shentsize) && r_.U16(60, &shnum) &&
                    r_.U64(32, &phoff_) && r_.U16(54, &phentsize_) && r_.U16(56, &phnum_)
              : r_.UInt(32, 4, &shoff) && r_.U16(46, &shentsize) && r_.U16(48, &shnum) &&
                    r_.UInt(28, 4, &phoff_) && r_.U16(42, &phentsize_) && r_.U16(44, &phnum_);
    if (!ok) return Status::Corrupt("ELF: truncated header");
    if (shnum == 0) return Status::Ok();  // stripped section table: nothing to look up
    if (shentsize < (is64_ ? 64 : 40) || !r_.InBounds(shoff, std::uint64_t{shnum} * shentsize)) {
      return Status::Corrupt("ELF: section header table out of bounds");
    }
    for (std::uint16_t i = 0; i < shnum; ++i) {
      const std::uint64_t s = shoff + std::uint64_t{i} * shentsize;
      Section sec;
      const bool read = is64_ ? r_.U32(s + 4, &sec.type) && r_.U64(s + 16, &sec.addr) &&
                                    r_.U64(s + 24, &sec.offset) && r_.U64(s + 32, &sec.size) &&
                                    r_.U32(s + 40, &sec.link) && r_.U64(s + 56, &sec.entsize)
                              : r_.U32(s + 4, &sec.type) && r_.UInt(s + 12, 4, &sec.addr) &&
                                    r_.UInt(s + 16, 4, &sec.offset) &&
                                    r_.UInt(s + 20, 4, &sec.size) && r_.U32(s + 24, &sec.link) &&
                                    r_.UInt(s + 36, 4, &sec.entsize);
      if (!read) return Status::Corrupt("ELF: unreadable section header");
      sections_.push_back(sec);
    }
    return Status::Ok();
  }

  // The snapshot data regions named by .dynsym (or .symtab), mapped to file ranges.
  std::vector<Region> SnapshotRegions() const {
    std::vector<Region> out;
    for (const Section& symtab : sections_) {
      if (symtab.type != kShtDynsym && symtab.type != kShtSymtab) continue;
      if (symtab.link >= sections_.size()) continue;
      const Section& strtab = sections_[symtab.link];
      const std::uint64_t entsize = is64_ ? 24 : 16;
      if (!r_.InBounds(symtab.offset, symtab.size)) continue;
      const std::uint64_t count = std::min(symtab.size / entsize, kMaxSymbols);
      for (std::uint64_t i = 0; i < count; ++i) {
        const std::uint64_t e = symtab.offset + i * entsize;
        std::uint32_t name = 0;
        std::uint64_t value = 0;
        std::uint64_t size = 0;
        std::uint16_t shndx = 0;
        const bool ok = is64_ ? r_.U32(e, &name) && r_.U16(e + 6, &shndx) &&
                                    r_.U64(e + 8, &value) && r_.U64(e + 16, &size)
                              : r_.U32(e, &name) && r_.UInt(e + 4, 4, &value) &&
                                    r_.UInt(e + 8, 4, &size) && r_.U16(e + 14, &shndx);
        if (!ok) break;
        const std::string_view symbol = SymbolName(strtab, name);
        for (std::string_view wanted : kSnapshotSymbols) {
          if (symbol != wanted) continue;
          Region region{std::string(symbol), 0, 0};
          if (MapAddress(value, size, shndx, &region)) out.push_back(std::move(region));
        }
      }
      if (!out.empty()) break;  // .dynsym answered; .symtab would repeat it
    }
    return out;
  }

  std::string_view bytes() const { return r_.data(); }

 private:
  std::string_view SymbolName(const Section& strtab, std::uint32_t name) const {
    if (name >= strtab.size || !r_.InBounds(strtab.offset, strtab.size)) return {};
    const std::string_view table = r_.data().substr(strtab.offset, strtab.size);
    const std::size_t end = table.find('\0', name);
    return table.substr(name, end == std::string_view::npos ? table.size() - name : end - name);
  }

  // Maps [value, value + size) to file bytes via its section, else via a PT_LOAD
  // segment. A zero or oversized size runs to the end of the containing range.
  bool MapAddress(std::uint64_t value, std::uint64_t size, std::uint16_t shndx, Region* out) const {
    std::uint64_t base_addr = 0;
    std::uint64_t base_off = 0;
    std::uint64_t limit = 0;
    bool found = false;
    if (shndx < sections_.size() && sections_[shndx].type != kShtNobits) {
      const Section& s = sections_[shndx];
      if (value >= s.addr && value - s.addr < s.size) {
        base_addr = s.addr;
        base_off = s.offset;
        limit = s.size;
        found = true;
      }
    }
    for (std::uint16_t i = 0; !found && i < phnum_ && phentsize_ >= (is64_ ? 56 : 32); ++i) {
      const std::uint64_t p = phoff_ + std::uint64_t{i} * phentsize_;
      std::uint32_t type = 0;
      std::uint64_t off = 0;
      std::uint64_t vaddr = 0;
      std::uint64_t filesz = 0;
      const bool ok = is64_ ? r_.U32(p, &type) && r_.U64(p + 8, &off) && r_.U64(p + 16, &vaddr) &&
                                  r_.U64(p + 32, &filesz)
                            : r_.U32(p, &type) && r_.UInt(p + 4, 4, &off) &&
                                  r_.UInt(p + 8, 4, &vaddr) && r_.UInt(p + 16, 4, &filesz);
      if (!ok) break;
      if (type == kPtLoad && value >= vaddr && value - vaddr < filesz) {
        base_addr = vaddr;
        base_off = off;
        limit = filesz;
        found = true;
      }
    }
    if (!found) return false;
    const std::uint64_t rel = value - base_addr;
    if (base_off > r_.size() || rel > r_.size() - base_off) return false;
    out->offset = base_off + rel;
    std::uint64_t avail = std::min(limit - rel, r_.size() - out->offset);
    out->size = (size == 0 || size > avail) ? avail : size;
    return true;
  }

  native::NativeByteReader r_;
  bool is64_;
  std::uint64_t phoff_ = 0;
  std::uint16_t phentsize_ = 0;
  std::uint16_t phnum_ = 0;
  std::vector<Section> sections_;
};

}  // namespace

bool ElfExtractor::CanExtract(const Blob& blob) const {
  const std::string_view b = blob.bytes();
  return b.size() >= 52 &&
         b.substr(0, 4) ==
             "\x7f"
             "ELF" &&
         (b[4] == 1 || b[4] == 2) && (b[5] == 1 || b[5] == 2);
}

Status ElfExtractor::Extract(const Blob& blob, ExtractContext& ctx, const ChildSink& emit) const {
  ElfReader elf(blob.bytes());
  if (Status s = elf.Load(); !s.ok()) return s;
  const std::vector<Region> regions = elf.SnapshotRegions();
  if (regions.empty()) return Status::Ok();  // not Flutter: the raw scan is enough
  SegmentedBlobBuilder runs;
  bool limited = false;
  for (const Region& region : regions) {
    const std::string_view data = blob.bytes().substr(region.offset, region.size);
    native::ForEachUtf16LeTextRun(data, kMinAsciiRun, [&](std::size_t at, std::string utf8) {
      if (runs.size() + utf8.size() > ctx.limits().max_member_bytes ||
          !ctx.budget().Take(utf8.size() + 1)) {
        limited = true;
        return false;
      }
      char label[96];
      std::snprintf(label, sizeof label, "%s+0x%llx", region.symbol.c_str(),
                    static_cast<unsigned long long>(at));
      runs.Add(utf8, label);
      return true;
    });
    if (limited) break;
  }
  if (limited) {
    ctx.Diagnose(blob.provenance(), DiagnosticLevel::kWarning, StatusCode::kLimitExceeded,
                 "Dart snapshot UTF-16 strings exceed the byte limit; the rest were not scanned");
  }
  if (!runs.empty()) {
    Blob child = std::move(runs).Build(blob.provenance().Child({"utf-16le", "", true}));
    child.set_depth(blob.depth() + 1);
    emit(std::move(child));
  }
  return Status::Ok();
}

std::unique_ptr<Extractor> NewElfExtractor() { return std::make_unique<ElfExtractor>(); }

}  // namespace leakproof::scanner
