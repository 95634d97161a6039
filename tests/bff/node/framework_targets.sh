#!/usr/bin/env bash
# The targets without a platform SDK of their own in tests/bff/node (Nuxt/Nitro, SvelteKit,
# Hono, Supabase Edge Functions) and the Firebase HTTP function, generated from the golden
# dist/ by the real `leakproof bff`, type-checked and run against a loopback fake provider
# (framework_targets_e2e.mjs). What stands in for each platform, honestly:
#   nuxt      tsc with h3 and a declaration of Nitro's auto-imported useRuntimeConfig
#             (the shipped tsconfig needs `nuxt prepare`); run as an h3 app over HTTP.
#   sveltekit tsc with @sveltejs/kit's types and a declaration of $env/dynamic/private (the
#             shipped tsconfig needs `svelte-kit sync`); the +server.ts handlers are called
#             with a RequestEvent-shaped object (no Vite build).
#   hono      tsc with the shipped tsconfig; src/app.ts run over HTTP by @hono/node-server
#             and as a Worker (app.fetch with bindings and a Rate Limiting binding).
#   supabase  tsc with a declaration of the Deno global; run under Node with a Deno.serve /
#             Deno.env shim (no Deno runtime in CI).
#   firebase  the onRequest handler (an (req, res) function) behind Express with the raw
#             body the Functions Framework provides; the onCall callable through .run().
# Usage: framework_targets.sh PATH/TO/leakproof
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:?usage: framework_targets.sh PATH/TO/leakproof}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$here/install.sh"
"$here/../../support/npm-ci-locked.sh" "$here/frameworks"
fw="$here/frameworks/node_modules"
tsc="$fw/.bin/tsc"

node "$here/../dist/make_dist.mjs" "$work/dist" >"$work/keys.json"
(cd "$work" && "$bin" bff dist --target nuxt,sveltekit,hono,supabase,firebase --rate-limit 3 \
  --max-body-bytes 4096 --upstream-timeout-ms 500 --out out)
ln -s "$fw" "$work/out/node_modules"
ln -s "$here/node_modules" "$work/out/firebase/node_modules"

# What `nuxt prepare` / `svelte-kit sync` / Deno would declare.
mkdir -p "$work/shims"
cat >"$work/shims/platform.d.ts" <<'TS'
declare function useRuntimeConfig(event?: unknown): Record<string, unknown>;
declare function defineNuxtConfig(config: { compatibilityDate: string; runtimeConfig: Record<string, string> }): unknown;
declare module "$env/dynamic/private" {
  export const env: Record<string, string | undefined>;
}
declare const Deno: {
  serve(handler: (request: Request) => Response | Promise<Response>): unknown;
  env: { get(name: string): string | undefined };
};
TS

# The targets that ship a complete tsconfig are checked with it.
(cd "$work/out/hono" && "$tsc" -p tsconfig.json --noEmit)
echo "ok: tsc hono (its tsconfig.json)"
(cd "$work/out/firebase/functions" && "$here/node_modules/.bin/tsc" -p tsconfig.json --noEmit)
echo "ok: tsc firebase/functions (its tsconfig.json)"

# All five compiled to CommonJS in one strict tsc run (a type error fails it), with the
# platform declarations above; vite.config.ts is left out (vite is not installed).
cat >"$work/out/tsconfig.run.json" <<JSON
{ "compilerOptions": { "target": "ES2022", "module": "CommonJS", "moduleResolution": "Node10",
    "lib": ["ES2022", "DOM", "DOM.Iterable"], "types": ["node"], "strict": true, "skipLibCheck": true,
    "noUncheckedIndexedAccess": true, "esModuleInterop": true, "rewriteRelativeImportExtensions": true,
    "rootDir": ".", "outDir": "$work/js" },
  "include": ["nuxt/server/**/*.ts", "nuxt/nuxt.config.ts", "sveltekit/src/**/*.ts", "hono/src/**/*.ts",
    "supabase/functions/**/*.ts", "firebase/functions/src/**/*.ts", "$work/shims/platform.d.ts"] }
JSON
(cd "$work/out" && "$tsc" -p tsconfig.run.json)
echo "ok: tsc nuxt, sveltekit, hono, supabase, firebase (strict, compiled to CommonJS)"
ln -s "$fw" "$work/js/node_modules"
ln -s "$here/node_modules" "$work/js/firebase/node_modules"
node "$here/framework_targets_e2e.mjs" "$work/js" "$work/out"
