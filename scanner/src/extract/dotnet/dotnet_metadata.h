// Locating the ECMA-335 metadata heaps of a .NET assembly (PE image).
//
// Path: DOS header e_lfanew -> "PE\0\0" -> optional header data directory 14 (the CLI
// header) -> its MetaData RVA -> metadata root "BSJB" -> stream headers (#~, #Strings,
// #US, #GUID, #Blob). RVAs are mapped to file offsets through the section table. Every
// offset is bounds-checked against the file; nothing here trusts the input.
#pragma once

#include "leakproof/scanner/status.h"

#include <cstdint>
#include <string_view>

namespace leakproof::scanner::dotnet {

struct MetadataHeaps {
  std::string_view user_strings;          // #US: empty when the stream is absent
  std::string_view blobs;                 // #Blob
  std::uint64_t user_strings_offset = 0;  // file offset of #US (for labels)
};

// True when `bytes` is a PE image with a non-empty CLI header directory (cheap: reads
// only the headers, no RVA mapping).
bool LooksLikeAssembly(std::string_view bytes);

// Finds the heaps; kCorrupt with a reason when any structure is out of bounds.
Result<MetadataHeaps> LocateHeaps(std::string_view bytes);

}  // namespace leakproof::scanner::dotnet
