#!/usr/bin/env bash
# Sharded scans: throughput per core, and how evenly `--shard K/N` splits the work.
#
#   bench/shard.sh                 # SRC=bench/corpus/planted (bench/run.sh plants keys), 150 MB
#   SRC=dir SIZE_MB=300 SHARDS="1 3 7" bench/shard.sh
#
# For each N in SHARDS it runs the N shards one after another, each with -j 1 (one pod with
# one core), and reports: MB/s per core (bytes / sum of shard times), the slowest shard's
# time (the wall time of N pods in parallel), the balance (slowest / mean), and checks that
# the shards' findings add up to the full scan's. Plus one full scan with -j 1 and -j 2
# for the per-core rate of one process. Inputs go through --inputs-from (a list of the
# first SIZE_MB of files in path order). Machines here are shared: read ratios, not
# absolutes, and compare only within one run.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH")"
LEAKPROOF="${LEAKPROOF:-$ROOT/build/cli/leakproof}"
SRC="${SRC:-$BENCH/corpus/planted}"
SIZE_MB="${SIZE_MB:-150}"
SHARDS="${SHARDS:-1 3 7}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

die() { echo "shard.sh: $*" >&2; exit 2; }
[[ -x "$LEAKPROOF" ]] || die "no leakproof binary at $LEAKPROOF (set LEAKPROOF=)"
[[ -d "$SRC" ]] || die "no corpus at $SRC (run bench/run.sh once, or bench/make-corpus.sh and SRC=bench/corpus/npm)"
command -v python3 >/dev/null || die "python3 not found"

# The input list: files in path order until SIZE_MB.
read -r FILES BYTES < <(python3 - "$SRC" "$SIZE_MB" "$WORK/inputs.txt" <<'PY'
import os, sys
src, limit, out = sys.argv[1], int(sys.argv[2]) * 10**6, sys.argv[3]
files = sorted(os.path.join(d, f) for d, _, fs in os.walk(src) for f in fs)
total, chosen = 0, []
for f in files:
    if total >= limit:
        break
    if "\n" in f or not os.path.isfile(f) or os.path.islink(f):
        continue
    total += os.path.getsize(f)
    chosen.append(f)
open(out, "w").write("".join(f + "\n" for f in chosen))
print(len(chosen), total)
PY
)
echo "corpus: $FILES files, $((BYTES / 1000000)) MB from $SRC"
"$LEAKPROOF" scan -q --fail-on none --allow-incomplete - </dev/null >/dev/null  # rule cache warm

# run OUT ARGS...: one scan to JSONL; prints its wall seconds.
run() {
  local out="$1"; shift
  local t0 t1
  t0=$(date +%s.%N)
  "$LEAKPROOF" scan -q --fail-on none --allow-incomplete --format jsonl -o "$out" \
    --inputs-from "$WORK/inputs.txt" "$@"
  t1=$(date +%s.%N)
  python3 -c "print(f'{$t1 - $t0:.2f}')"
}
findings() { grep -c '"type":"finding"' "$1" || true; }

printf '\n%-22s %8s %10s %12s %9s %9s\n' "run" "shards" "wall s" "MB/s/core" "balance" "findings"
for j in 1 2; do
  s=$(run "$WORK/full-j$j.jsonl" -j "$j")
  mbps=$(python3 -c "print(f'{$BYTES / 1e6 / $s / $j:.1f}')")
  printf '%-22s %8s %10s %12s %9s %9s\n' "full scan -j $j" 1 "$s" "$mbps" "-" \
    "$(findings "$WORK/full-j$j.jsonl")"
done
FULL=$(findings "$WORK/full-j1.jsonl")
for n in $SHARDS; do
  times=()
  total=0
  for ((k = 0; k < n; k++)); do
    t=$(run "$WORK/shard-$k-of-$n.jsonl" -j 1 --shard "$k/$n")
    times+=("$t")
    total=$((total + $(findings "$WORK/shard-$k-of-$n.jsonl")))
  done
  read -r slowest sum balance < <(python3 -c "
t = [$(IFS=,; echo "${times[*]}")]
print(f'{max(t):.2f} {sum(t):.2f} {max(t) / (sum(t) / len(t)):.2f}')")
  mbps=$(python3 -c "print(f'{$BYTES / 1e6 / $sum:.1f}')")
  status=$([[ "$total" == "$FULL" ]] && echo "$total" || echo "$total != $FULL")
  printf '%-22s %8s %10s %12s %9s %9s\n' "shards, 1 core each" "$n" "$slowest" "$mbps" "$balance" "$status"
  [[ "$total" == "$FULL" ]] || die "shards found $total findings, the full scan $FULL"
done
echo
echo "wall s of a sharded run: its slowest shard (N pods in parallel); MB/s/core: bytes over"
echo "the summed shard times; balance: slowest shard / mean shard (1.00 = perfectly even)."
