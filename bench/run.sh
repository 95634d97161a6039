#!/usr/bin/env bash
# leakproof throughput benchmark: one run, same corpus, same conditions, against
#   cat (I/O floor), the raw Hyperscan harness (practical limit), ripgrep and YARA,
# plus start-up time (hyperfine) with a warm and a cold database cache.
#
#   bench/run.sh                       # everything (builds the corpus on first use)
#   ROUNDS=5 bench/run.sh              # more rounds of the fast tools (median is reported)
#   SKIP_RG=1 SKIP_YARA=1 bench/run.sh # leave out the slow peers
#
# Environment:
#   LEAKPROOF     leakproof binary (default: build/cli/leakproof, then build-bench/cli/leakproof)
#   THREADS       worker threads for every tool (default 2)
#   ROUNDS        rounds of cat / leakproof / raw Hyperscan (default 3; median reported)
#   SLOW_ROUNDS   rounds of ripgrep / YARA (default 1; ripgrep takes minutes; run after the rest)
#   TOOL_TIMEOUT  seconds before one tool run is killed and reported as timed out (1800)
#   SEED          seed for plant-keys.py (1)
#   LP_SCAN_ARGS  extra arguments for `leakproof scan` (default none)
#   LP_RULE_ARGS  rule selection for `rules list` and `scan` (default: the built-in pack)
#   RG_TIMEOUT    seconds for the ripgrep run (default TOOL_TIMEOUT)
# Output: a table on stdout, and bench/work/results/<UTC time>/ with every raw output,
# results.json and results.md.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(dirname "$BENCH")"
WORK="$BENCH/work"
CORPUS="$BENCH/corpus"
THREADS="${THREADS:-2}"
ROUNDS="${ROUNDS:-3}"
SLOW_ROUNDS="${SLOW_ROUNDS:-1}"
TOOL_TIMEOUT="${TOOL_TIMEOUT:-1800}"
SEED="${SEED:-1}"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="$WORK/results/$STAMP"

say() { echo "run.sh: $*" >&2; }
die() { echo "run.sh: ERROR: $*" >&2; exit 2; }
need() { command -v "$1" >/dev/null || die "'$1' not found: $2"; }

# ---------------------------------------------------------------- tools
need python3 "apt-get install python3"
[[ -x /usr/bin/time ]] || die "/usr/bin/time not found: apt-get install time"
need timeout "apt-get install coreutils"
need find "apt-get install findutils"
HAVE_RG=1;   command -v rg >/dev/null   || { HAVE_RG=0;   say "ripgrep not found (apt-get install ripgrep): its row is skipped"; }
HAVE_YARA=1; { command -v yara >/dev/null && command -v yarac >/dev/null; } || { HAVE_YARA=0; say "yara not found (apt-get install yara): its row is skipped"; }
HAVE_HF=1;   command -v hyperfine >/dev/null || { HAVE_HF=0; say "hyperfine not found (apt-get install hyperfine): start-up time is skipped"; }
[[ "${SKIP_RG:-0}" == 1 ]] && HAVE_RG=0
[[ "${SKIP_YARA:-0}" == 1 ]] && HAVE_YARA=0

if [[ -z "${LEAKPROOF:-}" ]]; then
  for c in "$REPO/build/cli/leakproof" "$REPO/build-bench/cli/leakproof"; do
    [[ -x "$c" ]] && { LEAKPROOF="$c"; break; }
  done
fi
[[ -n "${LEAKPROOF:-}" && -x "$LEAKPROOF" ]] || die "leakproof binary not found; build it:
  cmake -S $REPO -B $REPO/build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release && cmake --build $REPO/build-bench -j1 --target leakproof
or set LEAKPROOF=/path/to/leakproof"
LEAKPROOF="$(cd "$(dirname "$LEAKPROOF")" && pwd)/$(basename "$LEAKPROOF")"
if ! timeout 30 "$LEAKPROOF" scan --help >/dev/null 2>&1; then
  die "'$LEAKPROOF scan --help' fails: is the scan command built?"
fi
SCAN_HELP="$(timeout 30 "$LEAKPROOF" scan --help 2>&1 || true)"
JFLAG=()
if grep -qE '(^|[ ,])-j' <<<"$SCAN_HELP"; then JFLAG=(-j "$THREADS");
elif grep -q -- '--threads' <<<"$SCAN_HELP"; then JFLAG=(--threads "$THREADS");
else say "leakproof scan has no -j/--threads option: it runs with its default"; fi
read -r -a EXTRA <<<"${LP_SCAN_ARGS:-}"
# LP_RULE_ARGS: rule selection for both `rules list` and `scan`, e.g.
#   LP_RULE_ARGS="--no-builtin-rules --rules rules/builtin/a.toml ..." (a binary built before the rules)
read -r -a RULEARGS <<<"${LP_RULE_ARGS:-}"
EXTRA+=("${RULEARGS[@]}")
# bench/corpus is git-ignored: a scanner that honours .gitignore must be told not to.
for f in --no-ignore --no-gitignore; do
  if grep -qE -- "(^|[ ,])$f([ ,=]|\$)" <<<"$SCAN_HELP"; then EXTRA+=("$f"); say "passing $f (bench/corpus is git-ignored)"; break; fi
