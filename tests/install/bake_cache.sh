#!/usr/bin/env bash
# scripts/bake-rule-cache.sh (the container image's build step) leaves a compiled rule
# database and no secret_hash key; a later run by another, unprivileged user with that
# read-only cache (as in the image) finds secrets, uses a per-run key, writes nothing
# there, and skips the cold compile (it takes under half the baking run's time; the real
# ratio is ~40x). Usage: bake_cache.sh PATH/TO/leakproof
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${1:?usage: bake_cache.sh PATH/TO/leakproof}
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
fail() { echo "bake_cache: $*" >&2; exit 1; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

cache="$work/cache"
t0=$(now_ms)
"$root/scripts/bake-rule-cache.sh" "$cache" "$bin" >/dev/null
cold=$(($(now_ms) - t0))
[ ! -e "$cache/leakproof/secret-hash.key" ] || fail "the baked cache holds a secret_hash key"
[ "$(ls "$cache"/leakproof/rules-*.hsdb | wc -l)" = 1 ] || fail "expected one rules-*.hsdb"
before=$(ls -l --time-style=+%s.%N "$cache/leakproof")

# The run: an unprivileged user (nobody when we are root), the cache not writable to it.
chmod 755 "$work"
mkdir -m 777 "$work/out"
if [ "$(id -u)" = 0 ]; then
  as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
else
  chmod -R a-w "$cache"
  as_user=()
fi
printf 'const t = "%s";\n' "ghp_$(printf 'R8mK2xQ9vLp4TzW7nYb3')HcJ6dF1sA5gE0uNi" >"$work/a.js"
chmod 644 "$work/a.js"
rc=0
t0=$(now_ms)
env XDG_CACHE_HOME="$cache" "${as_user[@]}" "$bin" scan -q --format json \
  -o "$work/out/r.json" "$work/a.js" || rc=$?
warm=$(($(now_ms) - t0))
[ "$rc" = 1 ] || fail "scan with the baked cache: exit $rc, expected 1"
grep -q '"github.personal-access-token"' "$work/out/r.json" || fail "the token was not found"
grep -q '"secret_hash_key": *"run"' "$work/out/r.json" || fail "secret_hash key is not per run"
[ "$(ls -l --time-style=+%s.%N "$cache/leakproof")" = "$before" ] ||
  fail "the run changed the baked cache"
[ $((warm * 2)) -lt "$cold" ] || fail "warm run ${warm} ms is not under half the cold ${cold} ms"
echo "bake_cache: ok (cold ${cold} ms, with the baked cache ${warm} ms)"
