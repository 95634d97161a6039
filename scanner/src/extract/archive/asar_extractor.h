// AsarExtractor: Electron app.asar archives, one child per packed file
// ("app.asar!dist/main.js"), so a finding names the file inside the archive.
//
// Files are stored uncompressed, so each child is a view of the archive's bytes (no
// copy, no budget). Files marked "unpacked" live in app.asar.unpacked/ beside the
// archive, where the directory walk scans them as ordinary files. See asar_header.h.
#pragma once

#include "extract/extractor.h"

#include <memory>

namespace leakproof::scanner {

std::unique_ptr<Extractor> NewAsarExtractor();

}  // namespace leakproof::scanner
