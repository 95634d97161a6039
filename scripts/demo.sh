#!/usr/bin/env bash
# Quick start, step 1: install dependencies (as root via apt-get, idempotent), build
# leakproof, and scan the bundled samples/ — real APK, XAPK, IPA, JS bundle + source
# map and config files with planted fake keys. Findings are printed; exit 0.
# Then the containers alone: precompressed dist/ assets, an npm tarball, an Electron
# app.asar, a Chrome .crx and a docker save image tar, each finding named down to the
# file inside (pkg.tgz!package/dist/index.js, image.tar!sha256:<layer>!app/server.js).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -eq 0 ]; then
  bash scripts/install-deps.sh
else
  sudo bash scripts/install-deps.sh
fi

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLEAKPROOF_TESTS=OFF >/dev/null
cmake --build build -j"$(nproc)" --target leakproof

echo
echo "== leakproof scan samples/ =="
# --fail-on none: the samples are full of (fake) keys by design; this is a demo, not CI.
./build/cli/leakproof scan samples/ --sort --fail-on none

echo
echo "== containers: precompressed assets, npm pack, asar, crx, docker save =="
./build/cli/leakproof scan samples/web/dist samples/npm samples/electron samples/extension \
  samples/image --sort --fail-on none
