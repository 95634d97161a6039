// Local-header walk and central-directory writer, see zip_recovery.h. Field layout:
// PKWARE APPNOTE.TXT 4.3.7 (local file header), 4.3.9 (data descriptor), 4.3.12
// (central directory header), 4.3.16 (end of central directory record).
#include "extract/archive/zip_recovery.h"

#include "extract/android/android_byte_reader.h"

#include <algorithm>

namespace leakproof::scanner {

namespace {

constexpr std::string_view kLocalSig("PK\x03\x04", 4);
constexpr std::string_view kDescriptorSig("PK\x07\x08", 4);
constexpr std::uint64_t kLocalHeaderBytes = 30;
constexpr std::uint16_t kFlagDataDescriptor = 0x0008;
constexpr std::uint64_t kMaxClassicEntries = 0xFFFF;
constexpr std::uint64_t kMaxClassicOffset = 0xFFFFFFFF;

void Put16(std::string& out, std::uint32_t v) {
  out += static_cast<char>(v & 0xFF);
  out += static_cast<char>((v >> 8) & 0xFF);
}
void Put32(std::string& out, std::uint32_t v) {
  Put16(out, v & 0xFFFF);
  Put16(out, v >> 16);
}

struct Member {
  std::uint64_t offset = 0;  // of the local header
  std::uint16_t flags = 0, method = 0, time = 0, date = 0;
  std::uint32_t crc = 0, comp = 0, size = 0;
  std::string_view name;
  std::uint64_t end = 0;  // first byte after the member's data (and descriptor)
};

// Finds a data descriptor "PK\7\8 crc csize usize" whose csize matches its distance
// from the data start: the only way to size a streamed member without inflating it.
bool FindDescriptor(const AndroidByteReader& r, std::uint64_t data, Member& m) {
  const std::string_view d = r.data();
  for (std::size_t at = d.find(kDescriptorSig, data); at != std::string_view::npos;
       at = d.find(kDescriptorSig, at + 1)) {
    auto crc = r.U32(at + 4), comp = r.U32(at + 8), size = r.U32(at + 12);
    if (!crc || !comp || !size) return false;
    if (*comp == at - data) {
      m.crc = *crc;
      m.comp = *comp;
      m.size = *size;
      m.end = at + 16;
      return true;
    }
  }
  return false;
}

// Reads the member whose local header is at `off`; false when it is not complete.
bool ReadLocal(const AndroidByteReader& r, std::uint64_t off, Member& m) {
  if (!r.Has(off, kLocalHeaderBytes) || r.data().substr(off, 4) != kLocalSig) return false;
  m.offset = off;
  m.flags = *r.U16(off + 6);
  m.method = *r.U16(off + 8);
  m.time = *r.U16(off + 10);
  m.date = *r.U16(off + 12);
  m.crc = *r.U32(off + 14);
  m.comp = *r.U32(off + 18);
  m.size = *r.U32(off + 22);
  const std::uint16_t name_len = *r.U16(off + 26);
  const std::uint16_t extra_len = *r.U16(off + 28);
  auto name = r.Bytes(off + kLocalHeaderBytes, name_len);
  if (!name) return false;
  m.name = *name;
  const std::uint64_t data = off + kLocalHeaderBytes + name_len + extra_len;
  if (m.flags & kFlagDataDescriptor) return FindDescriptor(r, data, m);
  if (!r.Has(data, m.comp)) return false;
  m.end = data + m.comp;
  return true;
}

void AppendCentralEntry(std::string& out, const Member& m) {
  Put32(out, 0x02014b50);
  Put16(out, 20);  // version made by
  Put16(out, 20);  // version needed
  Put16(out, m.flags);
  Put16(out, m.method);
  Put16(out, m.time);
  Put16(out, m.date);
  Put32(out, m.crc);
  Put32(out, m.comp);
  Put32(out, m.size);
  Put16(out, static_cast<std::uint32_t>(m.name.size()));
  Put16(out, 0);  // extra
  Put16(out, 0);  // comment
  Put16(out, 0);  // disk
  Put16(out, 0);  // internal attributes
  Put32(out, 0);  // external attributes
  Put32(out, static_cast<std::uint32_t>(m.offset));
  out.append(m.name);
}

}  // namespace

RecoveredZip RecoverZipDirectory(std::string_view archive, std::uint64_t max_entries) {
  AndroidByteReader r(archive);
  RecoveredZip out;
  const std::uint64_t limit = std::min(max_entries, kMaxClassicEntries);
  std::uint64_t off = 0;
  Member m;
  while (out.members < limit && off <= kMaxClassicOffset && ReadLocal(r, off, m)) {
    AppendCentralEntry(out.directory, m);
    ++out.members;
    off = m.end;
  }
  if (out.members == 0 || off > kMaxClassicOffset) return {};
  out.prefix_bytes = off;
  const auto dir_size = static_cast<std::uint32_t>(out.directory.size());
  Put32(out.directory, 0x06054b50);
  Put16(out.directory, 0);  // this disk
  Put16(out.directory, 0);  // directory disk
  Put16(out.directory, static_cast<std::uint32_t>(out.members));
  Put16(out.directory, static_cast<std::uint32_t>(out.members));
  Put32(out.directory, dir_size);
  Put32(out.directory, static_cast<std::uint32_t>(off));
  Put16(out.directory, 0);  // comment
  return out;
}

}  // namespace leakproof::scanner
