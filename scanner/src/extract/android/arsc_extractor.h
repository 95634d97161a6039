// ArscExtractor: resources.arsc string values as one segmented child labelled
// "@<type>/<name>" (e.g. "@string/google_api_key"), each written "<name> = <value>" so
// rules that need the name (keyword-gated tokens) see what strings.xml said.
//
// google-services and strings.xml keys end up in the table's global value pool. The
// pool is usually UTF-8, so a raw scan would find the key, but not its name; and a
// UTF-16 pool would be missed altogether. Values no entry refers to are still emitted,
// unlabelled, so nothing in the pool goes unscanned.
#pragma once

#include "extract/extractor.h"

#include <memory>

namespace leakproof::scanner {

std::unique_ptr<Extractor> NewArscExtractor();

}  // namespace leakproof::scanner