done

mkdir -p "$OUT"
say "results go to $OUT"

# ---------------------------------------------------------------- corpus, rules, keys
"$BENCH/make-corpus.sh" >&2
python3 "$BENCH/rules.py" --leakproof "$LEAKPROOF" --out "$WORK" \
  $([[ $HAVE_RG == 1 ]] && echo --rg) $([[ $HAVE_YARA == 1 ]] && echo --yara) 2>&1 | tee "$OUT/rules.log" >&2
python3 "$BENCH/plant-keys.py" --leakproof "$LEAKPROOF" --seed "$SEED" 2>&1 | tee "$OUT/plant.log" >&2
cp "$WORK/rules.json" "$WORK/planted-manifest.jsonl" "$WORK/planted-manifest-summary.json" "$OUT/"
"$BENCH/build-raw.sh" >&2
if [[ $HAVE_YARA == 1 ]]; then
  yarac -w "$WORK/rules.yar" "$WORK/rules.yarc" || die "yarac failed on $WORK/rules.yar"
fi

FILES=$(find "$CORPUS" -type f | wc -l)
BYTES=$(find "$CORPUS" -type f -printf '%s\n' | awk '{s+=$1} END {print s+0}')
say "corpus: $FILES files, $BYTES bytes under $CORPUS"

# ---------------------------------------------------------------- measuring
MEAS="$OUT/measurements.tsv"
printf 'tool\tround\twall_s\tmaxrss_kb\texit\n' > "$MEAS"

# measure NAME ROUND STDOUT-FILE CMD...: wall time, peak RSS and exit status via time -v.
measure() {
  local name="$1" round="$2" stdout="$3"; shift 3
  local tf="$OUT/time-$name-$round.txt"
  local rc=0
  /usr/bin/time -v -o "$tf" timeout -k 10 "$TOOL_TIMEOUT" "$@" > "$stdout" 2> "$OUT/stderr-$name-$round.txt" || rc=$?
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$tf")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tf")
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$round" "${wall:-nan}" "${rss:-0}" "$rc" >> "$MEAS"
  say "$(printf '%-10s round %s: %8.2f s  %7s kB peak  exit %s' "$name" "$round" "${wall:-0}" "${rss:-?}" "$rc")"
}

# Start-up is timed on an empty regular file (a device like /dev/null is rejected by design).
EMPTY_INPUT="$WORK/empty-input.txt"
: > "$EMPTY_INPUT"
say "warming the page cache (cat of every file)"
find "$CORPUS" -type f -print0 | xargs -0 cat > /dev/null
say "warming leakproof's database cache"
timeout 300 "$LEAKPROOF" scan $EMPTY_INPUT "${RULEARGS[@]}" > /dev/null 2>&1 || true
# The raw harness keeps its compiled database the same way (first run compiles).
rm -f "$WORK/hs_raw.hsdb"
mkdir -p "$WORK/empty-dir"
timeout 600 "$WORK/hs_raw" -j "$THREADS" --db-cache "$WORK/hs_raw.hsdb" "$WORK/patterns.txt" "$WORK/empty-dir" \
  > /dev/null 2>&1 || say "hs_raw could not compile the patterns (see the table)"

