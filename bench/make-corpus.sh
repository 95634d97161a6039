#!/usr/bin/env bash
# Build the benchmark corpus: real published JavaScript from the npm packages pinned in
# bench/corpus-packages.txt (plus their dependencies), keeping only .js/.mjs/.cjs/.map/.json.
#
#   bench/make-corpus.sh            # idempotent: does nothing if the corpus is complete
#   bench/make-corpus.sh --force    # rebuild
#
# Output:
#   bench/corpus/npm/<package>/...        the clean corpus (node_modules layout, flattened one level)
#   bench/work/corpus-info.txt            every installed package name@version, file count, bytes
#   bench/work/npm-install/               the npm project used to install (package.json + lock)
# If bench/npm-lock.json exists it is used (npm ci) so the dependency tree is reproducible;
# after a fresh resolve the lock is written to bench/work/npm-lock.json (copy it to bench/ to pin).
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LIST="$BENCH/corpus-packages.txt"
CORPUS="$BENCH/corpus/npm"
WORK="$BENCH/work"
INST="$WORK/npm-install"
INFO="$WORK/corpus-info.txt"
STAMP="$BENCH/corpus/.npm-complete"

die() { echo "make-corpus: $*" >&2; exit 2; }
for t in npm node find du sha256sum; do
  command -v "$t" >/dev/null || die "'$t' not found (apt-get install nodejs npm coreutils findutils)"
done
[[ -f "$LIST" ]] || die "missing $LIST"

FORCE=0
[[ "${1:-}" == "--force" ]] && FORCE=1

# The stamp records the hash of the package list (and the lock, if any): a changed list rebuilds.
want_hash="$( { grep -v '^\s*#' "$LIST" | sed '/^\s*$/d'; if [[ -f "$BENCH/npm-lock.json" ]]; then cat "$BENCH/npm-lock.json"; fi; } | sha256sum | cut -d' ' -f1)"
if [[ $FORCE == 0 && -f "$STAMP" && "$(cat "$STAMP")" == "$want_hash" && -d "$CORPUS" ]]; then
  echo "make-corpus: corpus present ($CORPUS), skipping (use --force to rebuild)"
  [[ -f "$INFO" ]] && tail -n 3 "$INFO"
  exit 0
fi

mkdir -p "$INST" "$WORK"
rm -f "$STAMP"

# package.json with every listed package as an exact dependency.
node - "$LIST" "$INST/package.json" <<'JS'
const fs = require('fs');
const [list, out] = process.argv.slice(2);
const deps = {};
for (let line of fs.readFileSync(list, 'utf8').split('\n')) {
  line = line.replace(/#.*/, '').trim();
  if (!line) continue;
  const at = line.lastIndexOf('@');
  if (at <= 0) { console.error(`make-corpus: bad line (want name@version): ${line}`); process.exit(2); }
  deps[line.slice(0, at)] = line.slice(at + 1);
}
fs.writeFileSync(out, JSON.stringify({ name: 'leakproof-bench-corpus', private: true,
  version: '0.0.0', dependencies: deps }, null, 2) + '\n');
console.log(`make-corpus: ${Object.keys(deps).length} packages listed`);
JS

NPM_FLAGS=(--ignore-scripts --no-audit --no-fund --legacy-peer-deps --omit=optional
           --omit=dev --loglevel=error --fetch-timeout=120000 --fetch-retries=3)
cd "$INST"
if [[ -f "$BENCH/npm-lock.json" ]]; then
  cp "$BENCH/npm-lock.json" package-lock.json
  echo "make-corpus: npm ci (pinned lock bench/npm-lock.json)"
  npm ci "${NPM_FLAGS[@]}"
else
  echo "make-corpus: npm install (resolving; this downloads a few hundred MB)"
  npm install "${NPM_FLAGS[@]}"
  cp package-lock.json "$WORK/npm-lock.json"
fi

echo "make-corpus: filtering to .js/.mjs/.cjs/.map/.json"
# Record every installed package (name@version) before the filter removes nothing we need:
# package.json files are .json and are kept anyway.
node - "$INST/node_modules" > "$WORK/corpus-packages-installed.txt" <<'JS'
const fs = require('fs'), path = require('path');
const root = process.argv[2], seen = new Set();
(function walk(dir) {
  let ents; try { ents = fs.readdirSync(dir, { withFileTypes: true }); } catch { return; }
  for (const e of ents) {
    if (!e.isDirectory() || e.name === '.bin' || e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.name.startsWith('@')) { walk(p); continue; }
    try {
      const pj = JSON.parse(fs.readFileSync(path.join(p, 'package.json'), 'utf8'));
      if (pj.name && pj.version) seen.add(`${pj.name}@${pj.version}`);
    } catch {}
    walk(path.join(p, 'node_modules'));
  }
})(root);
console.log([...seen].sort().join('\n'));
JS

rm -rf "$CORPUS"
mkdir -p "$(dirname "$CORPUS")"
mv "$INST/node_modules" "$CORPUS"
# Drop symlinks, everything that is not JS/JSON/source map, and empty directories.
find "$CORPUS" -type l -delete
find "$CORPUS" -type f ! \( -name '*.js' -o -name '*.mjs' -o -name '*.cjs' -o -name '*.map' -o -name '*.json' \) -delete
find "$CORPUS" -name .package-lock.json -delete
find "$CORPUS" -type d -empty -delete
chmod -R u+rwX,go+rX "$CORPUS"

files=$(find "$CORPUS" -type f | wc -l)
bytes=$(find "$CORPUS" -type f -printf '%s\n' | awk '{s+=$1} END {print s+0}')
npkg=$(wc -l < "$WORK/corpus-packages-installed.txt")
{
  echo "# leakproof bench corpus, built $(date -u +%FT%TZ) with npm $(npm --version), node $(node --version)"
  echo "# listed packages (bench/corpus-packages.txt):"
  grep -v '^\s*#' "$LIST" | sed '/^\s*$/d; s/^/#   /'
  echo "# installed packages including dependencies ($npkg):"
  cat "$WORK/corpus-packages-installed.txt"
  echo "packages: $npkg"
  echo "files: $files"
  echo "bytes: $bytes ($(awk -v b="$bytes" 'BEGIN{printf "%.1f MB", b/1e6}'))"
} > "$INFO"
echo "$want_hash" > "$STAMP"
echo "make-corpus: done: $npkg packages, $files files, $(awk -v b="$bytes" 'BEGIN{printf "%.1f MB", b/1e6}') in $CORPUS"
echo "make-corpus: details in $INFO"
