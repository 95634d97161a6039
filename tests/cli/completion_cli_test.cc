// `leakproof completion bash|zsh|fish`: scripts built from the CLI11 app (every subcommand
// and option, nested ones too), descriptions quoted for each shell, and clear usage errors.
// tests/install/install_layout.sh drives the installed scripts in the real shells.
#include "cli/cli_support.h"

#include <catch2/catch.hpp>

#include <string>

using leakproof::testing::RunLeakproof;

TEST_CASE("completion: bash script lists every subcommand path and option") {
  auto r = RunLeakproof("completion bash");
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.empty());
  CHECK_THAT(r.out, Catch::Contains("complete -o filenames -F _leakproof leakproof"));
  // Top level: the subcommands as registered (completion itself and help included).
  CHECK_THAT(r.out,
             Catch::Contains("words='scan git merge rules bff proxy completion config help'"));
  // Nested subcommands are paths of their own.
  CHECK_THAT(r.out, Catch::Contains("'/rules/list'") && Catch::Contains("'/rules/check'"));
  CHECK_THAT(r.out, Catch::Contains("--max-findings") && Catch::Contains("--warnings-as-errors"));
  // Options that take a value complete files after them; flags do not.
  CHECK_THAT(r.out, Catch::Contains("'/scan --baseline'"));
  CHECK(r.out.find("'/scan --sort'") == std::string::npos);
}

TEST_CASE("completion: zsh and fish quote descriptions for their shell") {
  auto zsh = RunLeakproof("completion zsh");
  REQUIRE(zsh.exit_code == 0);
  CHECK(zsh.out.rfind("#compdef leakproof\n", 0) == 0);
  // scan -o's description "Write the report to FILE ('-': stdout)" has single quotes.
  CHECK_THAT(zsh.out, Catch::Contains("'-o:Write the report to FILE ('\\''-'\\'': stdout)'"));
  auto fish = RunLeakproof("completion fish");
  REQUIRE(fish.exit_code == 0);
  CHECK_THAT(fish.out, Catch::Contains("-s o -l output -r -F -d 'Write the report to FILE "
                                       "(\\'-\\': stdout)'"));
  CHECK_THAT(fish.out, Catch::Contains("= \\'/rules\\'' -a 'list'"));
}

TEST_CASE("completion: a missing or unknown shell is a usage error") {
  auto none = RunLeakproof("completion");
  CHECK(none.exit_code == 2);
  CHECK_THAT(none.err, Catch::Contains("shell is required"));
  auto tcsh = RunLeakproof("completion tcsh");
  CHECK(tcsh.exit_code == 2);
  CHECK(tcsh.out.empty());
  CHECK_THAT(tcsh.err, Catch::Contains("tcsh not in {bash,zsh,fish}"));
}
