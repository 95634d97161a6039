// End-to-end scan helpers shared by the archive and container tests.
#include "support/scan_run.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <iterator>

namespace leakproof::testing {

void RunShellIn(const TempDir& dir, const std::string& script) {
  const std::string cmd = "cd '" + dir.path().string() + "' && (" + script + ") >/dev/null 2>&1";
  INFO(script);
  REQUIRE(std::system(cmd.c_str()) == 0);
}

std::string ReadWholeFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

scanner::ScanResult ScanWithTestRules(const std::string& path, scanner::ExtractLimits limits) {
  static const auto engine = TestEngine();  // compiled once per test binary
  scanner::ScanOptions o;
  o.paths = {path};
  o.threads = 2;
  o.limits = limits;
  return scanner::Scan(*engine, o);
}

std::multimap<std::string, std::string> FoundUnder(const scanner::ScanResult& r,
                                                   const TempDir& root) {
  std::multimap<std::string, std::string> out;
  const std::string prefix = root.path().string() + "/";
  for (const auto& f : r.findings) {
    std::string p = f.location.path;
    if (p.rfind(prefix, 0) == 0) p = p.substr(prefix.size());
    if (!f.location.detail.empty()) p += " (" + f.location.detail + ")";
    out.emplace(p, f.secret);
  }
  return out;
}

std::string DiagnosticLines(const scanner::ScanResult& r) {
  std::string s;
  for (const auto& d : r.diagnostics) s += d.location + ": " + d.message + "\n";
  return s;
}

}  // namespace leakproof::testing
