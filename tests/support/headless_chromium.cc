// HeadlessChromium(): one fresh profile per call, so parallel test processes never share
// Chromium's profile lock.
#include "support/headless_chromium.h"

#include "support/test_rules.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace leakproof::testing {

std::string HeadlessChromium(const std::filesystem::path& page, const std::string& hash,
                             const std::string& mode) {
  REQUIRE(std::system("command -v chromium >/dev/null 2>&1") == 0);
  TempDir profile;
  const auto out = profile.path() / "out.html";
  const std::string cmd =
      "timeout 90 chromium --headless --no-sandbox --disable-gpu --no-first-run "
      "--disable-extensions --user-data-dir='" +
      (profile.path() / "profile").string() + "' --window-size=1280,1600 " + mode + " 'file://" +
      page.string() + hash + "' >'" + out.string() + "' 2>/dev/null";
  REQUIRE(std::system(cmd.c_str()) == 0);
  std::ifstream in(out, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::size_t CountOf(const std::string& hay, const std::string& needle) {
  std::size_t n = 0;
  for (auto pos = hay.find(needle); pos != std::string::npos; pos = hay.find(needle, pos + 1)) {
    ++n;
  }
  return n;
}

}  // namespace leakproof::testing
