// Headless Chromium for the HTML report tests: load a local page, return its DOM after
// the page's scripts ran, or take a screenshot.
#pragma once

#include <filesystem>
#include <string>

namespace leakproof::testing {

// Runs `chromium --headless` on file://`page``hash` with `mode` ("--dump-dom" or
// "--screenshot=FILE") and returns its stdout. Chromium is a test dependency
// (scripts/install-deps.sh): when it is missing the calling test fails, it is not skipped.
std::string HeadlessChromium(const std::filesystem::path& page, const std::string& hash,
                             const std::string& mode);

// Occurrences of `needle` in `hay`.
std::size_t CountOf(const std::string& hay, const std::string& needle);

}  // namespace leakproof::testing
