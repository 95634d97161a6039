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
nlohmann::json DiagnosticJson(const Diagnostic& d);
nlohmann::json StatsJson(const ScanStats& s, std::size_t findings);

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
