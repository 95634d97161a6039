#!/usr/bin/env bash
# Writes the leakproof(1) man page from the built binary's own help (help2man), with one
# section per subcommand taken from `leakproof COMMAND --help`, so the page never drifts
# from the CLI. Usage: gen-man.sh PATH/TO/leakproof OUT.1
set -euo pipefail
bin=${1:?usage: gen-man.sh PATH/TO/leakproof OUT.1}
out=${2:?usage: gen-man.sh PATH/TO/leakproof OUT.1}
command -v help2man >/dev/null || { echo "gen-man: help2man is not installed" >&2; exit 2; }
include=$(mktemp)
trap 'rm -f "$include"' EXIT

# help2man include file: "[SECTION]" then roff. Help text goes in verbatim (.nf) blocks with
# roff's special characters escaped: backslashes, and '.'/"'" at a line start.
roff_verbatim() { sed -e 's/\\/\\e/g' -e "s/^\\([.']\\)/\\\\\\&\\1/"; }
{
  echo "[COMMANDS]"
  # The subcommand names are the first words of the indented lines under "Subcommands:".
  for cmd in $("$bin" --help | sed -n '/^Subcommands:/,$p' | awk 'NR > 1 && /^  [a-z]/ {print $1}'); do
    [ "$cmd" = help ] && continue
    echo ".SS \"leakproof $cmd\""
    echo ".nf"
    "$bin" "$cmd" --help | roff_verbatim
    echo ".fi"
  done
  echo "[EXIT STATUS]"
  echo "0 no findings at or above \\-\\-fail\\-on; 1 findings at or above it; 2 usage or"
  echo "runtime error; 3 incomplete scan (some input could not be fully read)."
  echo "[SEE ALSO]"
  echo "docs/report-format.md and docs/ci.md in the leakproof source tree."
} >"$include"

help2man --no-info --no-discard-stderr --name "find hardcoded secrets in release artifacts" \
  --section 1 --include "$include" --output "$out" "$bin"
