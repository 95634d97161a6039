// ZipLocalMember: a zip member read from its local header, for when the central
// directory's entry cannot be trusted.
//
// libzip sizes a member by its central directory entry. An entry that understates the
// compressed size (which `unzip -t`, reading the local header, accepts) cut the member
// short, and its key vanished; one whose compressed size runs past the end of the
// archive made the member look larger than it is. When the entry disagrees with the
// member's local header, the member is read from the local header instead: a deflated
// one up to the end of its deflate stream, a stored one up to the next zip signature.
// PKWARE APPNOTE.TXT 4.3.7 (local file header).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <unordered_map>

namespace leakproof::scanner {

struct ZipLocalHeader {
  std::uint64_t data = 0;  // offset of the member's data in the archive
  std::uint16_t flags = 0;
  std::uint16_t method = 0;
  std::uint32_t crc = 0, comp = 0, size = 0;  // 0 when a data descriptor follows instead
  bool sizes_known() const { return (flags & 0x0008) == 0; }
};

// The local headers of an archive by member name (the first header of a name wins),
// found by hopping from one header to the next by its compressed size, and searching
// for the next signature only where a hop does not land on one. Built once per archive:
// a bomb asks for each of its members.
class ZipLocalIndex {
 public:
  ZipLocalIndex(std::string_view archive, std::uint64_t max_entries);
  std::optional<ZipLocalHeader> Find(std::string_view name) const;

 private:
  std::unordered_map<std::string_view, ZipLocalHeader> headers_;
};

// Bytes from `from` to the next zip signature (local header, central directory header,
// data descriptor, end record) or the end of the archive: where stored data must end.
std::uint64_t BytesToNextZipSignature(std::string_view archive, std::uint64_t from);

}  // namespace leakproof::scanner
