// Report formats: text (grouped by file, colour on a TTY), json, jsonl, sarif (2.1.0,
// accepted by GitHub code scanning), junit, html (one self-contained page). Every format redacts
// secrets to their first 4 characters unless ReportOptions::redact is false (--no-redact).
#pragma once

#include "leakproof/scanner/scanner.h"
#include "leakproof/scanner/status.h"

#include <functional>
#include <ostream>
#include <string_view>

namespace leakproof::scanner {

enum class ReportFormat { kText, kJson, kJsonl, kSarif, kJunit, kHtml };

struct ReportOptions {
  bool redact = true;      // Default: true. false only with --no-redact.
  bool color = false;      // ANSI colour (text only).
  bool show_info = false;  // include info-level diagnostics in text output
  // Text only: false leaves error diagnostics out (the CLI prints them on stderr when
  // the report goes to stdout, so errors never mix into the report stream).
  bool errors_in_report = true;
  const char* version = "0.1.0";
  // Whether a finding fails the run (the CLI's --fail-on): JUnit writes a <failure> only
  // for these. Default (empty): secret-class findings fail, as with --fail-on secret.
  std::function<bool(const Finding&)> fails;
  // SARIF's %SRCROOT%: relative paths are relative to it, absolute paths under it are made
  // relative. Default (empty): the current directory.
  std::string base_dir;
};

// "text", "json", "jsonl", "sarif", "junit" or "html", in any letter case.
Result<ReportFormat> ParseReportFormat(std::string_view name);

void WriteReport(ReportFormat format, const ScanResult& result, const RuleSet& rules,
                 const ReportOptions& options, std::ostream& out);

// The HTML report: one self-contained page (inline CSS and JS, no network fetch; its
// Content-Security-Policy forbids any) that renders `json_document`, a report document as
// --format json writes it or `leakproof merge` builds it, embedded verbatim except that
// '<', '>' and '&' are written as JSON \u escapes, so no text in it can end the script
// element. Redaction is the caller's: the document is shown as given.
void WriteHtmlReport(std::string_view json_document, std::ostream& out);

// One sentence each for text output and stderr: "INCOMPLETE: 3 inputs or parts not
// fully scanned (limit-exceeded 3); ..." ("" when complete) and "baseline: 2 findings
// hidden by 2 of 3 entries; 1 stale ..." ("" when no baseline was used).
std::string CoverageSentence(const ScanResult& result);
std::string BaselineSentence(const ScanResult& result);

// Sorts findings (path, offset, rule id) and diagnostics (location, message) so output
// is identical across runs whatever the thread schedule.
void SortResult(ScanResult& result);

}  // namespace leakproof::scanner
