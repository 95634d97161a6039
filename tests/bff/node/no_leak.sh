#!/usr/bin/env bash
# No generated file may contain a scanned secret: scan fresh fake keys with --no-redact to
# learn them, generate every target both from the live scan and from that unredacted
# report, then grep the output for every piece of every secret. Usage: no_leak.sh BIN
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:?usage: no_leak.sh PATH/TO/leakproof}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
node "$here/no_leak.mjs" write "$work/src"
"$bin" scan "$work/src" --format json --no-redact --cache-dir - -o "$work/report.json" || [ $? -eq 1 ]
"$bin" bff "$work/src" --target all --cache-dir - --out "$work/from-scan"
"$bin" bff --from-report "$work/report.json" --target all --out "$work/from-report"
node "$here/no_leak.mjs" check "$work/report.json" "$work/from-scan" "$work/from-report"
