// Runs the built `leakproof` binary for end-to-end tests and captures its output.
#pragma once

#include <string>

namespace leakproof::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs LEAKPROOF_BINARY with `args` (a shell-quoted string), optional stdin text.
CommandResult RunLeakproof(const std::string& args, const std::string& stdin_text = "");

// The same, with `prefix` (environment assignments or a wrapper such as setpriv) before
// the binary in the shell command.
CommandResult RunLeakproofWith(const std::string& prefix, const std::string& args,
                               const std::string& stdin_text = "");

}  // namespace leakproof::testing
