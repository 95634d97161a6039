// CrxExtractor: Chrome extensions (.crx): a "Cr24" header, then an ordinary zip.
//
// CRX2: "Cr24", version 2, public-key length, signature length, key, signature.
// CRX3: "Cr24", version 3, header length, a protobuf header (keys and proofs).
// The zip after the header is handed on as one child ("ext.crx[crx]"), which the zip
// extractor opens: "ext.crx[crx]!background.js". Firefox .xpi files are plain zips
// and need nothing here.
#pragma once

#include "extract/extractor.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace leakproof::scanner {

// Where the zip starts in a CRX file; on failure 0 and the reason in `why`.
std::uint64_t CrxZipOffset(std::string_view bytes, std::string& why);

std::unique_ptr<Extractor> NewCrxExtractor();

}  // namespace leakproof::scanner
