// JsEscapeExtractor: unescapes JS/JSON string literals that hide keys behind escapes,
// e.g. "https:\/\/hooks.slack.com\/services\/T..." or "\u0073k_live_..." or "\x41IzaSy...".
//
// Only bytes near a backslash are looked at (memchr from one '\' to the next), so a
// bundle without escapes costs one memchr pass. For each backslash the literal around
// it is found (back to the nearest unescaped quote on the same line, never further back
// than the previous literal) and decoded: \/ \" \' \\ \n \t \r \b \f \v \0, \xHH,
// \uHHHH (surrogate pairs joined), \u{H...}, line continuations.
//
// Cost control for bundles full of "\n" and "\"" (webpack eval builds, JSON in JS): a
// literal is kept only when it holds `\/`, or when it is at least 16 characters and
// holds an escape other than \n \t \r \" \' \\ — plain newline escapes never hide a key
// from the matcher. Kept literals form one segmented child "[js-unescape]" labelled
// "line N" of the parent. Escapes nested twice (eval("...\\u0041...")) are undone by
// a second pass over the child; a third is not run.
#pragma once

#include "extract/extractor.h"

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace leakproof::scanner {

class JsEscapeExtractor : public Extractor {
 public:
  std::string_view name() const override { return "js-escape"; }
  bool CanExtract(const Blob& blob) const override;
  bool ChildIsTextView() const override { return true; }
  Status Extract(const Blob& blob, ExtractContext& ctx, const ChildSink& emit) const override;

  // Most js-unescape steps in one provenance chain.
  static constexpr int kMaxNesting = 2;
};

// One unescaped literal found by ForEachEscapedLiteral.
struct EscapedLiteral {
  std::size_t offset;   // where the literal's text starts in the blob
  std::string text;     // unescaped UTF-8
  bool worth_scanning;  // passes the cost rule in the file comment
};

// Calls `on_literal` for each literal that contains a backslash escape; returns early
// when `on_literal` returns false. Exposed for tests and the fuzz target.
void ForEachEscapedLiteral(std::string_view bytes,
                           const std::function<bool(const EscapedLiteral&)>& on_literal);

std::unique_ptr<Extractor> NewJsEscapeExtractor();

}  // namespace leakproof::scanner
