// FindZipLocalHeader and BytesToNextZipSignature, see zip_local_member.h.
#include "extract/archive/zip_local_member.h"

#include "extract/android/android_byte_reader.h"

#include <algorithm>

namespace leakproof::scanner {
namespace {

constexpr std::string_view kLocalSig("PK\x03\x04", 4);
constexpr std::uint64_t kLocalHeaderBytes = 30;

}  // namespace

ZipLocalIndex::ZipLocalIndex(std::string_view archive, std::uint64_t max_entries) {
  const AndroidByteReader r(archive);
  std::size_t at = archive.find(kLocalSig);
  std::uint64_t seen = 0;
  while (at != std::string_view::npos && seen++ < max_entries) {
    auto name_len = r.U16(at + 26), extra_len = r.U16(at + 28);
    auto name = name_len ? r.Bytes(at + kLocalHeaderBytes, *name_len) : std::nullopt;
    if (!extra_len || !name) break;
    ZipLocalHeader h;
    h.flags = *r.U16(at + 6);
    h.method = *r.U16(at + 8);
    h.crc = *r.U32(at + 14);
    h.comp = *r.U32(at + 18);
    h.size = *r.U32(at + 22);
    h.data = at + kLocalHeaderBytes + *name_len + *extra_len;
    if (h.data > archive.size()) break;
    headers_.emplace(*name, h);
    // Hop over the data when its size is known and lands on the next header.
    const std::uint64_t next = h.data + (h.sizes_known() ? h.comp : 0);
    if (h.sizes_known() && r.Bytes(next, 4) == kLocalSig) {
      at = static_cast<std::size_t>(next);
    } else {
      at = archive.find(kLocalSig, std::max<std::uint64_t>(at + 4, h.data));
    }
  }
}

std::optional<ZipLocalHeader> ZipLocalIndex::Find(std::string_view name) const {
  const auto it = headers_.find(name);
  if (it == headers_.end()) return std::nullopt;
  return it->second;
}

std::uint64_t BytesToNextZipSignature(std::string_view archive, std::uint64_t from) {
  std::uint64_t end = archive.size();
  for (std::string_view sig :
       {std::string_view("PK\x03\x04", 4), std::string_view("PK\x01\x02", 4),
        std::string_view("PK\x07\x08", 4), std::string_view("PK\x05\x06", 4)}) {
    const std::size_t at = archive.find(sig, from);
    if (at != std::string_view::npos) end = std::min<std::uint64_t>(end, at);
  }
  return from <= end ? end - from : 0;
}

}  // namespace leakproof::scanner
