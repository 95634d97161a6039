// Diagnostic: something the scan could not (fully) do, reported, never dropped.
//
// Skipped files, corrupt archives, limits hit, encrypted binaries: each becomes a
// Diagnostic in every output format, so "no findings" never silently means
// "not looked at".
#pragma once

#include "leakproof/scanner/status.h"

#include <string>

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
};

const char* DiagnosticLevelName(DiagnosticLevel level);

}  // namespace leakproof::scanner
