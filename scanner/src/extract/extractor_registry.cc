// The list of built-in extractors. Order matters only for cost: cheap magic checks first.
// To add a format: implement an Extractor in extract/<format>_extractor.{h,cc} and add
// its factory here.
#include "extract/android/arsc_extractor.h"
#include "extract/android/axml_extractor.h"
#include "extract/android/dex_extractor.h"
#include "extract/apple/plist_extractor.h"
#include "extract/archive/asar_extractor.h"
#include "extract/archive/brotli_extractor.h"
#include "extract/archive/crx_extractor.h"
#include "extract/archive/image_config_extractor.h"
#include "extract/archive/libarchive_extractor.h"
#include "extract/archive/zip_extractor.h"
#include "extract/dotnet/assembly_store_extractor.h"
#include "extract/dotnet/dotnet_extractor.h"
#include "extract/dotnet/xalz_extractor.h"
#include "extract/extractor.h"
#include "extract/js/hermes_extractor.h"
#include "extract/js/inline_sourcemap_extractor.h"
#include "extract/js/js_escape_extractor.h"
#include "extract/js/sourcemap_extractor.h"
#include "extract/keystore/keystore_extractor.h"
#include "extract/native/elf_extractor.h"
#include "extract/native/macho_extractor.h"
#include "extract/native/macho_fat_extractor.h"
#include "extract/text/base64_extractor.h"
#include "extract/text/utf16_extractor.h"

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
    // Keystores (JKS/JCEKS/PKCS#12/BKS): magic checks; tried before anything that could
    // read a keystore's DER as text.
    v.push_back(NewKeystoreExtractor());
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
