// Runs the leakproof binary through /bin/sh with stdout/stderr captured to temp files.
#include "cli/cli_support.h"

#include "support/test_rules.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <sys/wait.h>

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
  return RunLeakproofWith("", args, stdin_text);
}

CommandResult RunLeakproofWith(const std::string& prefix, const std::string& args,
                               const std::string& stdin_text) {
  TempDir tmp;
  const auto in = tmp.Write("stdin", stdin_text);
  const auto out = tmp.path() / "stdout";
  const auto err = tmp.path() / "stderr";
  // The build tree's cache dir keeps tests independent of the user's ~/.cache while
  // compiling the rule database once per build, not once per command.
  const std::string cmd = "XDG_CACHE_HOME='" LEAKPROOF_TEST_CACHE "' " + prefix +
                          " '" LEAKPROOF_BINARY "' " + args + " <'" + in.string() + "' >'" +
                          out.string() + "' 2>'" + err.string() + "'";
  const int rc = std::system(cmd.c_str());
  CommandResult r;
  r.exit_code = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  r.out = Slurp(out);
  r.err = Slurp(err);
  return r;
}

}  // namespace leakproof::testing
