#!/usr/bin/env bash
# Installs DIR/node_modules from DIR's committed lockfile (npm ci, cache in ~/.npm) unless
# it is already installed from this exact lockfile. Serialized with a lock so parallel
# ctest runs share one install. Usage: npm-ci-locked.sh DIR
set -euo pipefail
cd "$1"
exec 9>"$PWD/.install.lock"
flock 9
if ! cmp -s package-lock.json node_modules/.leakproof-lock 2>/dev/null; then
  npm ci --prefer-offline --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.leakproof-lock
fi
