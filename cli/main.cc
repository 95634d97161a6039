// leakproof: registers the subcommands and maps errors to exit codes (exit_codes.h).
#include "command.h"
#include "exit_codes.h"

#include <cstdio>
#include <cstring>
#include <exception>
#include <iostream>

int main(int argc, char** argv) {
  // Named, so usage lines say "leakproof scan", not the path the binary was run from.
  CLI::App app{"leakproof: find hardcoded secrets in release artifacts and move them server-side",
               "leakproof"};
  app.set_version_flag("-V,--version", "leakproof 0.1.0");
  app.require_subcommand(1);
  // One line per usage error ("--max-ratio: '0' is out of range..."), no help dump.
  app.failure_message([](const CLI::App*, const CLI::Error& e) {
    return "leakproof: " + std::string(e.what()) + " (see --help)\n";
  });
  int exit_code = leakproof::cli::kExitClean;
  leakproof::cli::SetupScanCommand(app, exit_code);
  leakproof::cli::SetupGitCommand(app, exit_code);
  leakproof::cli::SetupMergeCommand(app, exit_code);
  leakproof::cli::SetupRulesCommand(app, exit_code);
  leakproof::cli::SetupBffCommand(app, exit_code);
  leakproof::cli::SetupProxyCommand(app, exit_code);
  leakproof::cli::SetupCompletionCommand(app, exit_code);
  leakproof::cli::SetupConfigCommand(app, exit_code);
  // `leakproof help [COMMAND]` is what people type first: the same as --help.
  CLI::App* help = app.add_subcommand("help", "Show help for leakproof or a COMMAND");
  std::string help_for;
  help->add_option("command", help_for, "Subcommand to explain");
  help->callback([&] {
    // app.help() would describe the parsed subcommand, i.e. `help` itself.
    if (help_for.empty()) {
      std::cout << app.get_formatter()->make_help(&app, app.get_name(), CLI::AppFormatMode::Normal);
      return;
    }
    try {
      std::cout << app.get_subcommand(help_for)->help(app.get_name());
    } catch (const CLI::OptionNotFound&) {
      std::fprintf(stderr, "leakproof: unknown command '%s'\n", help_for.c_str());
      exit_code = leakproof::cli::kExitError;
    }
  });
  // CLI11 reports an unknown first word as "A subcommand is required": name it instead.
  if (argc > 1 && argv[1][0] != '-') {
    bool known = false;
    for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
      known = known || sub->get_name() == argv[1];
    }
    if (!known) {
      std::fprintf(
          stderr,
          "leakproof: unknown command '%s' (commands: scan, git, merge, rules, config, bff, "
          "proxy, "
          "completion, help)\n",
          argv[1]);
      return leakproof::cli::kExitError;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 maps --help/--version to "success" parse errors; usage errors exit 2.
    int rc = app.exit(e);
    return rc == 0 ? leakproof::cli::kExitClean : leakproof::cli::kExitError;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "leakproof: error: %s\n", e.what());
    return leakproof::cli::kExitError;
  }
  return exit_code;
}
