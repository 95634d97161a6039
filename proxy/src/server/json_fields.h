// Reads a few named top-level fields of a small JSON object (a JWT header or claim set)
// in one pass of nlohmann's SAX parser. Every request's session token goes through this,
// and building a DOM (a std::map node and a std::string per key and value) cost more than
// the HMAC. The results match looking the fields up in `nlohmann::json::parse(text)`:
// the whole text must be one valid JSON object, a repeated key keeps its last value, and
// a field keeps its JSON type (so "exp":"1" is a string, not a number).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace leakproof::proxy {

struct JsonField {
  enum class Kind { kAbsent, kNumber, kString, kArray, kOther };
  Kind kind = Kind::kAbsent;
  double number = 0;                 // kNumber: the value as nlohmann's get<double>() gives it
  std::string string;                // kString
  std::vector<std::string> strings;  // kArray: its string elements (others are skipped)
};

// Fills `out[i]` for `names[i]` (`out` must have names.size() elements). Returns false
// when `json` is not one valid JSON object.
bool ReadJsonFields(std::string_view json, std::span<const std::string_view> names,
                    std::span<JsonField> out);

}  // namespace leakproof::proxy
