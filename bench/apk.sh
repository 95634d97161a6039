#!/usr/bin/env bash
# Artifact benchmark: scanning a large APK should cost little more than inflating it.
#
#   bench/apk.sh            # builds bench/work/apk/big.apk on first use, then measures
#   ROUNDS=5 bench/apk.sh
#
# big.apk = the real members of samples/android/app.apk (AndroidManifest.xml, classes.dex,
# resources.arsc, META-INF/) + the planted corpus (bench/corpus/planted/*) as
# assets/planted/ + a large React-Native-like bundle assets/index.android.bundle and three
# large chunk members assets/bundles/chunk-N.js made of clean corpus JS; deflated with
# `zip -r -9`. Then, in one run, alternating: `unzip -p big.apk > /dev/null` (the inflate
# floor, one core) vs `leakproof scan big.apk --format json -jN`; prints both and the ratio
# (target: leakproof <= 1.3 x unzip), plus planted keys found inside the APK.
#
# Environment: LEAKPROOF, LP_RULE_ARGS (see run.sh), THREADS (2), ROUNDS (3), BUNDLE_MB (24), CHUNK_MB (6), TOOL_TIMEOUT (600)
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(dirname "$BENCH")"
WORK="$BENCH/work"
CORPUS="$BENCH/corpus"
THREADS="${THREADS:-2}"
ROUNDS="${ROUNDS:-3}"
BUNDLE_MB="${BUNDLE_MB:-24}"
CHUNK_MB="${CHUNK_MB:-6}"
TOOL_TIMEOUT="${TOOL_TIMEOUT:-600}"
APKDIR="$WORK/apk"
APK="$APKDIR/big.apk"
OUT="$WORK/results/apk-$(date -u +%Y%m%dT%H%M%SZ)"

say() { echo "apk.sh: $*" >&2; }
die() { echo "apk.sh: ERROR: $*" >&2; exit 2; }
for t in zip unzip python3 timeout; do
  command -v "$t" >/dev/null || die "'$t' not found (apt-get install zip unzip python3 coreutils)"
done
[[ -x /usr/bin/time ]] || die "/usr/bin/time not found: apt-get install time"
if [[ -z "${LEAKPROOF:-}" ]]; then
  for c in "$REPO/build/cli/leakproof" "$REPO/build-bench/cli/leakproof"; do
    [[ -x "$c" ]] && { LEAKPROOF="$c"; break; }
  done
fi
[[ -n "${LEAKPROOF:-}" && -x "$LEAKPROOF" ]] || die "leakproof binary not found (set LEAKPROOF=...; see bench/README.md)"
[[ -d "$CORPUS/npm" ]] || die "no corpus: run bench/make-corpus.sh first"
[[ -d "$CORPUS/planted" && -s "$WORK/planted-manifest.jsonl" ]] || die "no planted corpus: run bench/plant-keys.py (or bench/run.sh) first"
SCAN_HELP="$(timeout 30 "$LEAKPROOF" scan --help 2>&1 || true)"
JFLAG=()
if grep -qE '(^|[ ,])-j' <<<"$SCAN_HELP"; then JFLAG=(-j "$THREADS"); fi
read -r -a RULEARGS <<<"${LP_RULE_ARGS:-}"   # as in run.sh

