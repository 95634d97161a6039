#!/usr/bin/env bash
# Quick start, step 2: build with warnings as errors and run the whole test suite
# (unit, end-to-end, golden, generated-stub and fuzz-corpus replay tests), then the
# scanner's suite again under AddressSanitizer + UndefinedBehaviorSanitizer (every
# parser of untrusted input, the engine and the CLI; the Boost.Beast proxy is left out
# of the sanitizer pass to keep CI under 15 minutes on 2 cores).
#   scripts/test.sh            both builds
#   scripts/test.sh --fast     the normal build only
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
# ccache (CMakeLists.txt uses it when installed): paths relative to the checkout and the
# build directory left out of the hash, so a fresh clone elsewhere (CI) reuses the objects
# an earlier build compiled from the same sources.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}" CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"

run_suite() {
  local dir=$1
  shift
  cmake -S . -B "$dir" -G Ninja -DLEAKPROOF_WARNINGS_AS_ERRORS=ON "$@" >/dev/null
  cmake --build "$dir" -j"$jobs"
  (cd "$dir" && ctest --output-on-failure -j"$jobs")
}

echo "== build + tests (RelWithDebInfo, -Werror) =="
run_suite build-test -DCMAKE_BUILD_TYPE=RelWithDebInfo

if [ "${1:-}" != "--fast" ]; then
  echo "== build + tests under ASan/UBSan =="
  # detect_leaks stays on: every parser must free what it allocates.
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    run_suite build-asan -DCMAKE_BUILD_TYPE=Debug -DLEAKPROOF_SANITIZE=ON -DLEAKPROOF_BUILD_PROXY=OFF
fi
