// `leakproof merge`: many scan reports (ScanReport, merge_inputs.h) into one document of
// the JSON report's shape, plus what only a merge knows:
//   - "scans": one entry per input (input, format, app, version, findings, complete);
//   - findings[].scan {input, app, version}: where each finding came from;
//   - findings[].apps / .copies: in how many apps, and how many times in all, the same
//     secret (same secret_hash; SARIF inputs: same fingerprint) occurs;
//   - "per_app": totals by class and severity; "shared": the secrets found more than once,
//     most apps first ("this key ships in 12 apps");
//   - "notes": caveats of this merge (SARIF keys, per-run hash keys).
#pragma once

#include "merge_inputs.h"

#include <nlohmann/json.hpp>

#include <ostream>
#include <vector>

namespace leakproof::cli {

nlohmann::json MergeReports(const std::vector<ScanReport>& reports);

// The merged document as JSONL (findings, diagnostics, then one summary line with the
// merge's own blocks) and as text for a terminal.
void WriteMergedJsonl(const nlohmann::json& doc, std::ostream& out);
void WriteMergedText(const nlohmann::json& doc, std::ostream& out);

}  // namespace leakproof::cli
