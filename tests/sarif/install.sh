#!/usr/bin/env bash
# Installs tests/sarif/node_modules from the committed lockfile (npm ci, cache in
# ~/.npm) unless it is already installed from this exact lockfile. Serialized with a
# lock so parallel ctest runs share one install.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
exec 9>"$here/.install.lock"
flock 9
if ! cmp -s package-lock.json node_modules/.leakproof-lock 2>/dev/null; then
  npm ci --prefer-offline --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.leakproof-lock
fi
