#!/usr/bin/env bash
# Which rules slow the shared Hyperscan database down? Compiles each rule's regex alone and
# times one scan of an in-memory sample of the corpus (default 30 MB), slowest first, next
# to the time of all rules in one database. Single-threaded; numbers are relative.
#
#   bench/profile-rules.sh [SAMPLE_MB] [TOP]
# Needs bench/work/patterns.txt (bench/rules.py or bench/run.sh writes it) and the corpus.
set -euo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="$BENCH/work"
MB="${1:-30}"
TOP="${2:-25}"
[[ -s "$WORK/patterns.txt" && -s "$WORK/patterns-ids.txt" ]] || {
  echo "profile-rules: run bench/rules.py --leakproof BIN --out bench/work first" >&2; exit 2; }
[[ -d "$BENCH/corpus/npm" ]] || { echo "profile-rules: run bench/make-corpus.sh first" >&2; exit 2; }
"$BENCH/build-raw.sh" >&2
timeout 1200 "$WORK/hs_raw" --profile "$MB" "$WORK/patterns.txt" "$BENCH/corpus/npm" > "$WORK/profile.tsv"
python3 - "$WORK/profile.tsv" "$WORK/patterns-ids.txt" "$WORK/patterns.txt" "$TOP" <<'PY'
import sys
prof, ids, pats, top = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
ids = [l.split("\t")[0] for l in open(ids).read().splitlines()]
pats = open(pats).read().splitlines()
lines = open(prof).read().splitlines()
print(lines[0].split("\t", 4)[-1].strip("()"))
rows = [l.split("\t") for l in lines[1:]]
total = sum(float(r[0]) for r in rows)
print(f"sum of the {len(rows)} single-rule scan times: {total:.3f} s")
print(f"{'s':>7} {'MB/s':>8} {'matches':>8}  rule  regex")
for r in rows[:top]:
    i = int(r[3])
    print(f"{float(r[0]):7.4f} {float(r[1]):8.1f} {r[2]:>8}  {ids[i]}  {pats[i][:110]}")
PY
