#!/bin/sh
# The pre-commit hooks (.pre-commit-hooks.yaml) run by the real `pre-commit` tool on a
# temporary repository: a staged key blocks (try-repo and a real `git commit` through the
# installed hook), a clean change passes, an unstaged key is not looked at, and
# `leakproof:allow` and a baseline (hook args from .pre-commit-config.yaml) work there.
# Usage: precommit_hook.sh LEAKPROOF_BINARY SOURCE_DIR RULE_CACHE_DIR
set -eu
bin=$1 src=$2 cache=$3
command -v pre-commit >/dev/null || { echo "pre-commit not installed (scripts/install-deps.sh)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Nothing from the user's environment: HOME, git config and pre-commit's cache all in $tmp;
# the rule cache is the build tree's, so the hook does not recompile the rules each run.
export HOME="$tmp/home" PRE_COMMIT_HOME="$tmp/pre-commit" XDG_CACHE_HOME="$cache"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL="$tmp/gitconfig"
mkdir -p "$HOME" "$tmp/bin"
ln -s "$bin" "$tmp/bin/leakproof"
PATH="$tmp/bin:$PATH"
git config --global user.name "Hook Test"
git config --global user.email hook@example.com
git config --global init.defaultBranch main
git config --global commit.gpgsign false

fail() { echo "FAIL: $*"; exit 1; }

pre-commit validate-manifest "$src/.pre-commit-hooks.yaml" || fail "invalid .pre-commit-hooks.yaml"

# try-repo needs the hooks in a git repository with the yaml committed.
hooks="$tmp/hooks"
git init -q "$hooks"
cp "$src/.pre-commit-hooks.yaml" "$hooks/"
git -C "$hooks" add .pre-commit-hooks.yaml
git -C "$hooks" commit -qm hooks
rev=$(git -C "$hooks" rev-parse HEAD)

proj="$tmp/proj"
git init -q "$proj"
cd "$proj"
key="ghp_""R8mK2xQ9vLp4TzW7nYb3HcJ6dF1sA5gE0uNi"  # fake, GitHub classic shape

echo "hello" > README.md
git add README.md
pre-commit try-repo "$hooks" leakproof >"$tmp/out" 2>&1 || { cat "$tmp/out"; fail "clean change blocked"; }
git commit -qm "readme"

# An unstaged key is not what is being committed: the hook passes.
printf 'const t = "%s";\n' "$key" > leak.js
echo "more" >> README.md
git add README.md
pre-commit try-repo "$hooks" leakproof >"$tmp/out" 2>&1 || { cat "$tmp/out"; fail "unstaged key blocked the commit"; }
git commit -qm "more readme"

# Staged, it blocks, and the output names the file (redacted: never the key itself).
git add leak.js
if pre-commit try-repo "$hooks" leakproof >"$tmp/out" 2>&1; then cat "$tmp/out"; fail "staged key passed"; fi
grep -q "leak.js" "$tmp/out" || { cat "$tmp/out"; fail "hook output does not name leak.js"; }
if grep -q "$key" "$tmp/out"; then fail "hook output shows the full key"; fi
# The named-files hook blocks it too.
if pre-commit try-repo "$hooks" leakproof-scan >"$tmp/out" 2>&1; then cat "$tmp/out"; fail "leakproof-scan passed a staged key"; fi

# A real commit through the installed hook (config pinned to the hooks repo's commit).
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $hooks
    rev: $rev
    hooks:
      - id: leakproof
YAML
git add .pre-commit-config.yaml
pre-commit install >/dev/null
if git commit -qm "leak" >"$tmp/out" 2>&1; then cat "$tmp/out"; fail "git commit with a staged key succeeded"; fi
git log --format=%s -1 | grep -q "more readme" || fail "the blocked commit was made"

# leakproof:allow on the line: the hook passes and the commit is made.
printf 'const t = "%s"; // leakproof:allow test fixture\n' "$key" > leak.js
git add leak.js
git commit -qm "allowed fixture" >"$tmp/out" 2>&1 || { cat "$tmp/out"; fail "allow comment did not pass"; }

# A baseline passed through the hook's args accepts a known key.
printf 'const u = "%s";\n' "$key" > known.js
git add known.js
if git commit -qm "known" >"$tmp/out" 2>&1; then fail "key to be baselined passed before the baseline"; fi
leakproof git --staged --no-progress --write-baseline .leakproof-baseline.json --fail-on none . >/dev/null 2>&1
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $hooks
    rev: $rev
    hooks:
      - id: leakproof
        args: [--baseline, .leakproof-baseline.json]
YAML
git add .pre-commit-config.yaml .leakproof-baseline.json known.js
git commit -qm "known key, baselined" >"$tmp/out" 2>&1 || { cat "$tmp/out"; fail "baselined key blocked"; }
echo "pre-commit hooks: ok"
