// Minimal writers for Android binary formats (DEX string table, binary XML,
// resources.arsc), so extractor tests can build exact inputs in memory, plant a fake
// key, and corrupt any byte they like. Only the parts the extractors read are
// written; the layouts follow frameworks/base ResourceTypes.h and the DEX format spec.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace leakproof::testing {

// A ResStringPool chunk holding `strings` (given as UTF-8), UTF-8 or UTF-16LE encoded.
std::string BuildStringPool(const std::vector<std::string>& strings, bool utf8);

// A DEX file whose string_ids point at `strings` (UTF-8 in, MUTF-8 on disk: U+0000
// becomes C0 80 and supplementary characters become surrogate pairs).
std::string BuildDex(const std::vector<std::string>& strings);

struct DexConstant {
  std::string name;     // the static field's name ("TWILIO_AUTH_TOKEN")
  std::string value;    // its initial value: a string, or decimal digits when is_int
  bool is_int = false;  // an int constant (exercises skipping non-string values)
};
// A DEX file with one class (`descriptor`, "Lcom/example/BuildConfig;") whose static
// fields are `constants`, in order, with their initial values in static_values, plus
// `extra` strings that initialise nothing.
std::string BuildDexWithConstants(const std::string& descriptor,
                                  const std::vector<DexConstant>& constants,
                                  const std::vector<std::string>& extra);

struct AxmlAttribute {
  std::string name;
  std::string value;
};
struct AxmlNode {
  bool end = false;  // true: an end-element for `name`
  std::string name;
  std::vector<AxmlAttribute> attributes;
  std::string text;  // non-empty: a CDATA node follows the start element
};
// A binary XML document: the nodes in document order, pool UTF-16 unless `utf8`.
std::string BuildAxml(const std::vector<AxmlNode>& nodes, bool utf8);

struct ArscValue {
  std::string type;                 // "string", "array" (array values are written as one bag)
  std::string key;                  // "google_api_key"
  std::vector<std::string> values;  // one for plain entries, several for a bag
};
struct ArscOptions {
  bool utf8_values = true;
  bool utf8_keys = true;
  bool offset16 = false;                  // FLAG_OFFSET16 entry offsets
  std::vector<std::string> extra_values;  // unreferenced global pool strings
};
// A resources.arsc with one package (0x7f) and one type chunk per type name.
std::string BuildArsc(const std::vector<ArscValue>& values, const ArscOptions& options);

// Little-endian writers, exposed for tests that patch bytes.
void PutU16(std::string& out, std::size_t at, std::uint16_t v);
void PutU32(std::string& out, std::size_t at, std::uint32_t v);

}  // namespace leakproof::testing
