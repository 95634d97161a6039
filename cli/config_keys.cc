// The table of settable keys (config_keys.h).
#include "config_keys.h"

#include <cctype>

namespace leakproof::cli {

const std::vector<ConfigKey>& ConfigKeys() {
  using K = ConfigKind;
  static const std::vector<ConfigKey> kKeys = {
      {"format", K::kString},
      {"output", K::kString, true},
      {"color", K::kString},
      {"fail-on", K::kString},
      {"allow-incomplete", K::kBool},
      {"exclude", K::kList},
      {"no-ignore-file", K::kBool},
      {"follow-symlinks", K::kBool},
      {"baseline", K::kString, true},
      {"rules", K::kList, true},
      // LEAKPROOF_CONFIG would read as "the config file"; the gitleaks import is file-only.
      {"config", K::kList, true, false},
      {"include-placeholders", K::kBool},
      {"threads", K::kNumber},
      {"max-depth", K::kNumber},
      {"max-file-size", K::kNumber},
      {"max-member-size", K::kNumber},
      {"max-total-size", K::kNumber},
      {"max-ratio", K::kNumber},
      {"max-entries", K::kNumber},
      {"max-findings", K::kNumber},
      {"sort", K::kBool},
      {"cache-dir", K::kString, true},
  };
  return kKeys;
}

const ConfigKey* FindConfigKey(std::string_view name) {
  for (const ConfigKey& k : ConfigKeys()) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

std::string EnvName(std::string_view key) {
  std::string out = "LEAKPROOF_";
  for (char c : key) {
    out += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string NotSettableReason(std::string_view name) {
  if (name == "no-redact") {
    return "full secrets are printed only when --no-redact is typed on the command line";
  }
  if (name == "write-baseline" || name == "baseline-reason") {
    return "it belongs to one run: pass --" + std::string(name);
  }
  return "";
}

}  // namespace leakproof::cli
