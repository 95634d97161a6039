// Provider attribution by name: "MAILGUN_API_KEY", "huggingfaceToken" and
// "com_amplitude_API_KEY" name their provider even where the value has no prefix.
//
// The dictionary is the rule pack itself (every provider's id and display name, a few
// hundred), plus a handful of short aliases, so a provider added to rules/builtin/ is
// attributable at once and its facts (env var, rotate URL, BFF auth) come along.
// Attributed findings use one rule per provider, "<provider>.named-credential",
// created on first use and reported at medium confidence: the name, not the shape,
// says whose key it is.
#pragma once

#include "leakproof/scanner/rule.h"

#include <cstddef>
#include <string>
#include <string_view>

namespace leakproof::scanner::detect {

// The provider id the name points at, or "" for none. The longest match wins
// ("azure_openai_key" is azure-openai, not azure).
std::string AttributeProvider(std::string_view name, const RuleSet& rules);

// The slot of "<provider>.named-credential", created once per provider (thread-safe).
std::size_t AttributedRuleSlot(const RuleSet& rules, const std::string& provider);
// The rule in `slot`; its address is stable for the life of the process.
const Rule& AttributedRule(std::size_t slot);

// Where detector-made rules say they come from (Rule::source_file).
inline constexpr std::string_view kDetectorSource = "scanner/src/detect";

}  // namespace leakproof::scanner::detect
