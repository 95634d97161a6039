// ScanResult::Completeness(): the one definition of an incomplete scan.
#include "leakproof/scanner/scanner.h"

namespace leakproof::scanner {

Coverage ScanResult::Completeness() const {
  Coverage c;
  for (const Diagnostic& d : diagnostics) {
    // Info says "nothing was missed" (a skipped .git, an unneeded decoder); warnings and
    // errors say some bytes were never matched against the rules.
    if (d.level == DiagnosticLevel::kInfo) continue;
    c.reasons[StatusCodeName(d.code)] += d.count;
    c.lost += d.count;
  }
  c.complete = c.lost == 0;
  return c;
}

}  // namespace leakproof::scanner
