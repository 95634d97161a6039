// DexExtractor: the string table of a Dalvik executable (classes*.dex) as one
// segmented child.
//
// Every string constant of an Android app's code (const-string operands, static final
// initial values, field and class names) is one entry of string_ids. Scanning them one
// by one gives clean boundaries (the ULEB128 length byte before each string is often
// printable and would otherwise glue onto a key) and decodes MUTF-8 to UTF-8.
#pragma once

#include "extract/extractor.h"

#include <memory>

namespace leakproof::scanner {

std::unique_ptr<Extractor> NewDexExtractor();

}  // namespace leakproof::scanner
