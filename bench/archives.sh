#!/usr/bin/env bash
# Compressed containers: how fast leakproof scans a 100 MB .tar.gz and a 100 MB .br of
# the bench corpus against the decompressor alone writing to /dev/null (`tar xzOf`,
# `brotli -dc`), in one run. leakproof inflates once, streaming, and scans members on
# THREADS workers; the decompressor is the floor it cannot beat on one stream.
#
#   bench/archives.sh                 # uses bench/corpus/npm (bench/make-corpus.sh)
#   SRC=/some/node_modules bench/archives.sh   # any tree of .js when there is no corpus
#
# Environment: LEAKPROOF (default build/cli/leakproof), THREADS (2), ROUNDS (3, median
# reported), MB (100: size of the uncompressed input). Output: a table on stdout and
# bench/work/archives/<UTC time>/ with the inputs' sizes and every run's seconds.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(dirname "$BENCH")"
LEAKPROOF="${LEAKPROOF:-$REPO/build/cli/leakproof}"
THREADS="${THREADS:-2}"
ROUNDS="${ROUNDS:-3}"
MB="${MB:-100}"
SRC="${SRC:-$BENCH/corpus/npm}"
OUT="$BENCH/work/archives/$(date -u +%Y%m%dT%H%M%SZ)"
say() { echo "archives.sh: $*" >&2; }
die() { echo "archives.sh: ERROR: $*" >&2; exit 2; }
for t in tar gzip brotli python3; do command -v "$t" >/dev/null || die "'$t' not found (scripts/install-deps.sh)"; done
[[ -x "$LEAKPROOF" ]] || die "no leakproof binary at $LEAKPROOF (cmake --build build --target leakproof)"
[[ -d "$SRC" ]] || die "no corpus at $SRC: run bench/make-corpus.sh, or set SRC to a tree of .js files"
mkdir -p "$OUT"
IN="$OUT/in"
mkdir -p "$IN/tree"

# ---------------------------------------------------------------- inputs
# MB of the corpus's .js files (repeated under copyN/ when the corpus is smaller), as a
# tree for the tarball and concatenated into one bundle for brotli.
want=$((MB * 1024 * 1024))
python3 - "$SRC" "$IN/tree" "$IN/bundle.js" "$want" <<'PY'
import os, shutil, sys
src, tree, bundle, want = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
files = sorted(os.path.join(d, f) for d, _, fs in os.walk(src) for f in fs
               if f.endswith((".js", ".mjs", ".cjs")))
if not files:
    sys.exit("archives.sh: no .js files under " + src)
total, copy = 0, 0
with open(bundle, "wb") as b:
    while total < want:
        for f in files:
            if total >= want:
                break
            dst = os.path.join(tree, "copy%d" % copy, os.path.relpath(f, src))
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copyfile(f, dst)
            data = open(f, "rb").read()
            b.write(data + b"\n")
            total += len(data)
        copy += 1
PY
tar -czf "$IN/corpus.tar.gz" -C "$IN/tree" .
brotli -q 6 -c "$IN/bundle.js" > "$IN/bundle.js.br"
rm -rf "$IN/tree"
RAW=$(stat -c %s "$IN/bundle.js")
{
  echo "uncompressed: $RAW bytes"
  echo "corpus.tar.gz: $(stat -c %s "$IN/corpus.tar.gz") bytes"
  echo "bundle.js.br: $(stat -c %s "$IN/bundle.js.br") bytes"
} | tee "$OUT/inputs.txt" >&2

# ---------------------------------------------------------------- runs
# Median wall seconds of ROUNDS runs of "$@" (stdout to /dev/null).
median() {
  local name=$1; shift
  local times=()
  for _ in $(seq "$ROUNDS"); do
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>>"$OUT/$name.stderr" || true
    t1=$(date +%s.%N)
    times+=("$(echo "$t1 - $t0" | bc -l)")
  done
  printf '%s\n' "${times[@]}" > "$OUT/$name.seconds"
  printf '%s\n' "${times[@]}" | sort -g | sed -n "$(((ROUNDS + 1) / 2))p"
}
command -v bc >/dev/null || die "'bc' not found (apt-get install bc)"
LP=("$LEAKPROOF" scan --threads "$THREADS" --fail-on none --format json)
declare -A SEC
SEC[tar]=$(median tar tar -xzOf "$IN/corpus.tar.gz")
SEC[lp_tgz]=$(median lp_tgz "${LP[@]}" "$IN/corpus.tar.gz")
SEC[brotli]=$(median brotli brotli -dc "$IN/bundle.js.br")
SEC[lp_br]=$(median lp_br "${LP[@]}" "$IN/bundle.js.br")
SEC[lp_plain]=$(median lp_plain "${LP[@]}" "$IN/bundle.js")

rate() { echo "scale=1; $RAW / 1048576 / $1" | bc -l; }
{
  echo "| input ($((RAW / 1048576)) MB uncompressed) | tool | seconds | MB/s (uncompressed) |"
  echo "|---|---|---|---|"
  echo "| corpus.tar.gz | tar xzOf > /dev/null | ${SEC[tar]} | $(rate "${SEC[tar]}") |"
  echo "| corpus.tar.gz | leakproof scan | ${SEC[lp_tgz]} | $(rate "${SEC[lp_tgz]}") |"
  echo "| bundle.js.br | brotli -dc > /dev/null | ${SEC[brotli]} | $(rate "${SEC[brotli]}") |"
  echo "| bundle.js.br | leakproof scan | ${SEC[lp_br]} | $(rate "${SEC[lp_br]}") |"
  echo "| bundle.js (plain) | leakproof scan | ${SEC[lp_plain]} | $(rate "${SEC[lp_plain]}") |"
} | tee "$OUT/results.md"
say "results in $OUT (threads $THREADS, median of $ROUNDS)"
rm -rf "$IN"
