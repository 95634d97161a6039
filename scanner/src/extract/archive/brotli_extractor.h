// BrotliExtractor: precompressed web assets (main.js.br) decoded with libbrotli.
//
// Brotli has no magic bytes, so this is the one extractor chosen by name: a file or
// member whose name ends in ".br" (what Vite/Next.js/webpack compression plugins write
// beside main.js, and what a CDN serves for Content-Encoding: br). The child is the
// decoded text ("main.js.br[brotli]"). A ".br" file that does not decode is a warning
// and its raw bytes are scanned instead, never a silent skip. Limits as for every
// stream (stream_cap.h): a brotli bomb stops at the ratio.
#pragma once

#include "extract/extractor.h"

#include <memory>

namespace leakproof::scanner {

std::unique_ptr<Extractor> NewBrotliExtractor();

}  // namespace leakproof::scanner
