// InlineSourceMapExtractor: decodes `//# sourceMappingURL=data:application/json;base64,...`
// (esbuild/webpack `--sourcemap=inline`) into a child blob "[sourcemap]", which the
// source map extractor then splits into the original sources.
//
// Why its own extractor: the base64 extractor skips this payload (it would otherwise
// decode the same map a second time), and the map is valuable — it holds the original
// sources with comments that the minified code lost. The search for the marker is a
// Boyer-Moore-Horspool scan with a 22-byte needle, so it reads a fraction of the bytes.
#pragma once

#include "extract/extractor.h"

#include <memory>

namespace leakproof::scanner {

class InlineSourceMapExtractor : public Extractor {
 public:
  std::string_view name() const override { return "inline-sourcemap"; }
  bool CanExtract(const Blob& blob) const override;
  Status Extract(const Blob& blob, ExtractContext& ctx, const ChildSink& emit) const override;
};

std::unique_ptr<Extractor> NewInlineSourceMapExtractor();

}  // namespace leakproof::scanner
