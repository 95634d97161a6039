// `leakproof merge` inputs: a scan report (json, jsonl or sarif), validated and read into
// one shape, the JSON report's, so the merge works on one kind of finding object.
#pragma once

#include "leakproof/scanner/status.h"

#include <nlohmann/json.hpp>

#include <string>

namespace leakproof::cli {

struct ScanReport {
  std::string input;   // the file as named on the command line
  std::string format;  // "json", "jsonl" or "sarif"
  // The app the scan covered: the report's "app" object when it has one, else the input's
  // file stem ("shop.json" -> "shop"; MergeReports prefers an app package's own name).
  std::string app;
  std::string app_version;                               // "" unless the report recorded one
  nlohmann::json findings = nlohmann::json::array();     // FindingJson objects
  nlohmann::json diagnostics = nlohmann::json::array();  // DiagnosticJson objects
  nlohmann::json stats = nlohmann::json::object();
  bool complete_known = false;  // SARIF from other tools may not say
  bool complete = true;
  nlohmann::json reasons = nlohmann::json::object();  // incomplete.reasons
  std::string secret_hash_key;                        // "env", "installation", "run", "" (sarif)
};

// Reads `path`, decides its format from its content (a JSON report object, JSONL lines
// ending in a summary line, or SARIF 2.1.0) and checks the fields a merge needs. A
// truncated or invalid file is an InvalidArgument naming the file and what is wrong.
scanner::Result<ScanReport> ReadScanReport(const std::string& path);

}  // namespace leakproof::cli