# ---------------------------------------------------------------- build big.apk
if [[ ! -s "$APK" || "$WORK/planted-manifest.jsonl" -nt "$APK" ]]; then
  say "building $APK"
  rm -rf "$APKDIR/tree" "$APK"
  mkdir -p "$APKDIR/tree/assets/planted" "$APKDIR/tree/assets/bundles"
  if [[ -f "$REPO/samples/android/app.apk" ]]; then
    unzip -q -o "$REPO/samples/android/app.apk" -x 'assets/index.android.bundle' -d "$APKDIR/tree"
  else
    say "samples/android/app.apk not found: big.apk has no dex/arsc/manifest members"
  fi
  cp "$CORPUS"/planted/* "$APKDIR/tree/assets/planted/"
  # Bundle and chunks from the largest clean .js files (no planted key inside them).
  python3 - "$CORPUS/npm" "$APKDIR/tree/assets" "$BUNDLE_MB" "$CHUNK_MB" <<'PY'
import os, sys
root, dst, bundle_mb, chunk_mb = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
files = []
for d, _, names in os.walk(root):
    for n in names:
        if n.endswith((".js", ".mjs", ".cjs")):
            p = os.path.join(d, n)
            files.append((os.path.getsize(p), p))
files.sort(key=lambda t: (-t[0], t[1]))
def fill(path, limit):
    total = 0
    with open(path, "wb") as out:
        while files and total < limit:
            size, p = files.pop(0)
            with open(p, "rb") as f:
                out.write(f.read())
            out.write(b"\n;\n")
            total += size
    return total
b = fill(os.path.join(dst, "index.android.bundle"), bundle_mb * 1e6)
c = [fill(os.path.join(dst, "bundles", f"chunk-{i}.js"), chunk_mb * 1e6) for i in (1, 2, 3)]
print(f"apk.sh: bundle {b/1e6:.1f} MB, chunks {', '.join(f'{x/1e6:.1f}' for x in c)} MB", file=sys.stderr)
PY
  (cd "$APKDIR/tree" && zip -q -r -9 -X "$APK" .)
  rm -rf "$APKDIR/tree"
fi
APK_BYTES=$(stat -c %s "$APK")
RAW_BYTES=$(unzip -l "$APK" | tail -1 | awk '{print $1}')
MEMBERS=$(unzip -l "$APK" | tail -1 | awk '{print $2}')
say "big.apk: $MEMBERS members, $APK_BYTES bytes compressed, $RAW_BYTES bytes inflated"

# ---------------------------------------------------------------- measure
mkdir -p "$OUT"
MEAS="$OUT/measurements.tsv"
printf 'tool\tround\twall_s\tmaxrss_kb\texit\n' > "$MEAS"
measure() {
  local name="$1" round="$2" stdout="$3"; shift 3
  local tf="$OUT/time-$name-$round.txt" rc=0
  /usr/bin/time -v -o "$tf" timeout -k 10 "$TOOL_TIMEOUT" "$@" > "$stdout" 2> "$OUT/stderr-$name-$round.txt" || rc=$?
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$tf")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tf")
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$round" "${wall:-nan}" "${rss:-0}" "$rc" >> "$MEAS"
  say "$(printf '%-10s round %s: %8.2f s  %7s kB peak  exit %s' "$name" "$round" "${wall:-0}" "${rss:-?}" "$rc")"
}
cat "$APK" > /dev/null
timeout 300 "$LEAKPROOF" scan /dev/null "${RULEARGS[@]}" > /dev/null 2>&1 || true   # warm the database cache
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
for ((r = 1; r <= ROUNDS; r++)); do
  measure unzip "$r" /dev/null unzip -p "$APK"
  measure leakproof "$r" "$OUT/leakproof-$r.json" "$LEAKPROOF" scan "$APK" --format json "${JFLAG[@]}" "${RULEARGS[@]}"
done
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

SCORE='{}'
if [[ -s "$OUT/leakproof-1.json" && -s "$WORK/rules.json" ]]; then
  SCORE="$(python3 "$BENCH/score.py" --manifest "$WORK/planted-manifest.jsonl" --rules "$WORK/rules.json" \
    --tool leakproof "$OUT/leakproof-1.json" 2>>"$OUT/score.log" || echo '{}')"
fi
python3 - "$MEAS" "$RAW_BYTES" "$APK_BYTES" "$MEMBERS" "$SCORE" "$LOAD_BEFORE" "$LOAD_AFTER" "$OUT" <<'PY' | tee "$OUT/results.md"
import json, statistics, sys
meas, raw, comp, members, score, lb, la, out = sys.argv[1:]
raw, comp = int(raw), int(comp)
rows = {}
for line in open(meas).read().splitlines()[1:]:
    tool, r, wall, rss, rc = line.split("\t")
    rows.setdefault(tool, []).append((float(wall), int(rss or 0), int(rc)))
res = {"apk_bytes": comp, "inflated_bytes": raw, "members": int(members), "tools": {}}
print(f"big.apk: {members} members, {comp/1e6:.1f} MB compressed, {raw/1e6:.1f} MB inflated; "
      f"load average before {lb}, after {la}")
print()
print("| tool | wall s (median, min–max) | MB/s of inflated data | peak RSS MB | exit |")
print("|---|---|---|---|---|")
for tool, label in [("unzip", "`unzip -p big.apk > /dev/null`"), ("leakproof", "`leakproof scan big.apk`")]:
    runs = rows.get(tool, [])
    ok = [x for x in runs if x[2] in (0, 1)]
    if not ok:
        print(f"| {label} | failed (exit {sorted({x[2] for x in runs})}) | – | – | – |")
        continue
    w = statistics.median(x[0] for x in ok)
    rss = statistics.median(x[1] for x in ok) / 1024
    res["tools"][tool] = {"wall_s": w, "mbps": raw / 1e6 / w if w else None, "maxrss_mb": rss,
                          "walls": [x[0] for x in ok], "exit_codes": sorted({x[2] for x in runs})}
    print(f"| {label} | {w:.2f} ({min(x[0] for x in ok):.2f}–{max(x[0] for x in ok):.2f}) | "
          f"{raw/1e6/w:.1f} | {rss:.0f} | {sorted({x[2] for x in runs})} |")
print()
u, l = res["tools"].get("unzip"), res["tools"].get("leakproof")
if u and l:
    ratio = l["wall_s"] / u["wall_s"]
    res["ratio_leakproof_over_unzip"] = ratio
    print(f"- leakproof / unzip wall time: **{ratio:.2f}×** (target ≤ 1.30: {'met' if ratio <= 1.3 else 'NOT met'})")
try:
    s = json.loads(score)
except ValueError:
    s = {}
if s.get("keys_total"):
    res["score"] = s
    extra = ""
    if s.get("unlocated_findings"):
        extra = (f" (≤ {s['keys_found_upper_estimate']} counting {s['unlocated_findings']} findings "
                 f"reported with an empty path)")
    print(f"- planted keys found inside the APK: {s.get('keys_found')}/{s.get('keys_total')}{extra}; "
          f"located findings outside assets/planted/: {s.get('clean_findings')} "
          f"(the sample app's own keys in classes.dex/arsc/manifest are expected there)")
json.dump(res, open(f"{out}/results.json", "w"), indent=1)
PY
say "raw outputs in $OUT"
