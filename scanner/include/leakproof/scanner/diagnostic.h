// Diagnostic: something the scan could not (fully) do, reported, never dropped.
//
// Skipped files, corrupt archives, limits hit, encrypted binaries: each becomes a
// Diagnostic in every output format, so "no findings" never silently means
// "not looked at".
#pragma once

#include "leakproof/scanner/status.h"

#include <cstdint>
#include <string>
#include <vector>

namespace leakproof::scanner {

enum class DiagnosticLevel {
  kInfo,     // worth knowing, nothing was missed (e.g. "skipped: .git")
  kWarning,  // part of an input was not scanned (corrupt member, limit hit, encrypted)
  kError,    // an input could not be scanned at all (unreadable, not found)
};

struct Diagnostic {
  DiagnosticLevel level = DiagnosticLevel::kWarning;
  StatusCode code = StatusCode::kCorrupt;
  std::string location;  // provenance string: "app.apk!classes2.dex"
  std::string message;   // human sentence, never containing secret bytes
  // How many occurrences this line stands for: one input's diagnostics of one kind
  // (level, code, message) are aggregated, so a nested zip bomb gives one line with a
  // count, not a million. `examples`: the first few locations (the first is
  // `location`), filled once count > 1.
  std::uint64_t count = 1;
  std::vector<std::string> examples = {};
};

const char* DiagnosticLevelName(DiagnosticLevel level);

}  // namespace leakproof::scanner
