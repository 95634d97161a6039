#!/usr/bin/env bash
# Type-checks every generated target (and validates bff.toml with `leakproof proxy --check`): generates the tree for tests/bff/fixtures/mixed.json
# with the built binary into a temp dir, then runs `tsc --noEmit` per target (Express is
# JavaScript, checked with checkJs). Usage: check.sh PATH/TO/leakproof
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:?usage: check.sh PATH/TO/leakproof}
"$here/install.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" bff --from-report "$here/../fixtures/mixed.json" --target all --out "$work/out"
ln -s "$here/node_modules" "$work/out/node_modules"
tsc="$here/node_modules/.bin/tsc"

# One tsconfig per target: each platform has its own globals.
write_tsconfig() {  # dir lib-json types-json include-json [extra]
  cat >"$1/tsconfig.json" <<JSON
{
  "compilerOptions": {
    "target": "ES2022", "module": "$5", "moduleResolution": "$6",
    "lib": $2, "types": $3,
    "strict": true, "noEmit": true, "skipLibCheck": true, "isolatedModules": true,
    "noUncheckedIndexedAccess": true, "allowJs": true, "checkJs": true, "esModuleInterop": true
  },
  "include": $4
}
JSON
}
write_tsconfig "$work/out/nextjs" '["ES2022", "DOM", "DOM.Iterable"]' '["node"]' '["**/*.ts"]' ESNext Bundler
write_tsconfig "$work/out/express" '["ES2022"]' '["node"]' '["**/*.js"]' CommonJS Node10
# cloudflare, lambda and firebase/functions ship their own tsconfig.json: check with it.
for dir in cloudflare lambda firebase/functions; do
  [ -f "$work/out/$dir/tsconfig.json" ] || { echo "FAILED: no generated $dir/tsconfig.json"; exit 1; }
done

passed=0
failed=0
for dir in nextjs express cloudflare lambda firebase/functions; do
  if (cd "$work/out/$dir" && "$tsc" -p tsconfig.json --noEmit); then
    echo "ok: tsc $dir"
    passed=$((passed + 1))
  else
    echo "FAILED: tsc $dir"
    failed=$((failed + 1))
  fi
done
# The proxy target must be accepted by `leakproof proxy` itself (docs/proxy-config.md).
if env SESSION_SECRET=0123456789abcdef0123456789abcdef OPENAI_API_KEY=k ANTHROPIC_API_KEY=k \
    STRIPE_SECRET_KEY=k MAILGUN_API_KEY=k SERPAPI_API_KEY=k TELEGRAM_BOT_TOKEN=k GOOGLE_API_KEY=k \
    "$bin" proxy --config "$work/out/proxy/bff.toml" --check; then
  echo "ok: leakproof proxy --check bff.toml"
  passed=$((passed + 1))
else
  echo "FAILED: leakproof proxy --check bff.toml"
  failed=$((failed + 1))
fi
echo "bff typecheck: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
