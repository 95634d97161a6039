#!/usr/bin/env bash
# `leakproof git` against `git log -p | leakproof scan -` on a history of ~10k commits.
#
# Builds the repository once with `git fast-import` (COMMITS commits, default 10000; each
# edits 1-3 of FILES source files of ~2-6 KB, a few plant a fake key), or uses REPO=path
# (e.g. a real clone). Prints both wall times, the ratio, and what each read.
#   bench/git.sh                   # synthetic 10k-commit history under bench/git-repo
#   REPO=~/src/linux-clone bench/git.sh
# Knobs: LEAKPROOF (binary, default build/cli/leakproof), THREADS (2), COMMITS, FILES, SEED.
set -euo pipefail
cd "$(dirname "$0")/.."
lp=${LEAKPROOF:-build/cli/leakproof}
threads=${THREADS:-2}
commits=${COMMITS:-10000}
files=${FILES:-400}
seed=${SEED:-1}
[ -x "$lp" ] || { echo "no leakproof binary at $lp (build it, or set LEAKPROOF)"; exit 2; }
command -v git >/dev/null || { echo "git is required (apt-get install git)"; exit 2; }

repo=${REPO:-bench/git-repo}
if [ -z "${REPO:-}" ] && [ ! -d "$repo/.git" ]; then
  echo "building $repo: $commits commits over $files files (git fast-import)..."
  rm -rf "$repo" && git init -q "$repo"
  python3 - "$commits" "$files" "$seed" <<'PY' | git -C "$repo" fast-import --quiet
import random, sys
commits, files, seed = (int(a) for a in sys.argv[1:4])
rng = random.Random(seed)
words = ("const let return function await async import export from value item index "
         "config request response handler options result error data user token").split()
alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
def line():
    return " ".join(rng.choice(words) for _ in range(rng.randint(4, 12))) + ";\n"
content = {f"src/mod{i % 40}/file{i}.js": "".join(line() for _ in range(rng.randint(40, 120)))
           for i in range(files)}
out = sys.stdout.buffer
def emit(s): out.write(s.encode() if isinstance(s, str) else s)
for c in range(commits):
    changed = rng.sample(sorted(content), rng.randint(1, 3))
    for path in changed:
        body = content[path].splitlines(keepends=True)
        for _ in range(rng.randint(1, 4)):
            body.insert(rng.randrange(len(body) + 1), line())
        if c % 997 == 0:  # a fake GitHub-shaped key now and then
            body.append('const t = "ghp_' + "".join(rng.choice(alnum) for _ in range(36)) + '";\n')
        content[path] = "".join(body[-150:])
    msg = f"change {c}\n".encode()
    emit(f"commit refs/heads/main\nauthor Bench <bench@example.com> {1700000000 + c * 60} +0000\n"
         f"committer Bench <bench@example.com> {1700000000 + c * 60} +0000\n"
         f"data {len(msg)}\n")
    emit(msg)
    for path in changed:
        data = content[path].encode()
        emit(f"M 100644 inline {path}\ndata {len(data)}\n")
        emit(data)
        emit("\n")
    emit("\n")
PY
  git -C "$repo" reset -q --hard main
  git -C "$repo" gc -q --aggressive >/dev/null 2>&1 || git -C "$repo" gc -q
fi

ncommits=$(git -C "$repo" rev-list --count HEAD)
pack=$(du -sh "$repo/.git" | cut -f1)
echo "repository: $repo ($ncommits commits, .git $pack)"
"$lp" rules list >/dev/null 2>&1 || true  # warm the rule cache: neither side pays the compile

# Both sides walk HEAD's history. Wall and CPU (user+sys, children included) seconds: on
# a shared VM the wall time moves with the load; the CPU time says what each way costs.
TIMEFORMAT='%R %U %S'
{ time "$lp" git -j "$threads" --no-progress --format json --fail-on none \
    -o /tmp/leakproof-git.json "$repo" 2>/dev/null; } 2>/tmp/leakproof-git.time || true
{ time git -C "$repo" log -p --no-color | "$lp" scan -j "$threads" --no-progress \
    --format json --fail-on none -o /tmp/leakproof-logp.json - 2>/dev/null; } \
  2>/tmp/leakproof-logp.time || true
python3 - <<'PY'
import json
def times(path):
    wall, user, sys_ = (float(x) for x in open(path).read().split()[-3:])
    return wall, user + sys_
gw, gc = times("/tmp/leakproof-git.time")
lw, lc = times("/tmp/leakproof-logp.time")
g = json.load(open("/tmp/leakproof-git.json"))
l = json.load(open("/tmp/leakproof-logp.json"))
gi = g.get("git", {})
print(f"leakproof git           : {gw:7.2f} s wall, {gc:6.2f} s CPU  {gi.get('commits')} commits, "
      f"{gi.get('blobs_scanned')} distinct blobs of {gi.get('blob_refs')} changed, "
      f"{g['stats']['scanned_bytes'] / 1e6:.1f} MB scanned, {len(g['findings'])} findings")
print(f"git log -p | scan -     : {lw:7.2f} s wall, {lc:6.2f} s CPU  "
      f"{l['stats']['bytes'] / 1e6:.1f} MB of patches, {len(l['findings'])} findings")
print(f"ratio (log -p / git)    : {lw / gw:7.2f}x wall, {lc / gc:5.2f}x CPU")
PY
