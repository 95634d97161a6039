// The merged document (merge_report.h) as SARIF 2.1.0, for uploading one audit to a code
// host: one run, a rule per rule_id, a result per finding with its scan and app in
// result.properties, the per-place fingerprint (never the secret_hash), and the
// coverage of all merged scans in invocations[0].
#pragma once

#include <nlohmann/json.hpp>

namespace leakproof::cli {

nlohmann::json MergedSarif(const nlohmann::json& merged);

}  // namespace leakproof::cli