# The small rule set (bench/small-rules.txt) for issue 3's "full pack within 10% of the
# small set" comparison; skipped with SKIP_SMALL=1 or when LP_RULE_ARGS picks the rules.
SMALL_ARGS=()
if [[ "${SKIP_SMALL:-0}" != 1 && -z "${LP_RULE_ARGS:-}" ]]; then
  SMALL_ARGS=(--no-builtin-rules)
  while read -r provider; do
    [[ -z "$provider" || "$provider" == \#* ]] && continue
    SMALL_ARGS+=(--rules "$REPO/rules/builtin/$provider.toml")
  done < "$BENCH/small-rules.txt"
  timeout 300 "$LEAKPROOF" scan $EMPTY_INPUT "${SMALL_ARGS[@]}" > /dev/null 2>&1 || true
  "$LEAKPROOF" rules list --format json "${SMALL_ARGS[@]}" 2>/dev/null \
    | python3 -c 'import json,sys; d=json.load(sys.stdin); r=d.get("rules", d); print(len(r))' \
    > "$OUT/small-rules-count.txt" || true
fi

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
for ((r = 1; r <= ROUNDS; r++)); do
  measure cat "$r" /dev/null sh -c 'find "$1" -type f -print0 | xargs -0 cat' sh "$CORPUS"
  measure leakproof "$r" "$OUT/leakproof-$r.json" "$LEAKPROOF" scan "$CORPUS" --format json "${JFLAG[@]}" "${EXTRA[@]}"
  if [[ ${#SMALL_ARGS[@]} -gt 0 ]]; then
    measure leakproof_small "$r" /dev/null "$LEAKPROOF" scan "$CORPUS" --format json --fail-on none \
      "${JFLAG[@]}" "${EXTRA[@]}" "${SMALL_ARGS[@]}"
  fi
  measure hs_raw "$r" "$OUT/hs_raw-$r.txt" "$WORK/hs_raw" -j "$THREADS" --db-cache "$WORK/hs_raw.hsdb" \
    --hits "$OUT/hs_raw-hits-$r.tsv" "$WORK/patterns.txt" "$CORPUS"
done

# ---------------------------------------------------------------- start-up time
COLD_HOW=""
if [[ $HAVE_HF == 1 ]]; then
  COLD_DIR="$WORK/cold-cache"
  PREP=()
  if grep -q -- '--no-cache' <<<"$SCAN_HELP"; then
    COLD_CMD="$LEAKPROOF scan --no-cache $EMPTY_INPUT ${LP_RULE_ARGS:-}"; COLD_HOW="--no-cache"
  elif grep -q -- '--cache-dir' <<<"$SCAN_HELP"; then
    COLD_CMD="$LEAKPROOF scan --cache-dir $COLD_DIR $EMPTY_INPUT ${LP_RULE_ARGS:-}"; COLD_HOW="--cache-dir emptied before each run"
    PREP=(--prepare "rm -rf $COLD_DIR")
  else
    # No documented switch: point the XDG cache at an empty directory each run.
    COLD_CMD="env XDG_CACHE_HOME=$COLD_DIR $LEAKPROOF scan $EMPTY_INPUT ${LP_RULE_ARGS:-}"; COLD_HOW="XDG_CACHE_HOME emptied before each run (assumed cache location)"
    PREP=(--prepare "rm -rf $COLD_DIR")
  fi
  say "start-up, warm cache: $LEAKPROOF scan $EMPTY_INPUT"
  timeout 600 hyperfine -N -i --warmup 3 --runs 20 --export-json "$OUT/startup-warm.json" \
    "$LEAKPROOF scan $EMPTY_INPUT ${LP_RULE_ARGS:-}" > "$OUT/startup-warm.txt" 2>&1 || say "hyperfine (warm) failed: see $OUT/startup-warm.txt"
  say "start-up, cold cache ($COLD_HOW): ${COLD_CMD:0:160}"
  timeout 600 hyperfine -N -i --runs 10 "${PREP[@]}" --export-json "$OUT/startup-cold.json" \
    "$COLD_CMD" > "$OUT/startup-cold.txt" 2>&1 || say "hyperfine (cold) failed: see $OUT/startup-cold.txt"
fi

# The slow peers last, so a run cut short still has the main numbers.
for ((r = 1; r <= SLOW_ROUNDS; r++)); do
  if [[ $HAVE_YARA == 1 ]]; then
    measure yara "$r" "$OUT/yara-$r.txt" yara -w -r -p "$THREADS" -C "$WORK/rules.yarc" "$CORPUS"
  fi
  if [[ $HAVE_RG == 1 ]]; then
    TOOL_TIMEOUT="${RG_TIMEOUT:-$TOOL_TIMEOUT}" measure rg "$r" "$OUT/rg-$r.txt" rg -f "$WORK/rg-patterns.txt" --no-unicode -c --no-ignore --hidden \
      --no-messages -j "$THREADS" "$CORPUS"
  fi
done
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------- scoring and the table
score() {  # score TOOL OUTPUT [extra args]
  local tool="$1" file="$2"; shift 2
  [[ -s "$file" || "$tool" != leakproof ]] || { echo '{}'; return; }
  python3 "$BENCH/score.py" --manifest "$WORK/planted-manifest.jsonl" --rules "$WORK/rules.json" \
    --tool "$tool" "$@" "$file" 2>>"$OUT/score.log" || echo '{}'
}
{
  echo "leakproof $(score leakproof "$OUT/leakproof-1.json")"
  echo "hs_raw $(score hs_raw "$OUT/hs_raw-hits-1.tsv" --patterns-ids "$WORK/patterns-ids.txt")"
  [[ $HAVE_YARA == 1 ]] && echo "yara $(score yara "$OUT/yara-1.txt")"
  [[ $HAVE_RG == 1 ]] && echo "rg $(score rg "$OUT/rg-1.txt")"
  true
} > "$OUT/scores.txt"

python3 "$BENCH/report.py" --out "$OUT" --bytes "$BYTES" --files "$FILES" --threads "$THREADS" \
  --leakproof "$LEAKPROOF" --load-before "$LOAD_BEFORE" --load-after "$LOAD_AFTER" \
  --cold-how "$COLD_HOW" | tee "$OUT/results.md"
say "raw outputs and results.md/results.json in $OUT"
