// RotationHint (rotation.h): one sentence per rule class, from the rule pack's facts.
#include "leakproof/proxy/bff/rotation.h"

namespace leakproof::proxy::bff {

std::string RotationHint(const scanner::Rule& rule, const scanner::RuleSet& rules) {
  scanner::ProviderFacts facts = rules.EffectiveFacts(rule);
  std::string where = facts.rotate_url.empty()
                          ? std::string("in the ") +
                                (facts.name.empty() ? rule.provider : facts.name) + " dashboard"
                          : "at " + facts.rotate_url;
  switch (rule.rule_class) {
    case scanner::RuleClass::kSecret:
      return "Rotate this key now, it has shipped to clients: revoke it " + where +
             ", then keep the new one server-side.";
    case scanner::RuleClass::kConditional:
      return "Check whether this key is secret (" +
             (rule.decides.empty() ? std::string("see the provider docs") : rule.decides) +
             "); if it is, rotate it now " + where + ".";
    case scanner::RuleClass::kPublishable:
      return rule.advice.empty()
                 ? std::string("Designed to ship; restrict it in the provider console.")
                 : rule.advice;
  }
  return "";
}

}  // namespace leakproof::proxy::bff
