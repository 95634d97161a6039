// `leakproof proxy`: placeholder until the command lands.
#include <cstdio>

#include "command.h"

namespace leakproof::cli {

void SetupProxyCommand(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("proxy", "(not yet available)");
  cmd->callback([&exit_code] {
    std::fprintf(stderr, "leakproof proxy: not yet available\n");
    exit_code = 2;
  });
}

}  // namespace leakproof::cli
