// `leakproof scan`: placeholder until the command lands.
#include <cstdio>

#include "command.h"

namespace leakproof::cli {

void SetupScanCommand(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("scan", "(not yet available)");
  cmd->callback([&exit_code] {
    std::fprintf(stderr, "leakproof scan: not yet available\n");
    exit_code = 2;
  });
}

}  // namespace leakproof::cli
