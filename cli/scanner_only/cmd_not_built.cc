// `bff` and `proxy` in a scanner-only build (-DLEAKPROOF_BUILD_PROXY=OFF).
#include "command.h"

#include <cstdio>

namespace leakproof::cli {
namespace {

void NotBuilt(CLI::App& app, const char* name, int& exit_code) {
  auto* cmd = app.add_subcommand(name, "(not built: configure with -DLEAKPROOF_BUILD_PROXY=ON)");
  cmd->allow_extras();
  cmd->callback([name, &exit_code] {
    std::fprintf(stderr, "leakproof %s: not built in this binary (-DLEAKPROOF_BUILD_PROXY=OFF)\n",
                 name);
    exit_code = 2;
  });
}

}  // namespace

void SetupBffCommand(CLI::App& app, int& exit_code) { NotBuilt(app, "bff", exit_code); }
void SetupProxyCommand(CLI::App& app, int& exit_code) { NotBuilt(app, "proxy", exit_code); }

}  // namespace leakproof::cli
