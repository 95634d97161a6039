// `leakproof bff`: placeholder until the command lands.
#include <cstdio>

#include "command.h"

namespace leakproof::cli {

void SetupBffCommand(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("bff", "(not yet available)");
  cmd->callback([&exit_code] {
    std::fprintf(stderr, "leakproof bff: not yet available\n");
    exit_code = 2;
  });
}

}  // namespace leakproof::cli
