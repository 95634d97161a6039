// ZipRecovery: a replacement central directory for a zip whose end is missing.
//
// libzip opens an archive through its central directory, which sits at the very end.
// A truncated download or a partly copied APK therefore fails to open although most
// members are intact. Walking the local file headers from the front and writing a
// fresh central directory for every member whose data is complete lets libzip read
// those members (CRCs are still checked); the rest is reported as lost.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace leakproof::scanner {

struct RecoveredZip {
  std::uint64_t prefix_bytes = 0;  // bytes of the original archive the directory covers
  std::string directory;           // central directory + end record, to append
  std::uint64_t members = 0;       // members described by `directory`
};

// Scans local headers in `archive` (at most `max_entries`, and never more than a
// classic, non-ZIP64 directory can hold). members == 0 when nothing was complete.
RecoveredZip RecoverZipDirectory(std::string_view archive, std::uint64_t max_entries);

}  // namespace leakproof::scanner
