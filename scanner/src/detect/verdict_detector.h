// The verdict detector: findings that a format's own parser decided (a keystore that
// opens with a common password, a constant key that DEX bytecode hands to SecretKeySpec),
// written by the extractors as verdict segments (extract/verdict_segments.h).
//
// Each verdict has one rule of its own (VerdictRules); the secret of a finding is the
// text after the verdict word: the keystore's SHA-256 (the keystore itself is the
// secret, and a file is not something a report can show), or the constant as the code
// holds it (the string, or 0x-hex for a byte array).
#pragma once

#include "leakproof/scanner/blob.h"
#include "leakproof/scanner/engine.h"
#include "leakproof/scanner/rule.h"

#include <cstddef>
#include <vector>

namespace leakproof::scanner {

// keystore.private-key-open, keystore.private-key, crypto.hardcoded-key,
// crypto.hardcoded-iv, crypto.hardcoded-key-pbe.
const std::vector<Rule>& VerdictRules();

// True for a rule of VerdictRules().
bool IsVerdictRule(const Rule& rule);

// Appends a match (rule index `first_index` + the verdict's slot) for every verdict
// segment of `blob`; nothing for any blob other than a verdicts child.
void AppendVerdictMatches(const Blob& blob, std::size_t first_index,
                          std::vector<RawMatch>& matches);

}  // namespace leakproof::scanner
