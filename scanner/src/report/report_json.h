// JSON building blocks shared by the json, jsonl and sarif writers.
#pragma once

#include "leakproof/scanner/report.h"

#include <nlohmann/json.hpp>

namespace leakproof::scanner {

// The secret as it may be shown: redacted unless the user asked otherwise.
std::string ShownSecret(const Finding& f, const ReportOptions& options);
// ReportOptions::fails, or its default.
bool FailsRun(const Finding& f, const ReportOptions& options);
nlohmann::json FindingJson(const Finding& f, const RuleSet& rules, const ReportOptions& options);
// {"state", "http_status", "identity", "evidence"[, "settled_class"]}: --verify's result.
nlohmann::json VerificationJson(const Verification& v);
nlohmann::json DiagnosticJson(const Diagnostic& d);
nlohmann::json StatsJson(const ScanStats& s, std::size_t findings);

// Coverage and baseline blocks (coverage_report.cc), one definition for every format:
// JSON/JSONL get "complete", "incomplete": {"reasons"} and "baseline" (when one was used).
void AddCoverageJson(const ScanResult& r, nlohmann::json& doc);
// SARIF: runs[0].invocations (executionSuccessful, toolExecutionNotifications) and
// runs[0].properties.complete.
void AddCoverageSarif(const ScanResult& r, nlohmann::json& run);

// Git provenance (commit_provenance.cc). "commit abc1234 by Name <mail> on DATE".
std::string CommitText(const CommitInfo& c);
// The outermost input a finding is grouped under: "path", or "abc1234:path" in a git scan.
std::string InputLabel(const Finding& f);
nlohmann::json CommitJson(const CommitInfo& c);
// JSON/JSONL: the "git" block of a git scan (repository, revision, commits, blob counts).
void AddGitJson(const ScanResult& r, nlohmann::json& doc);
// SARIF: runs[0].versionControlProvenance when the repository has a publishable origin.
void AddGitSarif(const ScanResult& r, nlohmann::json& run);
// The document --format json writes (and the HTML report embeds).
nlohmann::json JsonDocument(const ScanResult& r, const RuleSet& rules, const ReportOptions& o);

void WriteJson(const ScanResult& r, const RuleSet& rules, const ReportOptions& o,
               std::ostream& out);
void WriteJsonl(const ScanResult& r, const RuleSet& rules, const ReportOptions& o,
                std::ostream& out);
void WriteSarif(const ScanResult& r, const RuleSet& rules, const ReportOptions& o,
                std::ostream& out);
void WriteJunit(const ScanResult& r, const RuleSet& rules, const ReportOptions& o,
                std::ostream& out);
void WriteText(const ScanResult& r, const RuleSet& rules, const ReportOptions& o,
               std::ostream& out);

}  // namespace leakproof::scanner
