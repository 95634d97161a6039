// LibarchiveExtractor: compressed streams and the archive formats libarchive reads.
//
// Chosen by magic bytes, never by file name:
//   - compressed streams: gzip, bzip2, xz, lzip, lzop, zstd, lz4 (frame and legacy);
//   - archives: tar (ustar, GNU, pax; so npm .tgz and docker/OCI image tars), cpio,
//     ar (.deb, static libraries), rpm (cpio payload), 7z, cab, iso9660.
// One pass: libarchive's filters inflate the stream while its format reader walks the
// archive inside, so a .tar.gz is decompressed once, streaming, and only one member at
// a time is held in memory; the members of an uncompressed tar are views of the input
// (no copy at all). A stream that holds no archive (main.js.gz) becomes one
// child marked with the decoding step ("main.js.gz[gzip]"); archive members become
// children named by their path ("pkg.tgz!package/dist/index.js"), and a layer of an
// image tar is named by its digest ("image.tar!sha256:<hex>!app/server.js").
// In a docker save tar (manifest.json present) the layers are read after the other
// members, top layer first, so that a file a later layer deleted (a whiteout) is still
// scanned but marked "[only-in-image-history]" (see image_layers.h).
// Zip stays with ZipExtractor (libzip's central-directory handling).
//
// Limits as for zip members (see stream_cap.h): entries, per-member size, the stream's
// expansion ratio and the shared budget; each hit is a warning naming the member.
#pragma once

#include "extract/extractor.h"

#include <memory>
#include <string_view>

namespace leakproof::scanner {

std::unique_ptr<Extractor> NewLibarchiveExtractor();

// True when `bytes` start like a stream or archive NewLibarchiveExtractor() opens.
bool LooksLikeLibarchiveInput(std::string_view bytes);

}  // namespace leakproof::scanner
