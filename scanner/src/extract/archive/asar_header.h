// The header of an Electron .asar archive, as @electron/asar writes it:
//
//   UInt32LE 4 | UInt32LE header_size | header pickle | file bytes ...
//   header pickle = UInt32LE payload_size | UInt32LE json_length | JSON | padding
//
// The JSON is a tree: {"files": {"dist": {"files": {"main.js": {"offset": "0",
// "size": 123}}}}}; "offset" is a decimal string (it may pass 2^53) counted from the
// end of the header pickle; "unpacked": true files live in app.asar.unpacked/ beside
// the archive; {"link": ...} entries are symlinks. Everything is untrusted: lengths are
// checked against the input, nesting and entry counts are bounded.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace leakproof::scanner {

struct AsarFile {
  std::string path;          // "dist/main.js"
  std::uint64_t offset = 0;  // absolute, in the .asar
  std::uint64_t size = 0;
  bool unpacked = false;  // stored in app.asar.unpacked/, not in the archive
};

struct AsarHeader {
  std::vector<AsarFile> files;        // in header order
  bool truncated = false;             // more than max_entries files; the rest are dropped
  std::vector<std::string> problems;  // entries skipped (bad offset, size, nesting)
};

// True when `bytes` start like an asar archive (cheap: sizes and the JSON's '{').
bool LooksLikeAsar(std::string_view bytes);

// Parses the header; false with the reason in `why` when there is no usable header.
bool ParseAsarHeader(std::string_view bytes, std::uint64_t max_entries, AsarHeader& out,
                     std::string& why);

}  // namespace leakproof::scanner
