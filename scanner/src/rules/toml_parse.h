// Parses TOML text with toml++, turning its exception into a Status that names the file
// and line: the one place rule loading meets toml++'s error model.
#pragma once

#include "leakproof/scanner/status.h"

#include <toml++/toml.h>

#include <string>
#include <string_view>

namespace leakproof::scanner {

inline Status ParseToml(std::string_view text, const std::string& source_name, toml::table& out) {
  try {
    out = toml::parse(text, source_name);
  } catch (const toml::parse_error& e) {
    return Status::InvalidArgument(source_name + ":" + std::to_string(e.source().begin.line) +
                                   ": TOML syntax error: " + std::string(e.description()));
  }
  return Status::Ok();
}

}  // namespace leakproof::scanner
