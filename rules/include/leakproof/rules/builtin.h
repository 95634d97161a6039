// The built-in rule pack: the text of every rules/builtin/*.toml, embedded at build time.
// Parsing lives in the scanner (leakproof/scanner/rule.h); this library is data only.
#pragma once

#include <span>
#include <string_view>

namespace leakproof::rules {

struct EmbeddedRuleFile {
  std::string_view path;  // "rules/builtin/stripe.toml"
  std::string_view text;
};

// Sorted by path. Valid for the life of the program.
std::span<const EmbeddedRuleFile> BuiltinRuleFiles();

}  // namespace leakproof::rules
