// NameBesideValue: one value of a structured format written beside its name.
//
// resources.arsc, plists, manifest <meta-data> and DEX static fields keep a value's name
// apart from the value; keyword-gated rules (a 32-hex token is a Twilio token only under
// a name that says so) need the name in the scanned text. Every such extractor writes
// "name = value", the form the rules' assignment part accepts, with dots in the name as
// underscores so "com.amplitude.API_KEY" meets a rule's "amplitude[_-]?api[_-]?key".
#pragma once

#include <algorithm>
#include <string>
#include <string_view>

namespace leakproof::scanner {

inline std::string NameBesideValue(std::string_view name, std::string_view value) {
  std::string line(name);
  std::replace(line.begin(), line.end(), '.', '_');
  line += " = ";
  line += value;
  return line;
}

}  // namespace leakproof::scanner
