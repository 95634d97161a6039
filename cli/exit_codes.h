// Process exit codes, the CLI's contract with CI (README "Exit codes").
#pragma once

namespace leakproof::cli {

inline constexpr int kExitClean = 0;       // no failing findings, everything scanned
inline constexpr int kExitFindings = 1;    // findings at or above --fail-on
inline constexpr int kExitError = 2;       // usage error, bad input named, cannot write
inline constexpr int kExitIncomplete = 3;  // not everything was scanned (no failing findings)

}  // namespace leakproof::cli
