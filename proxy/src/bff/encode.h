// Literal encoders for generated code: every value from a report or rule pack reaches a
// generated file through one of these, never pasted raw into code.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace leakproof::proxy::bff {

// "a\"b" as a JSON / JavaScript double-quoted string literal (also valid TypeScript).
std::string JsString(std::string_view s);
// A TOML basic string: "a\"b".
std::string TomlString(std::string_view s);
// ["GET", "POST"] in TOML.
std::string TomlArray(const std::vector<std::string>& items);
// { "anthropic-version" = "2023-06-01" } in TOML.
std::string TomlInlineTable(const std::vector<std::pair<std::string, std::string>>& items);
// Collapses whitespace and strips characters that would break a one-line comment or a
// Markdown table cell (newlines, '|', '`', "*/").
std::string OneLine(std::string_view s);

}  // namespace leakproof::proxy::bff
