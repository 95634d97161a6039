// The list of built-in extractors. Order matters only for cost: cheap magic checks first.
// To add a format: implement an Extractor in extract/<format>_extractor.{h,cc} and add
// its factory here.
#include "extract/archive/asar_extractor.h"
#include "extract/archive/brotli_extractor.h"
#include "extract/archive/crx_extractor.h"
#include "extract/archive/image_config_extractor.h"
#include "extract/archive/libarchive_extractor.h"
#include "extract/arsc_extractor.h"
#include "extract/assembly_store_extractor.h"
#include "extract/axml_extractor.h"
#include "extract/base64_extractor.h"
#include "extract/dex_extractor.h"
#include "extract/dotnet_extractor.h"
#include "extract/elf_extractor.h"
#include "extract/extractor.h"
#include "extract/hermes_extractor.h"
#include "extract/inline_sourcemap_extractor.h"
#include "extract/js_escape_extractor.h"
#include "extract/macho_extractor.h"
#include "extract/macho_fat_extractor.h"
#include "extract/plist_extractor.h"
#include "extract/sourcemap_extractor.h"
#include "extract/utf16_extractor.h"
#include "extract/xalz_extractor.h"
#include "extract/zip_extractor.h"

namespace leakproof::scanner {

const std::vector<std::unique_ptr<Extractor>>& BuiltinExtractors() {
  static const std::vector<std::unique_ptr<Extractor>> kExtractors = [] {
    std::vector<std::unique_ptr<Extractor>> v;
    // (extractors are registered here as they land)
    v.push_back(NewZipExtractor());
    // Other containers and compressed streams (archive/): magic checks, except brotli,
    // which has none and goes by the ".br" name.
    v.push_back(NewLibarchiveExtractor());
    v.push_back(NewCrxExtractor());
    v.push_back(NewAsarExtractor());
    v.push_back(NewBrotliExtractor());
    v.push_back(NewImageConfigExtractor());
    v.push_back(NewDexExtractor());
    v.push_back(NewAxmlExtractor());
    v.push_back(NewArscExtractor());
    v.push_back(NewBinaryPlistExtractor());
    v.push_back(NewXmlPlistExtractor());
    v.push_back(NewMachoFatExtractor());
    v.push_back(NewMachoExtractor());
    v.push_back(NewElfExtractor());
    v.push_back(NewHermesExtractor());
    // Decoders (sourcemap, .NET, base64, JS escapes, UTF-16): magic checks first, the
    // text and binary views last.
    v.push_back(NewXalzExtractor());
    v.push_back(NewAssemblyStoreExtractor());
    v.push_back(NewDotnetExtractor());
    v.push_back(NewSourceMapExtractor());
    v.push_back(NewInlineSourceMapExtractor());
    v.push_back(NewJsEscapeExtractor());
    v.push_back(NewBase64Extractor());
    v.push_back(NewUtf16Extractor());
    return v;
  }();
  return kExtractors;
}

}  // namespace leakproof::scanner
