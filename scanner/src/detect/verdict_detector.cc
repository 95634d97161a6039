#include "detect/verdict_detector.h"

#include "extract/verdict_segments.h"

#include <algorithm>
#include <array>
#include <string>
#include <string_view>

namespace leakproof::scanner {
namespace {

constexpr std::string_view kVerdictSource = "scanner/src/detect/verdict_detector.cc";

Rule MakeRule(std::string id, std::string provider, std::string name, Severity severity,
              std::string advice) {
  Rule r;
  r.id = std::move(id);
  r.name = std::move(name);
  r.provider = std::move(provider);
  r.rule_class = RuleClass::kSecret;
  r.severity = severity;
  r.advice = std::move(advice);
  r.source_file = std::string(kVerdictSource);
  return r;
}

// Verdict word -> slot in VerdictRules(), in the same order.
constexpr std::array<std::string_view, 5> kVerdicts = {kVerdictKeystoreOpen, kVerdictKeystoreLocked,
                                                       kVerdictHardcodedKey, kVerdictHardcodedIv,
                                                       kVerdictHardcodedPassword};

bool IsVerdictBlob(const Blob& blob) {
  const auto& chain = blob.provenance().chain();
  return !chain.empty() && chain.back().is_decoding &&
         (chain.back().name == kKeystoreCheckOrigin || chain.back().name == kCryptoFlowOrigin);
}

}  // namespace

const std::vector<Rule>& VerdictRules() {
  static const std::vector<Rule> rules = [] {
    std::vector<Rule> v;
    v.push_back(MakeRule(
        "keystore.private-key-open", "keystore",
        "Keystore with a private or secret key that opens with an empty or common password",
        Severity::kCritical,
        "Anyone who unpacks the artifact holds this key: remove the keystore, revoke the "
        "certificate or key it holds, and never ship signing or client keys in an app."));
    v.push_back(MakeRule("keystore.private-key", "keystore",
                         "Keystore with a private or secret key shipped in the artifact",
                         Severity::kHigh,
                         "Remove the keystore from the artifact and treat its keys as exposed "
                         "to an offline password search; rotate them."));
    v.push_back(
        MakeRule("crypto.hardcoded-key", "crypto",
                 "Hardcoded symmetric key passed to a crypto API (SecretKeySpec)", Severity::kHigh,
                 "A key in the app is no secret: derive or fetch keys at runtime (Android "
                 "Keystore, server-issued keys) and re-encrypt data protected by this one."));
    v.push_back(MakeRule("crypto.hardcoded-iv", "crypto", "Hardcoded IV passed to IvParameterSpec",
                         Severity::kMedium,
                         "Use a fresh random IV per message and store it beside the ciphertext."));
    v.push_back(MakeRule("crypto.hardcoded-key-pbe", "crypto",
                         "Hardcoded password passed to PBEKeySpec (the key is derived from it)",
                         Severity::kHigh,
                         "A password in the app derives the same key on every install: take it "
                         "from the user or from a server, never from the code."));
    return v;
  }();
  return rules;
}

bool IsVerdictRule(const Rule& rule) { return rule.source_file == kVerdictSource; }

void AppendVerdictMatches(const Blob& blob, std::size_t first_index,
                          std::vector<RawMatch>& matches) {
  if (!IsVerdictBlob(blob)) return;
  const std::string_view text = blob.bytes();
  const auto& segs = blob.segments();
  const std::size_t before = matches.size();
  for (std::size_t i = 0; i < segs.size(); ++i) {
    const std::uint64_t from = segs[i].offset;
    const std::uint64_t to = i + 1 < segs.size() ? segs[i + 1].offset - 1 : text.size();
    if (from >= to || to > text.size()) continue;
    const std::string_view seg = text.substr(from, to - from);
    for (std::size_t slot = 0; slot < kVerdicts.size(); ++slot) {
      const std::string_view word = kVerdicts[slot];
      if (seg.size() <= word.size() + 1 || seg.substr(0, word.size()) != word ||
          seg[word.size()] != ' ') {
        continue;
      }
      RawMatch m;
      m.rule_index = first_index + slot;
      m.start = from;
      m.secret_start = from + word.size() + 1;
      m.end = m.secret_end = to;
      matches.push_back(m);
      break;
    }
  }
  if (matches.size() == before) return;
  std::stable_sort(matches.begin(), matches.end(), [](const RawMatch& a, const RawMatch& b) {
    return a.secret_start < b.secret_start;
  });
}

}  // namespace leakproof::scanner
