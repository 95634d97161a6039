// In-memory builders for native artifacts; see native_builders.h.
#include "support/native_builders.h"

namespace leakproof::native_testing {
namespace {

void PutLe(std::string* out, std::uint64_t v, int width) {
  for (int i = 0; i < width; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
void PutBe(std::string* out, std::uint64_t v, int width) {
  for (int i = width - 1; i >= 0; --i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
void PadTo(std::string* out, std::size_t align) {
  while (out->size() % align != 0) out->push_back('\0');
}
void PutName16(std::string* out, std::string_view name) {
  std::string n(name.substr(0, 16));
  n.resize(16, '\0');
  out->append(n);
}
void SetLe(std::string* out, std::size_t at, std::uint64_t v, int width) {
  for (int i = 0; i < width; ++i) (*out)[at + i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

// A bplist marker with its length (inline below 15, else a following int object).
std::string Head(std::uint8_t type, std::uint64_t n) {
  std::string h;
  if (n < 15) {
    h.push_back(static_cast<char>((type << 4) | n));
    return h;
  }
  h.push_back(static_cast<char>((type << 4) | 0xF));
  if (n < 256) {
    h.push_back('\x10');
    PutBe(&h, n, 1);
  } else if (n < 65536) {
    h.push_back('\x11');
    PutBe(&h, n, 2);
  } else {
    h.push_back('\x12');
    PutBe(&h, n, 4);
  }
  return h;
}

}  // namespace

std::u16string U16(std::string_view ascii) { return std::u16string(ascii.begin(), ascii.end()); }

std::string Utf16Le(std::u16string_view s) {
  std::string out;
  for (char16_t c : s) PutLe(&out, c, 2);
  return out;
}

int BplistBuilder::Ascii(std::string_view s) {
  objs_.push_back({Head(0x5, s.size()) + std::string(s), 0, {}});
  return static_cast<int>(objs_.size()) - 1;
}

int BplistBuilder::Utf16(std::u16string_view s) {
  std::string raw = Head(0x6, s.size());
  for (char16_t c : s) PutBe(&raw, c, 2);
  objs_.push_back({raw, 0, {}});
  return static_cast<int>(objs_.size()) - 1;
}

int BplistBuilder::Data(std::string_view bytes) {
  objs_.push_back({Head(0x4, bytes.size()) + std::string(bytes), 0, {}});
  return static_cast<int>(objs_.size()) - 1;
}

int BplistBuilder::Int(std::uint64_t v) {
  std::string raw = "\x13";
  PutBe(&raw, v, 8);
  objs_.push_back({raw, 0, {}});
  return static_cast<int>(objs_.size()) - 1;
}

int BplistBuilder::Array(std::vector<int> refs) {
  objs_.push_back({"", 0xA, std::move(refs)});
  return static_cast<int>(objs_.size()) - 1;
}

int BplistBuilder::Dict(std::vector<std::pair<int, int>> kv) {
  const int index = Reserve();
  SetDict(index, std::move(kv));
  return index;
}

int BplistBuilder::Reserve() {
  objs_.push_back({"\x00", 0, {}});
  return static_cast<int>(objs_.size()) - 1;
}

void BplistBuilder::SetArray(int index, std::vector<int> refs) {
  objs_[index] = {"", 0xA, std::move(refs)};
}

void BplistBuilder::SetDict(int index, std::vector<std::pair<int, int>> kv) {
  Obj o{"", 0xD, {}};
  for (const auto& p : kv) o.refs.push_back(p.first);
  for (const auto& p : kv) o.refs.push_back(p.second);
  objs_[index] = std::move(o);
}

std::string BplistBuilder::Build(int top) const {
  std::string out = "bplist00";
  std::vector<std::uint64_t> offsets;
  for (const Obj& o : objs_) {
    offsets.push_back(out.size());
    if (o.kind == 0) {
      out += o.raw;
      continue;
    }
    const std::size_t count = o.kind == 0xD ? o.refs.size() / 2 : o.refs.size();
    out += Head(o.kind, count);
    for (int r : o.refs) PutBe(&out, static_cast<std::uint64_t>(r), ref_size_);
  }
  const std::uint64_t table = out.size();
  const int offset_size = table < 256 ? 1 : table < 65536 ? 2 : 4;
  for (std::uint64_t off : offsets) PutBe(&out, off, offset_size);
  out.append(6, '\0');
  out.push_back(static_cast<char>(offset_size));
  out.push_back(static_cast<char>(ref_size_));
  PutBe(&out, objs_.size(), 8);
  PutBe(&out, static_cast<std::uint64_t>(top), 8);
  PutBe(&out, table, 8);
  return out;
}

std::string BuildMacho64(const std::vector<MachoSection>& sections,
                         std::optional<std::uint32_t> cryptid) {
  const std::uint32_t seg_size = 72 + 80 * static_cast<std::uint32_t>(sections.size());
  const std::uint32_t ncmds = cryptid ? 2 : 1;
  const std::uint32_t sizeofcmds = seg_size + (cryptid ? 24 : 0);
  std::uint64_t data_start = (32 + sizeofcmds + 15) / 16 * 16;
  std::vector<std::uint64_t> offsets;
  std::uint64_t pos = data_start;
  for (const auto& s : sections) {
    offsets.push_back(pos);
    pos += s.contents.size();
  }
  std::string out;
  PutLe(&out, 0xFEEDFACF, 4);
  PutLe(&out, 0x0100000C, 4);  // arm64
  PutLe(&out, 0, 4);
  PutLe(&out, 2, 4);  // MH_EXECUTE
  PutLe(&out, ncmds, 4);
  PutLe(&out, sizeofcmds, 4);
  PutLe(&out, 0, 4);
  PutLe(&out, 0, 4);
  PutLe(&out, 0x19, 4);  // LC_SEGMENT_64
  PutLe(&out, seg_size, 4);
  PutName16(&out, "__TEXT");
  PutLe(&out, 0, 8);
  PutLe(&out, pos, 8);
  PutLe(&out, 0, 8);
  PutLe(&out, pos, 8);
  PutLe(&out, 5, 4);
  PutLe(&out, 5, 4);
  PutLe(&out, sections.size(), 4);
  PutLe(&out, 0, 4);
  for (std::size_t i = 0; i < sections.size(); ++i) {
    PutName16(&out, sections[i].sectname);
    PutName16(&out, sections[i].segname);
    PutLe(&out, offsets[i], 8);
    PutLe(&out, sections[i].contents.size(), 8);
    PutLe(&out, offsets[i], 4);
    out.append(7 * 4, '\0');  // align, reloff, nreloc, flags, reserved1-3
  }
  if (cryptid) {
    PutLe(&out, 0x2C, 4);  // LC_ENCRYPTION_INFO_64
    PutLe(&out, 24, 4);
    PutLe(&out, data_start, 4);
    PutLe(&out, pos - data_start, 4);
    PutLe(&out, *cryptid, 4);
    PutLe(&out, 0, 4);
  }
  out.resize(data_start, '\0');
  for (const auto& s : sections) out += s.contents;
  return out;
}

std::string BuildFatMacho(const std::vector<FatSlice>& slices) {
  std::string out;
  PutBe(&out, 0xCAFEBABE, 4);
  PutBe(&out, slices.size(), 4);
  std::uint64_t pos = (8 + 20 * slices.size() + 15) / 16 * 16;
  std::vector<std::uint64_t> offsets;
  for (const auto& s : slices) {
    offsets.push_back(pos);
    pos = (pos + s.bytes.size() + 15) / 16 * 16;
  }
  for (std::size_t i = 0; i < slices.size(); ++i) {
    PutBe(&out, slices[i].cputype, 4);
    PutBe(&out, slices[i].cpusubtype, 4);
    PutBe(&out, offsets[i], 4);
    PutBe(&out, slices[i].bytes.size(), 4);
    PutBe(&out, 4, 4);
  }
  for (std::size_t i = 0; i < slices.size(); ++i) {
    out.resize(offsets[i], '\0');
    out += slices[i].bytes;
  }
  return out;
}

std::string BuildElf64(const std::string& rodata, const std::vector<ElfSymbol>& symbols) {
  constexpr std::uint64_t kBaseAddr = 0x10000;
  std::string out(64, '\0');
  PadTo(&out, 16);
  const std::uint64_t rodata_off = out.size();
  out += rodata;
  const std::uint64_t dynstr_off = out.size();
  std::string dynstr(1, '\0');
  std::vector<std::uint32_t> names;
  for (const auto& s : symbols) {
    names.push_back(static_cast<std::uint32_t>(dynstr.size()));
    dynstr += s.name;
    dynstr.push_back('\0');
  }
  out += dynstr;
  PadTo(&out, 8);
  const std::uint64_t dynsym_off = out.size();
  out.append(24, '\0');  // the null symbol
  for (std::size_t i = 0; i < symbols.size(); ++i) {
    PutLe(&out, names[i], 4);
    out.push_back('\x11');  // STB_GLOBAL, STT_OBJECT
    out.push_back('\0');
    PutLe(&out, 1, 2);  // .rodata
    PutLe(&out, kBaseAddr + rodata_off + symbols[i].rodata_offset, 8);
    PutLe(&out, symbols[i].size, 8);
  }
  const std::uint64_t dynsym_size = out.size() - dynsym_off;
  const std::string shstr = std::string("\0.rodata\0.dynstr\0.dynsym\0.shstrtab\0", 35);
  const std::uint64_t shstr_off = out.size();
  out += shstr;
  PadTo(&out, 8);
  const std::uint64_t shoff = out.size();
  struct Sh {
    std::uint32_t name, type;
    std::uint64_t flags, addr, offset, size;
    std::uint32_t link, info;
    std::uint64_t entsize;
  };
  const Sh shs[] = {
      {0, 0, 0, 0, 0, 0, 0, 0, 0},
      {1, 1, 2, kBaseAddr + rodata_off, rodata_off, rodata.size(), 0, 0, 0},
      {9, 3, 2, kBaseAddr + dynstr_off, dynstr_off, dynstr.size(), 0, 0, 0},
      {17, 11, 2, kBaseAddr + dynsym_off, dynsym_off, dynsym_size, 2, 1, 24},
      {25, 3, 0, 0, shstr_off, shstr.size(), 0, 0, 0},
  };
  for (const Sh& s : shs) {
    PutLe(&out, s.name, 4);
    PutLe(&out, s.type, 4);
    PutLe(&out, s.flags, 8);
    PutLe(&out, s.addr, 8);
    PutLe(&out, s.offset, 8);
    PutLe(&out, s.size, 8);
    PutLe(&out, s.link, 4);
    PutLe(&out, s.info, 4);
    PutLe(&out, 1, 8);
    PutLe(&out, s.entsize, 8);
  }
  const char ident[] = {0x7f, 'E', 'L', 'F', 2, 1, 1};
  out.replace(0, sizeof ident, ident, sizeof ident);
  SetLe(&out, 16, 3, 2);    // ET_DYN
  SetLe(&out, 18, 183, 2);  // EM_AARCH64
  SetLe(&out, 20, 1, 4);
  SetLe(&out, 40, shoff, 8);
  SetLe(&out, 52, 64, 2);
  SetLe(&out, 54, 56, 2);
  SetLe(&out, 58, 64, 2);
  SetLe(&out, 60, 5, 2);
  SetLe(&out, 62, 4, 2);
  return out;
}

std::string BuildHermes(std::uint32_t version, std::uint32_t functions,
                        const std::vector<HermesString>& strings) {
  std::string storage;
  std::string small;
  std::string overflow;
  std::uint32_t overflow_count = 0;
  for (const auto& s : strings) {
    if (s.utf16) PadTo(&storage, 2);
    const std::uint64_t offset = storage.size();
    if (s.utf16) {
      storage += Utf16Le(s.text);
    } else {
      for (char16_t c : s.text) storage.push_back(static_cast<char>(c));
    }
    std::uint32_t entry = s.utf16 ? 1 : 0;
    if (s.text.size() < 255 && offset < (1u << 23)) {
      entry |= static_cast<std::uint32_t>(offset) << 1;
      entry |= static_cast<std::uint32_t>(s.text.size()) << 24;
    } else {
      entry |= overflow_count++ << 1;
      entry |= 0xFFu << 24;
      PutLe(&overflow, offset, 4);
      PutLe(&overflow, s.text.size(), 4);
    }
    PutLe(&small, entry, 4);
  }
  std::string out;
  PutLe(&out, 0x1F1903C103BC1FC6ull, 8);
  PutLe(&out, version, 4);
  out.append(20, '\0');
  PutLe(&out, 0, 4);  // fileLength, patched below
  PutLe(&out, 0, 4);
  PutLe(&out, functions, 4);
  PutLe(&out, 1, 4);  // one string-kind run
  PutLe(&out, 0, 4);
  PutLe(&out, strings.size(), 4);
  PutLe(&out, overflow_count, 4);
  PutLe(&out, storage.size(), 4);
  out.resize(128, '\0');
  out.append(static_cast<std::size_t>(functions) * (version >= 97 ? 12 : 16), '\0');
  PadTo(&out, 4);
  PutLe(&out, strings.size(), 4);  // kind run: count | String << 31
  out += small;
  PadTo(&out, 4);
  out += overflow;
  PadTo(&out, 4);
  out += storage;
  PadTo(&out, 4);
  out.append(20, '\0');  // footer hash
  SetLe(&out, 32, out.size(), 4);
  return out;
}

}  // namespace leakproof::native_testing
