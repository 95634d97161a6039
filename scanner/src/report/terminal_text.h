// Text that is safe to print on a terminal: file names, member names, labels, snippets
// and messages come from the scanned artifact, and an attacker who controls them must not
// be able to move the cursor, recolour, retitle the window or hide text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace leakproof::scanner {

// Valid UTF-8 is kept, except control characters (C0, DEL, C1) and the bidirectional
// overrides/isolates (U+202A-U+202E, U+2066-U+2069), which become \xNN / \u{NNNN};
// bytes that are not valid UTF-8 become \xNN. A backslash stays as it is.
std::string TerminalSafe(std::string_view s);

// "12 B", "1.5 kB", "3.2 MB", "1.1 GB" (decimal units, as in the progress line).
std::string HumanBytes(std::uint64_t bytes);
// "0.4 ms", "12 ms", "1.23 s", "2 min 5 s".
std::string HumanSeconds(double seconds);
// "1 diagnostic", "3 diagnostics".
std::string Counted(std::uint64_t n, std::string_view singular, std::string_view plural);

}  // namespace leakproof::scanner
