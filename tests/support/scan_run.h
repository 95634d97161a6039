// End-to-end helpers for tests that build artifacts with real tools in a temp
// directory, scan them through the public Scan() and compare what was found.
#pragma once

#include "leakproof/scanner/scanner.h"

#include "support/test_rules.h"

#include <filesystem>
#include <map>
#include <string>

namespace leakproof::testing {

// Runs `script` with sh inside `dir`, output discarded; REQUIREs exit 0.
void RunShellIn(const TempDir& dir, const std::string& script);

// The whole file, or "" when it cannot be read.
std::string ReadWholeFile(const std::filesystem::path& path);

// Scan() of one path with the test rules (kTestRulesToml), 2 threads, `limits`.
scanner::ScanResult ScanWithTestRules(const std::string& path, scanner::ExtractLimits limits = {});

// Findings as (path relative to `root` + " (label)" when there is one) -> secret.
std::multimap<std::string, std::string> FoundUnder(const scanner::ScanResult& r,
                                                   const TempDir& root);

// Every diagnostic as "location: message", one per line (for INFO on failure).
std::string DiagnosticLines(const scanner::ScanResult& r);

}  // namespace leakproof::testing
