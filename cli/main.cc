// leakproof: registers the subcommands and maps errors to exit codes (0/1/2).
#include "command.h"

#include <cstdio>
#include <exception>

int main(int argc, char** argv) {
  CLI::App app{"leakproof: find hardcoded secrets in release artifacts and move them server-side"};
  app.set_version_flag("--version", "leakproof 0.1.0");
  app.require_subcommand(1);
  int exit_code = 0;
  leakproof::cli::SetupScanCommand(app, exit_code);
  leakproof::cli::SetupRulesCommand(app, exit_code);
  leakproof::cli::SetupBffCommand(app, exit_code);
  leakproof::cli::SetupProxyCommand(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 maps --help to a "success" parse error; usage errors exit 2 as documented.
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "leakproof: error: %s\n", e.what());
    return 2;
  }
  return exit_code;
}
