// Filters applied to confirmed matches: placeholders, inline allow comments.
//
// These run only on confirmed matches (a handful per MB), never on the scan loop.
#pragma once

#include <cstdint>
#include <string_view>

namespace leakproof::scanner {

// True for values that are documentation or template stand-ins rather than keys:
// "EXAMPLE", "your_api_key", "<API_KEY>", "xxxxx", "${VAR}", a run of 7+ identical
// characters ("sk_live_0000000…"), "placeholder", "changeme", "dummy", "fake"…
// Random keys essentially never contain these (a 7-run in base62 has odds ~1e-11).
bool LooksLikePlaceholder(std::string_view secret);

// True when the line containing [offset] carries "leakproof:allow" (or gitleaks' and
// detect-secrets' equivalents, for teams migrating).
bool LineHasAllowComment(std::string_view text, std::uint64_t offset);

// ASCII digits in `secret` (a rule's min_digits requirement).
int CountDigits(std::string_view secret);

}  // namespace leakproof::scanner
