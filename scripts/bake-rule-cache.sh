#!/usr/bin/env bash
# Compiles the built-in rules' Hyperscan database into CACHE_ROOT/leakproof (the default
# cache directory when XDG_CACHE_HOME=CACHE_ROOT), so later runs skip the cold compile.
# The container image runs it at build time. The secret_hash key the scan creates is
# removed: a key baked into a shared image would be everyone's key (docs/report-format.md).
# Usage: bake-rule-cache.sh CACHE_ROOT [PATH/TO/leakproof]
set -euo pipefail
root=${1:?usage: bake-rule-cache.sh CACHE_ROOT [PATH/TO/leakproof]}
bin=${2:-leakproof}
empty=$(mktemp)
trap 'rm -f "$empty"' EXIT
XDG_CACHE_HOME=$root "$bin" scan --quiet "$empty"
rm -f "$root/leakproof/secret-hash.key"
ls "$root"/leakproof/rules-*.hsdb >/dev/null 2>&1 || {
  echo "bake-rule-cache: no compiled database in $root/leakproof" >&2
  exit 1
}
echo "bake-rule-cache: $(ls "$root"/leakproof/rules-*.hsdb)"
