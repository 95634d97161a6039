#include "detect/provider_attribution.h"

#include "detect/secret_name.h"

#include <algorithm>
#include <array>
#include <deque>
#include <map>
#include <mutex>
#include <utility>
#include <vector>

namespace leakproof::scanner::detect {
namespace {

// Short names people use for a provider in variable names.
constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kAliases = {{
    {"gh", "github"},
    {"fb", "facebook"},
    {"hf", "huggingface"},
    {"amazon", "aws"},
}};

// Provider ids that are also everyday words in names: attributing on them would guess.
constexpr std::array<std::string_view, 6> kTooCommon = {"generic", "custom", "age",
                                                        "here",    "exa",    "front"};

// True when `want` occurs in `words` as a contiguous run or fused into one word.
bool Contains(const std::vector<std::string>& words, const std::vector<std::string>& want) {
  if (want.empty()) return false;
  std::string fused;
  for (const std::string& w : want) fused += w;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (words[i] == fused) return true;
    if (i + want.size() > words.size()) continue;
    bool all = true;
    for (std::size_t k = 0; k < want.size() && all; ++k) all = words[i + k] == want[k];
    if (all) return true;
  }
  return false;
}

struct Registry {
  std::mutex mu;
  std::deque<Rule> rules;  // deque: push_back keeps references to earlier rules valid
  std::map<std::string, std::size_t> slot_of;
};

Registry& TheRegistry() {
  static Registry r;
  return r;
}

}  // namespace

std::string AttributeProvider(std::string_view name, const RuleSet& rules) {
  const std::vector<std::string> words = SplitNameWords(name);
  if (words.size() < 2) return {};  // "secret" alone names no provider
  std::string best;
  std::size_t best_len = 0;
  auto consider = [&](const std::string& id, const std::vector<std::string>& want) {
    std::size_t len = 0;
    for (const std::string& w : want) len += w.size();
    if (len > best_len && Contains(words, want)) {
      best = id;
      best_len = len;
    }
  };
  for (const auto& [id, facts] : rules.providers()) {
    if (std::find(kTooCommon.begin(), kTooCommon.end(), id) != kTooCommon.end()) continue;
    consider(id, SplitNameWords(id));
    consider(id, SplitNameWords(facts.name));
  }
  for (const auto& [alias, id] : kAliases) {
    if (rules.FindProvider(id) != nullptr) consider(std::string(id), {std::string(alias)});
  }
  return best;
}

std::size_t AttributedRuleSlot(const RuleSet& rules, const std::string& provider) {
  Registry& reg = TheRegistry();
  std::lock_guard<std::mutex> lock(reg.mu);
  auto it = reg.slot_of.find(provider);
  if (it != reg.slot_of.end()) return it->second;
  const ProviderFacts* facts = rules.FindProvider(provider);
  const std::string display = facts != nullptr && !facts->name.empty() ? facts->name : provider;
  Rule r;
  r.id = provider + ".named-credential";
  r.name = display + " credential (attributed by its name)";
  r.provider = provider;
  r.rule_class = RuleClass::kSecret;
  r.severity = Severity::kHigh;
  r.advice = "The name says this is a " + display +
             " credential: move it to a server-side route and rotate it.";
  r.source_file = std::string(kDetectorSource);
  reg.rules.push_back(std::move(r));
  reg.slot_of.emplace(provider, reg.rules.size() - 1);
  return reg.rules.size() - 1;
}

const Rule& AttributedRule(std::size_t slot) {
  Registry& reg = TheRegistry();
  std::lock_guard<std::mutex> lock(reg.mu);
  return reg.rules[slot];
}

}  // namespace leakproof::scanner::detect
