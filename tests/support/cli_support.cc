// Runs the leakproof binary through /bin/sh with stdout/stderr captured to temp files.
#include "cli/cli_support.h"

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "support/test_rules.h"

namespace leakproof::testing {
namespace {

std::string Slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

CommandResult RunLeakproof(const std::string& args, const std::string& stdin_text) {
  TempDir tmp;
  const auto in = tmp.Write("stdin", stdin_text);
  const auto out = tmp.path() / "stdout";
  const auto err = tmp.path() / "stderr";
  // A private cache dir keeps tests independent of the user's ~/.cache.
  const std::string cmd = "XDG_CACHE_HOME='" + (tmp.path() / "cache").string() + "' '" LEAKPROOF_BINARY "' " +
                          args + " <'" + in.string() + "' >'" + out.string() + "' 2>'" + err.string() + "'";
  const int rc = std::system(cmd.c_str());
  CommandResult r;
  r.exit_code = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  r.out = Slurp(out);
  r.err = Slurp(err);
  return r;
}

}  // namespace leakproof::testing
