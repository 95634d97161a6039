#!/usr/bin/env bash
# The golden run of issue 13: a Vite-style dist/ (tests/bff/dist/make_dist.mjs) with eight
# providers, one of them only in the source map, goes through the real `leakproof bff
# --target all`; the generated bff.toml must pass `leakproof proxy --check`, and
# golden_dist_check.mjs asserts the routes (pairs, filled hosts, exact operations, no
# wildcard, no key in the output). Usage: golden_dist.sh PATH/TO/leakproof
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:?usage: golden_dist.sh PATH/TO/leakproof}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
node "$here/../dist/make_dist.mjs" "$work/dist" >"$work/keys.json"
(cd "$work" && "$bin" bff dist --target all --out out)
env SESSION_SECRET=0123456789abcdef0123456789abcdef \
    STRIPE_SECRET_KEY=k OPENAI_API_KEY=k TWILIO_AUTH_TOKEN=k TWILIO_ACCOUNT_SID=k SENDGRID_API_KEY=k \
    ALGOLIA_ADMIN_KEY=k SUPABASE_SECRET_KEY=k MAPBOX_SECRET_TOKEN=k \
    "$bin" proxy --config "$work/out/proxy/bff.toml" --check
echo "ok: leakproof proxy --check bff.toml"
node "$here/golden_dist_check.mjs" "$work/out" "$work/keys.json"

# The deployable targets type-check with the tsconfig.json they ship.
"$here/install.sh"
ln -s "$here/node_modules" "$work/out/node_modules"
for dir in cloudflare lambda firebase/functions; do
  (cd "$work/out/$dir" && "$here/node_modules/.bin/tsc" -p tsconfig.json --noEmit)
  echo "ok: tsc $dir (golden dist)"
done

# Run the Express target of the same input for real (small limits so 413/429/504 are quick).
(cd "$work" && "$bin" bff dist --target express --rate-limit 5 --max-body-bytes 4096 \
  --upstream-timeout-ms 500 --out run)
ln -s "$here/node_modules" "$work/run/node_modules"
node "$here/dist_e2e.mjs" "$work/run"

# The TypeScript targets of the same input, compiled to CommonJS and run for real.
(cd "$work" && "$bin" bff dist --target nextjs,cloudflare,lambda,firebase --rate-limit 3 --max-body-bytes 4096 --out ts)
ln -s "$here/node_modules" "$work/ts/node_modules"
for dir in nextjs cloudflare lambda firebase/functions; do
  types='"node"'
  [ "$dir" = cloudflare ] && types='"@cloudflare/workers-types", "node"'
  cat >"$work/ts/$dir/tsconfig.run.json" <<JSON
{ "compilerOptions": { "target": "ES2022", "module": "CommonJS", "moduleResolution": "Node10",
    "lib": ["ES2022", "DOM", "DOM.Iterable"], "types": [$types], "strict": true, "skipLibCheck": true,
    "esModuleInterop": true, "rootDir": ".", "outDir": "$work/js/$dir" },
  "include": ["**/*.ts"], "exclude": ["node_modules"] }
JSON
  (cd "$work/ts/$dir" && "$here/node_modules/.bin/tsc" -p tsconfig.run.json)
done
ln -s "$here/node_modules" "$work/js/node_modules"
node "$here/ts_targets_e2e.mjs" "$work/js"

# Session adapters (OIDC against a loopback JWKS, Auth.js cookies, Clerk, Supabase) and the
# shared rate-limit stores (a real redis-server on a loopback port; DynamoDB and Firestore
# at their client interface).
node "$here/sessions_e2e.mjs" "$work/js" "$work/run"
node "$here/shared_limits_e2e.mjs" "$work/js" "$work/run"
