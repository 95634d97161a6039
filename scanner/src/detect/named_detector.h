// The name-based detector: credentials with no vendor prefix, decided by the name written
// beside them, in the two places where that name is reliable:
//   - configuration files, chosen by file name (detect/config_credentials.h);
//   - structured views the extractors write as "name = value" segments (resources.arsc,
//     plists, manifest meta-data, DEX static fields; extract/named_value.h).
// It is not a Hyperscan rule: keyword-gated rules cost the shared database on every
// byte, while this runs only on the blobs above, after the engine's match.
//
// Its findings use three rules of its own (NamedDetectorRules), reported at medium or
// low confidence; an AWS secret under a secret name in a blob that also holds an AWS
// key ID is reported as the pack's aws.secret-access-key instead.
#pragma once

#include "leakproof/scanner/blob.h"
#include "leakproof/scanner/engine.h"
#include "leakproof/scanner/finding.h"
#include "leakproof/scanner/rule.h"

#include <vector>

namespace leakproof::scanner {

// generic.named-password, generic.named-secret, generic.named-key.
const std::vector<Rule>& NamedDetectorRules();

// rules.rules()[index], or a detector rule for index >= rules.rules().size().
const Rule& RuleAt(const RuleSet& rules, std::size_t index);

// Appends the detector's matches for `blob` to `matches` (the engine's, which win where
// both found the same bytes) and keeps `matches` sorted by secret offset.
void AppendNamedMatches(const Blob& blob, const RuleSet& rules, std::vector<RawMatch>& matches);

// high: a distinctive vendor prefix or PEM header; medium: keyword-gated, generic and
// user rules, and detector findings under a strong name; low: weak names ("key").
Confidence ConfidenceOf(const Rule& rule);

}  // namespace leakproof::scanner
