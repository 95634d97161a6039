#!/usr/bin/env bash
# Every SARIF `leakproof scan` writes must pass the official SARIF 2.1.0 schema (and the
# placement checks in validate.mjs): the scan of samples/ (archives, source maps, binaries)
# and generated cases: an archive member, a source map, names with spaces and '#', a './'
# relative path, an absolute path outside the working directory, stdin, a run with no
# findings, a run with diagnostics and a `leakproof git` run
# (versionControlProvenance). Usage: sarif_schema.sh PATH/TO/leakproof [CACHE_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${1:?usage: sarif_schema.sh PATH/TO/leakproof [CACHE_DIR]}
export XDG_CACHE_HOME=${2:-${XDG_CACHE_HOME:-$HOME/.cache}}
"$here/install.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out="$work/out"
mkdir -p "$out" "$work/repo/src/with space" "$work/outside"

# scan PATH... -> $out/NAME.sarif; the exit code must be one of those allowed (1 findings,
# 2 error, 3 incomplete).
scan() {
  local name=$1 allowed=$2
  shift 2
  local rc=0
  "$bin" scan --format sarif --sort --no-progress -o "$out/$name.sarif" "$@" || rc=$?
  if [[ " $allowed " != *" $rc "* ]]; then
    echo "scan $name: exit $rc, expected one of: $allowed" >&2
    exit 1
  fi
}

# Fake keys built from pieces (never a real credential); the GitHub token shape is in
# the built-in pack.
gh="ghp_$(printf 'R8mK2xQ9vLp4TzW7nYb3')HcJ6dF1sA5gE0uNi"
maps="AIza$(printf 'SyD4kX9mQ2vL7pR3tW8n')B6cF1hJ5gK0uYeZ"

(cd "$root" && scan samples "1" samples)

cd "$work/repo"
printf 'const a = 1;\nconst t = "%s";\n' "$gh" >"src/with space/a#1.js"
printf 'fetch("https://maps.googleapis.com/maps/api/js?key=%s")\n' "$maps" >src/plain.js
mkdir -p pkg && (cd pkg && cp ../src/plain.js config.js && zip -q -r ../bundle.zip config.js)
printf '{"version":3,"sources":["src/api/client.ts"],"names":[],"mappings":"AAAA","sourcesContent":["\\nexport const token = \\"%s\\";\\n"]}\n' \
  "$gh" >main.js.map
printf 'const t = "%s";\n' "$gh" >"$work/outside/abs path.js"
printf 'console.log("nothing here");\n' >clean.js
printf 'PK\003\004 truncated archive' >broken.zip

scan spaces_hash 1 "./src/with space/a#1.js"
scan dot_relative "0 1" ./src/plain.js
scan archive_member "0 1" bundle.zip
scan source_map 1 ./main.js.map
scan absolute_outside 1 "$work/outside/abs path.js"
scan absolute_inside "0 1" "$work/repo/src/plain.js"
scan clean 0 clean.js
scan diagnostics 3 broken.zip  # incomplete: exit 3
scan missing_input 2 does-not-exist.js
printf 'token=%s\n' "$gh" | scan stdin 1 -

# `leakproof git`: versionControlProvenance from an origin with credentials (never
# published) and per-result commit properties.
git init -q "$work/gitrepo"
(cd "$work/gitrepo" && printf 'const t = "%s";\n' "$gh" >k.js && git add k.js &&
  git -c user.name=Sarif -c user.email=sarif@example.com commit -qm key &&
  git remote add origin https://ci:tok@github.com/example/app.git)
rc=0
"$bin" git --format sarif --sort --no-progress -o "$out/git_history.sarif" "$work/gitrepo" || rc=$?
[ "$rc" = 1 ] || { echo "git history: exit $rc, expected 1" >&2; exit 1; }

# `leakproof merge -f sarif` over a json and a jsonl report (and a SARIF one): valid too.
"$bin" scan -q --sort --format json -o "$work/samples.json" "$root/samples" || true
"$bin" scan -q --sort --format jsonl -o "$work/map.jsonl" ./main.js.map || true
"$bin" merge -q -f sarif -o "$out/merged.sarif" "$work/samples.json" "$work/map.jsonl" \
  "$out/archive_member.sarif"

node "$here/validate.mjs" "$out"/*.sarif
# What the checks above rely on, spelled out for the generated cases.
node - "$out" <<'JS'
const fs = require('fs');
const dir = process.argv[2];
const read = (n) => JSON.parse(fs.readFileSync(`${dir}/${n}.sarif`, 'utf8')).runs[0];
const loc = (n) => read(n).results[0].locations[0];
const fail = (m) => { console.error(m); process.exit(1); };
const uri = (n) => loc(n).physicalLocation.artifactLocation.uri;
if (uri('spaces_hash') !== 'src/with%20space/a%231.js') fail(`spaces_hash uri ${uri('spaces_hash')}`);
if (uri('dot_relative') !== 'src/plain.js') fail(`dot_relative uri ${uri('dot_relative')}`);
if (uri('absolute_inside') !== 'src/plain.js') fail(`absolute_inside uri ${uri('absolute_inside')}`);
if (!/^file:\/\/\/.*\/outside\/abs%20path\.js$/.test(uri('absolute_outside'))) fail(`absolute_outside uri ${uri('absolute_outside')}`);
if (loc('spaces_hash').physicalLocation.region.startLine !== 2) fail('spaces_hash: no startLine 2');
const member = loc('archive_member');
if (uri('archive_member') !== 'bundle.zip' || member.logicalLocations[0].fullyQualifiedName !== 'bundle.zip!config.js')
  fail(`archive member location ${JSON.stringify(member)}`);
const map = loc('source_map');
if (map.logicalLocations[0].fullyQualifiedName !== 'main.js.map!src/api/client.ts' || map.logicalLocations[0].properties.line !== 2)
  fail(`source map location ${JSON.stringify(map)}`);
if (loc('stdin').physicalLocation !== undefined || loc('stdin').logicalLocations[0].name !== '<stdin>')
  fail(`stdin location ${JSON.stringify(loc('stdin'))}`);
if (read('clean').results.length !== 0) fail('clean run has results');
const notes = (n) => read(n).invocations[0].toolExecutionNotifications;
if (notes('missing_input').length === 0 || read('missing_input').invocations[0].executionSuccessful !== false)
  fail('missing input: no error notification');
if (notes('diagnostics').length === 0) fail('broken archive: no notification');
const tags = read('samples').tool.driver.rules.map((r) => r.properties.tags);
if (tags.length === 0 || tags.some((t) => new Set(t).size !== t.length)) fail('duplicate tags');
const vcs = read('git_history').versionControlProvenance;
if (!vcs || vcs[0].repositoryUri !== 'https://github.com/example/app.git' || !/^[0-9a-f]{40}$/.test(vcs[0].revisionId))
  fail(`git versionControlProvenance ${JSON.stringify(vcs)}`);
const gp = read('git_history').results[0].properties;
if (!/^[0-9a-f]{40}$/.test(gp.commit) || gp.author !== 'Sarif <sarif@example.com>') fail(`git properties ${JSON.stringify(gp)}`);
console.log('sarif generated cases: locations as documented');
JS
