// Baseline: findings a team has accepted, so a rescan reports only what is new.
//
// File format (docs/report-format.md, "Baseline"):
//   {"version": 2, "tool": "leakproof",
//    "entries": [{"fingerprint", "rule_id", "path", "reason", "added"}...]}
// Also read: version 1 ({"fingerprints": [...]}) and a saved JSON report
// ({"findings": [{"fingerprint"...}]}), so old baselines keep working.
//
// Entries key on Finding::fingerprint only; rule_id and path are for the people who
// review the file (and for the stale-entry report), not for matching.
#pragma once

#include "leakproof/scanner/finding.h"
#include "leakproof/scanner/status.h"

#include <string>
#include <string_view>
#include <vector>

namespace leakproof::scanner {

struct BaselineEntry {
  std::string fingerprint;
  std::string rule_id;  // "" when read from a v1 file
  std::string path;     // where the finding was when it was accepted
  std::string reason;   // why it was accepted ("test fixture", "accepted at 2026-12-07")
  std::string added;    // UTC date it was added, YYYY-MM-DD
};

// Parses a baseline (v2, v1 or a saved JSON report). `name` is used in messages.
Result<std::vector<BaselineEntry>> ParseBaseline(std::string_view json, const std::string& name);

// `old` plus one entry per finding whose fingerprint is not there yet (old entries keep
// their reasons and dates), sorted by fingerprint so the file diffs well.
std::vector<BaselineEntry> MergeBaseline(std::vector<BaselineEntry> old,
                                         const std::vector<Finding>& findings,
                                         const std::string& reason, const std::string& added);

// The v2 file text, pretty-printed, ending in a newline.
std::string BaselineToJson(const std::vector<BaselineEntry>& entries);

}  // namespace leakproof::scanner
