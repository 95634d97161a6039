#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (scanner-only, ASan+UBSan) and fuzzes each
# parser for a fixed time. New corpus entries go to a scratch directory, never into
# the committed corpus; crashes are written to build-fuzz/crashes/<target>/ so they can
# be minimised and committed under tests/fuzz/regressions/<target>/.
#
#   scripts/fuzz.sh [--seconds N] [--parallel P] [target ...]
#
# Default: every parser target, 600 s each, two at a time (the machine has 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=600
parallel=2
targets=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --parallel) parallel="$2"; shift 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
if [[ ${#targets[@]} -eq 0 ]]; then
  targets=(zip dex arsc axml hermes bplist macho sourcemap elf dotnet base64 jsescape keystore)
fi

build=build-fuzz
CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DLEAKPROOF_FUZZ=ON -DLEAKPROOF_BUILD_PROXY=OFF >/dev/null
ninja -C "$build" $(printf 'fuzz_%s ' "${targets[@]}") >/dev/null

run_one() {
  local name="$1"
  local scratch="$build/corpus/$name" crashes="$build/crashes/$name"
  mkdir -p "$scratch" "$crashes"
  local log="$build/fuzz-$name.log"
  if "$build/tests/fuzz/fuzz_$name" -max_total_time="$seconds" -rss_limit_mb=2048 \
      -timeout=10 -artifact_prefix="$crashes/" "$scratch" "tests/fuzz/corpus/$name" \
      "tests/fuzz/regressions/$name" >"$log" 2>&1; then
    echo "$name: ok ($(grep -Eo 'Done [0-9]+ runs' "$log" | tail -1) in ${seconds}s," \
      "corpus $(ls "$scratch" | wc -l) new inputs)"
  else
    echo "$name: FAILED, see $log and $crashes/"
    return 1
  fi
}

status=0
running=0
for name in "${targets[@]}"; do
  mkdir -p "tests/fuzz/regressions/$name"
  run_one "$name" &
  running=$((running + 1))
  if [[ $running -ge $parallel ]]; then
    wait -n || status=1
    running=$((running - 1))
  fi
done
while [[ $running -gt 0 ]]; do
  wait -n || status=1
  running=$((running - 1))
done
exit $status
