// Fuzz target: the name-based detector's config-file parsers (every ConfigFormat) and
// the full AppendNamedMatches path over a blob named like each kind of config file.
#include "detect/config_credentials.h"
#include "detect/named_detector.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace lp = leakproof::scanner;
namespace detect = leakproof::scanner::detect;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > (1u << 20)) return 0;
  // A view of libFuzzer's exact-size buffer (no copy): ASan sees any overread.
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  static const detect::ConfigFormat kFormats[] = {
      detect::ConfigFormat::kKeyValue,      detect::ConfigFormat::kNpmrc,
      detect::ConfigFormat::kMavenSettings, detect::ConfigFormat::kNetrc,
      detect::ConfigFormat::kPgpass,        detect::ConfigFormat::kGitCredentials,
      detect::ConfigFormat::kDockerConfig,  detect::ConfigFormat::kQuotedAfterName,
      detect::ConfigFormat::kJson};
  std::vector<detect::ValueCandidate> found;
  for (detect::ConfigFormat f : kFormats) {
    found.clear();
    detect::FindConfigCredentials(text, f, found);
    std::uint64_t last = 0;
    for (const auto& c : found) {
      if (c.start >= c.end || c.end > text.size()) __builtin_trap();  // inside the text
      if (c.start < last) __builtin_trap();                           // in text order
      last = c.start;
    }
  }
  static const lp::RuleSet kNoRules;
  static const char* const kNames[] = {"app/.env", "settings.xml", "config.json", "db.sql",
                                       "build.gradle"};
  std::vector<lp::RawMatch> matches;
  for (const char* name : kNames) {
    matches.clear();
    lp::AppendNamedMatches(lp::Blob::FromView(text, nullptr, lp::Provenance(name)), kNoRules,
                           matches);
    for (const auto& m : matches) {
      if (m.secret_start > m.secret_end || m.secret_end > text.size()) __builtin_trap();
    }
  }
  return 0;
}
