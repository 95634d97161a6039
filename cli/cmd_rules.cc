// `leakproof rules`: placeholder until the command lands.
#include <cstdio>

#include "command.h"

namespace leakproof::cli {

void SetupRulesCommand(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("rules", "(not yet available)");
  cmd->callback([&exit_code] {
    std::fprintf(stderr, "leakproof rules: not yet available\n");
    exit_code = 2;
  });
}

}  // namespace leakproof::cli
