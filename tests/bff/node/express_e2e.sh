#!/usr/bin/env bash
# Generates the Express stubs for tests/bff/fixtures/mixed.json with the built binary and
# runs them against a fake loopback provider (express_e2e.mjs). Usage: express_e2e.sh BIN
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:?usage: express_e2e.sh PATH/TO/leakproof}
"$here/install.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" bff --from-report "$here/../fixtures/mixed.json" --target express --out "$work/out"
ln -s "$here/node_modules" "$work/out/node_modules"
node "$here/express_e2e.mjs" "$work/out"
