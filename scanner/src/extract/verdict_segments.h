// Verdict segments: findings an extractor decides by structure, not by a regex.
//
// A keystore opened with a common password, or a constant that DEX bytecode passes to
// SecretKeySpec, is known only to the parser that read the format. Such an extractor
// emits one child blob whose provenance step is a decoding step named for the check
// (kKeystoreCheckOrigin, kCryptoFlowOrigin: shown as "release.jks[keystore-check]"; no
// file inside an archive can be a decoding step) and whose segments each read
// "<verdict> <secret>", labelled with what a report should show as the location detail.
// The detector in detect/verdict_detector.h turns each segment into a finding of the rule
// its verdict names; the engine's own rules still scan the same bytes as any child.
#pragma once

#include <string>
#include <string_view>

namespace leakproof::scanner {

inline constexpr std::string_view kKeystoreCheckOrigin = "keystore-check";
inline constexpr std::string_view kCryptoFlowOrigin = "crypto-dataflow";

// The verdicts, one per detector rule (detect/verdict_detector.cc maps them).
inline constexpr std::string_view kVerdictKeystoreOpen = "keystore-open";
inline constexpr std::string_view kVerdictKeystoreLocked = "keystore-locked";
inline constexpr std::string_view kVerdictHardcodedKey = "hardcoded-key";
inline constexpr std::string_view kVerdictHardcodedIv = "hardcoded-iv";
inline constexpr std::string_view kVerdictHardcodedPassword = "hardcoded-pbe-password";

inline std::string VerdictSegment(std::string_view verdict, std::string_view secret) {
  std::string s(verdict);
  s += ' ';
  s += secret;
  return s;
}

}  // namespace leakproof::scanner
