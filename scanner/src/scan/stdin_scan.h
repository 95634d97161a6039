// Scanning stdin as a stream: memory stays flat whatever the size of the stream.
//
// A file is mmapped and scanned in place; stdin cannot be, and buffering it whole let
// 3 GB of zeros reach 4.2 GB of RSS. So stdin is read in windows of kStdinWindowBytes,
// each scanned (extractors included) as the input "-", and each window starts with the
// last Engine::max_span() bytes of the one before: the same overlap Engine::Match uses
// between its own chunks, so a key straddling a window boundary lies wholly inside the
// next window. Offsets, lines and columns are carried across windows, and a key found
// again in the overlap is reported once.
//
// A container format (zip, DEX, arsc, ...: an extractor that replaces the raw scan)
// cannot be parsed a window at a time: a stream that starts like one is buffered whole
// up to kStdinArchiveBytes; past that, the part held is scanned and a warning says the
// rest was not.
#pragma once

#include "scan/blob_scanner.h"
#include "scan/input_reader.h"

#include <cstdint>

namespace leakproof::scanner {

inline constexpr std::uint64_t kStdinWindowBytes = 32ull << 20;
inline constexpr std::uint64_t kStdinArchiveBytes = 128ull << 20;

// Scans stdin into `out` on `scanner`; returns the bytes read. `window` (tests shrink
// it) is clamped to at least twice the overlap.
std::uint64_t ScanStdinStream(BlobScanner& scanner, const Engine& engine,
                              const ScanOptions& options, FileResult& out,
                              std::uint64_t window = kStdinWindowBytes, int fd = 0);

}  // namespace leakproof::scanner
