// Base64Extractor: decodes base64 runs in text blobs that decode to text or to a
// container, so a base64-wrapped .env, JSON config or zip inside a JS bundle is scanned.
//
// Why gated so hard: every JS bundle is full of base64 (inline images, fonts, wasm,
// hashes). Decoding all of it would cost time and emit binary noise, so a run is only
// decoded when (1) it is at least `min_run` (40) characters of one alphabet, (2) it mixes
// upper case, lower case and digits (identifiers, paths and hex hashes do not), (3) it
// is not the payload of a data:image/font/audio/video URI or of an inline source map
// (the inline-sourcemap extractor owns those), and (4) its first ~256 decoded bytes are
// text or a zip/bplist header. At most two base64 steps are nested in one provenance.
//
// Children: each decoded container, and each multi-line decoded text (a .env, a PEM,
// a JSON document: line numbers make sense), is its own child "[base64]" with
// detail "line N" of the parent; single-line texts are collected into one segmented
// child labelled by their line in the parent.
#pragma once

#include "extract/extractor.h"

#include <cstddef>
#include <memory>

namespace leakproof::scanner {

class Base64Extractor : public Extractor {
 public:
  struct Options {
    // Shortest run decoded. 40 characters = 30 bytes: a base64'd key or "user:key"
    // still qualifies, and it is what keeps the finder cheap — measured on 82 MB of
    // monaco-editor/three.js bundles, the run finder went from 2.2 GB/s (32) to
    // 2.6 GB/s (40) per CPU-second, and a minimum of 32 found twice as many runs to
    // classify. Default: 40.
    std::size_t min_run = 40;
    // Most runs decoded as their own child (the rest go into the segmented child).
    // Default: 256.
    std::size_t max_own_children = 256;
  };

  Base64Extractor() = default;
  explicit Base64Extractor(Options options) : options_(options) {}

  std::string_view name() const override { return "base64"; }
  bool CanExtract(const Blob& blob) const override;
  Status Extract(const Blob& blob, ExtractContext& ctx, const ChildSink& emit) const override;

  // Most base64 decoding steps allowed in one provenance chain.
  static constexpr int kMaxNesting = 2;

 private:
  Options options_;
};

std::unique_ptr<Extractor> NewBase64Extractor();

}  // namespace leakproof::scanner
