#!/usr/bin/env bash
# Start-up cost of one leakproof process, which a pre-commit hook pays on every commit:
#   --version                     (process + dynamic loading floor)
#   scan of a 6-byte file, warm   (rule database cache present: the hook's normal case)
#   scan of a 6-byte file, cold   (cache removed before every run: a fresh CI runner)
# With hyperfine: mean ± σ and min over RUNS runs (cold: COLD_RUNS). Without it: the
# median of RUNS wall-clock runs from `date +%s%N`.
#
#   bench/startup.sh                        # build/cli/leakproof
#   LEAKPROOF=/path/to/leakproof bench/startup.sh
#   RUNS=50 COLD_RUNS=3 bench/startup.sh
#
# The cache lives in a temporary directory (--cache-dir), so ~/.cache is never touched.
# The machines are shared 2-core VMs: compare before/after in the same minute, and read
# min and user+sys as well as the mean.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LP="${LEAKPROOF:-$REPO/build/cli/leakproof}"
RUNS="${RUNS:-30}"
COLD_RUNS="${COLD_RUNS:-3}"
[[ -x "$LP" ]] || { echo "startup.sh: no leakproof binary at $LP (set LEAKPROOF)" >&2; exit 2; }

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
printf 'hello\n' >"$TMP/small.txt"
CACHE="$TMP/cache"
SCAN="$LP scan --no-config --no-progress --cache-dir $CACHE $TMP/small.txt"
# Fill the cache once (a cold compile), so the warm runs find it.
$SCAN >/dev/null

if command -v hyperfine >/dev/null; then
  hyperfine -N --warmup 3 --runs "$RUNS" \
    -n "leakproof --version" "$LP --version" \
    -n "scan 6 B, warm cache" "$SCAN"
  hyperfine --runs "$COLD_RUNS" --prepare "rm -rf $CACHE" \
    -n "scan 6 B, cold cache" "$SCAN"
else
  echo "startup.sh: hyperfine not found (apt-get install hyperfine); plain timings" >&2
  median_ms() {  # median wall time of "$@" over RUNS runs, in ms
    local times=()
    for ((i = 0; i < RUNS; i++)); do
      local t0 t1
      t0=$(date +%s%N)
      "$@" >/dev/null
      t1=$(date +%s%N)
      times+=($(((t1 - t0) / 1000000)))
    done
    printf '%s\n' "${times[@]}" | sort -n | sed -n "$((RUNS / 2 + 1))p"
  }
  echo "--version:             $(median_ms $LP --version) ms (median of $RUNS)"
  echo "scan 6 B, warm cache:  $(median_ms $SCAN) ms (median of $RUNS)"
  RUNS=$COLD_RUNS
  cold() { rm -rf "$CACHE"; $SCAN; }
  echo "scan 6 B, cold cache:  $(median_ms cold) ms (median of $COLD_RUNS)"
fi
