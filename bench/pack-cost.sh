#!/usr/bin/env bash
# What the size of the rule pack costs at process level: leakproof scans the bench corpus
# with three rule selections, interleaved round by round so host noise hits all alike:
#   full    the built-in pack
#   no-kw   the pack without its keyword-anchored rules (bench/strip-keyword-rules.py):
#           the most a keyword pre-gate could win, since it cannot cost less than nothing
#   small   bench/small-rules.txt (issue 3's reference set)
# Prints min and median wall and user CPU seconds and each selection's speed against small.
#
#   bench/pack-cost.sh            # ROUNDS=7, THREADS=2, LEAKPROOF=build/cli/leakproof
set -euo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(dirname "$BENCH")"
WORK="$BENCH/work"
CORPUS="$BENCH/corpus"
ROUNDS="${ROUNDS:-7}"
THREADS="${THREADS:-2}"
LEAKPROOF="${LEAKPROOF:-$REPO/build/cli/leakproof}"
[[ -x "$LEAKPROOF" ]] || { echo "pack-cost: no leakproof binary at $LEAKPROOF (set LEAKPROOF)" >&2; exit 2; }
[[ -d "$CORPUS/npm" ]] || { echo "pack-cost: run bench/make-corpus.sh first" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "pack-cost: apt-get install time" >&2; exit 2; }

NOKW_DIR="$WORK/rules-no-keyword"
python3 "$BENCH/strip-keyword-rules.py" "$REPO/rules/builtin" "$NOKW_DIR" >&2
NOKW_ARGS=(--no-builtin-rules)
for f in "$NOKW_DIR"/*.toml; do NOKW_ARGS+=(--rules "$f"); done
SMALL_ARGS=(--no-builtin-rules)
while read -r provider; do
  [[ -z "$provider" || "$provider" == \#* ]] && continue
  SMALL_ARGS+=(--rules "$REPO/rules/builtin/$provider.toml")
done < "$BENCH/small-rules.txt"

run() {  # run NAME ARGS...: one scan, appends "NAME wall user" to $TIMES
  local name="$1"; shift
  /usr/bin/time -f "$name %e %U" -o "$WORK/pack-cost-time.txt" \
    "$LEAKPROOF" scan "$CORPUS" --format json --fail-on none -j "$THREADS" "$@" > /dev/null
  cat "$WORK/pack-cost-time.txt" >> "$TIMES"
}

mkdir -p "$WORK"
TIMES="$WORK/pack-cost-times.txt"
: > "$TIMES"
find "$CORPUS" -type f -print0 | xargs -0 cat > /dev/null  # warm the page cache
for args in "" "${NOKW_ARGS[*]}" "${SMALL_ARGS[*]}"; do  # warm the database caches
  # shellcheck disable=SC2086
  "$LEAKPROOF" scan "$WORK/pack-cost-time.txt" $args > /dev/null 2>&1 || true
done
for ((r = 1; r <= ROUNDS; r++)); do
  run full
  run no-kw "${NOKW_ARGS[@]}"
  run small "${SMALL_ARGS[@]}"
  echo "pack-cost: round $r of $ROUNDS done" >&2
done

python3 - "$TIMES" "$ROUNDS" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
by = {}
for name, wall, user in rows:
    by.setdefault(name, []).append((float(wall), float(user)))
small = by["small"]
ref = {"min": min(w for w, _ in small), "median": statistics.median(w for w, _ in small),
       "user": statistics.median(u for _, u in small)}
print(f"{sys.argv[2]} interleaved rounds; speed relative to the small set (1.00 = as fast)")
print(f"{'selection':<8} {'wall min':>9} {'wall median':>12} {'user median':>12} "
      f"{'rel. min':>9} {'rel. median':>12} {'rel. CPU':>9}")
for name in ("full", "no-kw", "small"):
    v = by[name]
    wmin, wmed = min(w for w, _ in v), statistics.median(w for w, _ in v)
    umed = statistics.median(u for _, u in v)
    print(f"{name:<8} {wmin:9.2f} {wmed:12.2f} {umed:12.2f} "
          f"{ref['min'] / wmin:9.2f} {ref['median'] / wmed:12.2f} {ref['user'] / umed:9.2f}")
PY
