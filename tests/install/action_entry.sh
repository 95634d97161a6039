#!/usr/bin/env bash
# The GitHub Action's entry script (scripts/action-entry.sh), run directly as CI does (no
# Docker daemon): its inputs map to `leakproof scan` flags, the SARIF it writes passes the
# SARIF 2.1.0 schema (tests/sarif/validate.mjs), the job summary lists the findings by
# class without full secrets, the step outputs and the exit codes are leakproof's.
# Usage: action_entry.sh PATH/TO/leakproof [CACHE_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${1:?usage: action_entry.sh PATH/TO/leakproof [CACHE_DIR]}
LEAKPROOF_BIN="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"  # runs are in another dir
export LEAKPROOF_BIN
export XDG_CACHE_HOME=${2:-${XDG_CACHE_HOME:-$HOME/.cache}}
entry="$root/scripts/action-entry.sh"
"$root/tests/sarif/install.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "action_entry: $*" >&2; exit 1; }

# Fake keys from pieces: a GitHub token (class secret), a Maps key (conditional and
# publishable rules both match it).
gh="ghp_$(printf 'R8mK2xQ9vLp4TzW7nYb3')HcJ6dF1sA5gE0uNi"
maps="AIza$(printf 'SyD4kX9mQ2vL7pR3tW8n')B6cF1hJ5gK0uYeZ"
ws="$work/ws"
mkdir -p "$ws/dist/with space" "$ws/clean"
printf 'const t = "%s";\n' "$gh" >"$ws/dist/with space/app|1.js"
printf 'fetch("https://maps.googleapis.com/maps/api/js?key=%s")\n' "$maps" >"$ws/dist/maps.js"
printf 'console.log("nothing");\n' >"$ws/clean/ok.js"

# run NAME EXPECTED_RC [VAR=VALUE...]: the entry script in $ws with fresh summary/output files.
run() {
  local name=$1 want=$2
  shift 2
  : >"$work/$name.summary"
  : >"$work/$name.output"
  local rc=0
  (cd "$ws" && env GITHUB_STEP_SUMMARY="$work/$name.summary" GITHUB_OUTPUT="$work/$name.output" \
    "$@" "$entry") 2>"$work/$name.log" || rc=$?
  [ "$rc" = "$want" ] || { cat "$work/$name.log" >&2; fail "$name: exit $rc, expected $want"; }
}
has() { grep -qF -- "$2" "$work/$1" || fail "$1 lacks: $2"; }
lacks() { ! grep -qF -- "$2" "$work/$1" || fail "$1 should not contain: $2"; }

# Defaults: SARIF to leakproof.sarif, fail on class secret.
run findings 1 INPUT_PATH=dist
[ -s "$ws/leakproof.sarif" ] || fail "no leakproof.sarif"
cp "$ws/leakproof.sarif" "$work/findings.sarif"
has findings.summary "Result: **failed**"
has findings.summary "### secret (1)"
has findings.summary "### conditional (1)"
has findings.summary "### publishable (1)"
has findings.summary "| github.personal-access-token | \`dist/with%20space/app%7C1.js:1\` |"
lacks findings.summary "$gh"
lacks findings.summary "$maps"
has findings.output "report=leakproof.sarif"
has findings.output "exit-code=1"
has findings.output "findings=3"

# Long lists are cut (GitHub drops summaries over 1 MiB), pointing at the report.
run capped 0 INPUT_PATH=dist "INPUT_FAIL-ON=none" INPUT_OUTPUT=capped.sarif LEAKPROOF_SUMMARY_ROWS=0
has capped.summary "### secret (1)"
has capped.summary "| … | 1 more | see \`capped.sarif\` |"
lacks capped.summary "| github.personal-access-token |"

# Several paths (one per line), fail-on none: exit 0, the findings still listed.
run fail_on_none 0 "INPUT_PATH=dist/maps.js
clean" "INPUT_FAIL-ON=none" INPUT_OUTPUT=none.sarif
cp "$ws/none.sarif" "$work/none.sarif"
has fail_on_none.summary "Result: clean"
has fail_on_none.summary "### conditional (1)"
lacks fail_on_none.summary "### secret"

# A baseline that accepts every finding: clean, no findings.
(cd "$ws" && "$LEAKPROOF_BIN" scan -q --write-baseline baseline.json --fail-on none dist >/dev/null) ||
  fail "writing the baseline"
run baselined 0 INPUT_PATH=dist INPUT_BASELINE=baseline.json INPUT_OUTPUT=baselined.sarif
cp "$ws/baselined.sarif" "$work/baselined.sarif"
has baselined.summary "No findings."
has baselined.output "findings=0"

# args are passed through; json reports are summarised too.
run json_args 1 INPUT_PATH=dist INPUT_FORMAT=json "INPUT_ARGS=--exclude *maps* --sort"
has json_args.summary "### secret (1)"
lacks json_args.summary "### conditional"
has json_args.output "report=leakproof.json"

# Formats jq cannot tabulate: the summary says where the report is.
run text_format 1 INPUT_PATH=dist INPUT_FORMAT=text
has text_format.summary "Findings are in \`leakproof.text\` (text)"

# Errors: a missing path is exit 2, a bad fail-on level too; the summary says so.
run missing 2 INPUT_PATH=does-not-exist
has missing.summary "Result: **error**"
run bad_fail_on 2 INPUT_PATH=dist "INPUT_FAIL-ON=sometimes"
has bad_fail_on.output "exit-code=2"

# An archive that cannot be fully read: incomplete, exit 3.
printf 'PK\003\004 truncated archive' >"$ws/broken.zip"
run incomplete 3 INPUT_PATH=broken.zip INPUT_OUTPUT=incomplete.sarif
cp "$ws/incomplete.sarif" "$work/incomplete.sarif"
has incomplete.summary "Result: **incomplete**"

node "$root/tests/sarif/validate.mjs" "$work"/*.sarif
echo "action_entry: ok"
