// Aggregated diagnostics: one line per kind of problem per input, with a count.
//
// A hostile input can raise the same problem a million times (a 42.zip-style bomb has
// 16^5 over-ratio leaves; a tree can hold a million broken links). Reporting each one
// turned a 30 KB input into a 264 MB report. Within one list (one top-level input, or
// the walker's), diagnostics of one kind — same level, code and message once digit runs
// are ignored — become one Diagnostic whose `count` says how many and whose `examples`
// name the first few locations; past kMaxDistinct kinds, the rest share one overflow
// line. Nothing is dropped silently: counts add up and the levels survive.
#pragma once

#include "leakproof/scanner/diagnostic.h"

#include <cstddef>
#include <vector>

namespace leakproof::scanner {

// Locations kept per aggregated line (the first is its `location`).
inline constexpr std::size_t kMaxDiagnosticExamples = 5;
// Distinct lines per list before further kinds share the overflow line.
inline constexpr std::size_t kMaxDistinctDiagnostics = 64;

// Adds `d` (itself possibly aggregated) to `list`.
void AddDiagnostic(std::vector<Diagnostic>& list, Diagnostic d);

}  // namespace leakproof::scanner
