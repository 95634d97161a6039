#!/usr/bin/env bash
# Build the raw Hyperscan harness bench/hs_raw.cc into bench/work/hs_raw.
# Needs g++ and Debian's libhyperscan-dev (pkg-config name: libhs).
set -euo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$BENCH/work/hs_raw"
command -v g++ >/dev/null || { echo "build-raw: g++ not found (apt-get install g++)" >&2; exit 2; }
command -v pkg-config >/dev/null || { echo "build-raw: pkg-config not found (apt-get install pkg-config)" >&2; exit 2; }
pkg-config --exists libhs || { echo "build-raw: libhs not found (apt-get install libhyperscan-dev)" >&2; exit 2; }
mkdir -p "$BENCH/work"
if [[ -x "$OUT" && "$OUT" -nt "$BENCH/hs_raw.cc" ]]; then
  echo "build-raw: $OUT is up to date"
  exit 0
fi
# shellcheck disable=SC2046
g++ -std=c++20 -O2 -DNDEBUG -pthread -o "$OUT" "$BENCH/hs_raw.cc" $(pkg-config --cflags --libs libhs)
echo "build-raw: built $OUT"
