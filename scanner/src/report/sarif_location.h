// Where a finding is, in SARIF terms: the file in the repository (physicalLocation, with a
// region only when the line is the file's own), and the archive member / decoded layer it
// was found in (logicalLocations). docs/report-format.md ("SARIF mapping") has the rules.
#pragma once

#include "leakproof/scanner/finding.h"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace leakproof::scanner {

// The key results' artifactLocations are relative to (run.originalUriBaseIds).
inline constexpr const char* kSrcRoot = "%SRCROOT%";

// RFC 3986 percent-encoding of a path: unreserved characters and '/' kept, every other
// byte (space, '#', '?', '%', non-ASCII UTF-8) as %XX.
std::string PercentEncodePath(std::string_view path);
// "file:///abs/dir/" for an absolute directory (the trailing slash SARIF requires).
std::string FileDirectoryUri(std::string_view abs_dir);

// The SARIF `location` object of a finding, relative to `base_dir` (an absolute directory):
// see the header comment. Never empty: at least a region or a logicalLocations entry.
nlohmann::json SarifLocation(const Finding& f, std::string_view base_dir);

// "path", "path:12:5" for a line inside a member, plus " (label)" when there is one.
std::string WhereText(const Location& loc);

}  // namespace leakproof::scanner
