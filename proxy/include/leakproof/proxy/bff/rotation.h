// RotationHint: the one-line "rotate it now" guidance for a finding, shared by the scan
// reporter (text output) and MIGRATION.md so both say the same thing.
#pragma once

#include "leakproof/scanner/rule.h"

#include <string>

namespace leakproof::proxy::bff {

// Secret: "Rotate now — it has shipped: <rotate_url>". Conditional: what decides, then
// the same. Publishable: the rule's advice (restrict it). Never mentions the value.
std::string RotationHint(const scanner::Rule& rule, const scanner::RuleSet& rules);

}  // namespace leakproof::proxy::bff
