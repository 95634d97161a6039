#!/usr/bin/env bash
# Installs tests/sarif/node_modules from its committed lockfile (see tests/support/npm-ci-locked.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exec "$here/../support/npm-ci-locked.sh" "$here"
