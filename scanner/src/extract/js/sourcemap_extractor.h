// SourceMapExtractor: the original sources inside a Source Map v3 (`*.js.map`).
//
// A map's `sourcesContent` holds every original file as a JSON string, comments and
// dead code included: a key that the minifier dropped from main.js is still in
// main.js.map. Each non-null entry becomes a child named by its (normalised) `sources`
// path, with line numbers, so a finding reads `main.js.map!src/api/client.ts:12`.
// `names` entries long enough to hold a key (16+ characters) become one segmented
// child. Index maps (`sections` with embedded `map` objects) are walked too.
//
// ReplacesParentScan() is false: a key may sit anywhere in the map (`file`,
// `sourceRoot`, vendor fields), so the raw map is scanned too; the scanner drops a raw
// finding whose key was already reported in a source child. Two parts of the raw map
// are left out of that scan: the `sourcesContent` arrays (their children cover them,
// unescaped) and a `mappings` string made only of VLQ characters (generated position
// data, a third of a typical map, which the pattern engine reads at half speed). A map
// that is not valid JSON is diagnosed; its raw bytes are then scanned in full.
//
// Detection is by content: '{' after optional whitespace, and `"version"` plus
// `"sources"` or `"sections"` in the first 4 KiB (esbuild writes `mappings` after the
// sources, so it need not appear early).
#pragma once

#include "extract/extractor.h"

#include <memory>
#include <string>
#include <string_view>

namespace leakproof::scanner {

// The content check used by CanExtract(); the other text decoders use it to stay off
// source maps, whose strings reach them through this extractor's children instead.
bool LooksLikeSourceMap(std::string_view bytes);

// `sources[i]` as a label: `sourceRoot` applied to relative paths, `webpack://` (and
// the leading '/') stripped, leading "./" and inner "/./" removed; "../" stays.
std::string NormalizeSourcePath(std::string_view source_root, std::string_view source);

class SourceMapExtractor : public Extractor {
 public:
  std::string_view name() const override { return "sourcemap"; }
  bool CanExtract(const Blob& blob) const override;
  bool ReplacesParentScan() const override { return false; }
  Status Extract(const Blob& blob, ExtractContext& ctx, const ChildSink& emit) const override;
};

std::unique_ptr<Extractor> NewSourceMapExtractor();

}  // namespace leakproof::scanner
