// Assertions on the tree `leakproof bff --target all` writes for tests/bff/dist (see
// golden_dist.sh). Usage: node golden_dist_check.mjs OUT_DIR KEYS_JSON
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";

const [outDir, keysFile] = process.argv.slice(2);
if (!outDir || !keysFile) throw new Error("usage: node golden_dist_check.mjs OUT_DIR KEYS_JSON");
const keys = JSON.parse(fs.readFileSync(keysFile, "utf8"));

function files(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : [p];
  });
}
const all = files(outDir);
const read = (rel) => fs.readFileSync(path.join(outDir, rel), "utf8");

// 1. No key (or the Twilio SID / AWS key ID) anywhere in the output.
for (const f of all) {
  const text = fs.readFileSync(f, "utf8");
  for (const [name, value] of Object.entries(keys)) {
    if (name === "supabaseRef" || name === "algoliaApp") continue; // public identifiers
    assert.ok(!text.includes(value), `${path.relative(outDir, f)} contains the ${name} key`);
  }
}

// 2. Route configs: one per credential, no placeholder left, exact operations only.
const routeFiles = fs.readdirSync(path.join(outDir, "express/routes")).sort();
const routes = Object.fromEntries(
  routeFiles.map((f) => {
    const text = read("express/routes/" + f);
    const json = text.slice(text.indexOf("const ROUTE = ") + 14, text.lastIndexOf("};") + 1);
    return [f.replace(/\.js$/, ""), JSON.parse(json)];
  }),
);
assert.deepEqual(Object.keys(routes).sort(), ["algolia", "aws", "mapbox", "openai", "sendgrid", "stripe", "supabase", "twilio"]);
for (const [name, r] of Object.entries(routes)) {
  assert.ok(!/\{(?!key\})[a-z_]+\}/.test(r.baseUrl), `${name}: placeholder in ${r.baseUrl}`);
  for (const v of Object.values(r.extraHeaders)) assert.ok(!/\{[a-z_]+\}/.test(v), `${name}: placeholder header`);
  assert.deepEqual(r.templateEnv, {}, `${name}: unresolved template`);
  for (const op of r.operations) assert.ok(!op.path.includes("**"), `${name}: wildcard ${op.path}`);
}
const ops = (name) => routes[name].operations.map((o) => `${o.method} ${o.path}`).sort();
assert.deepEqual(ops("stripe"), ["GET /v1/customers/*", "POST /v1/payment_intents"]);
assert.deepEqual(ops("openai"), ["POST /chat/completions"]);
assert.deepEqual(routes.openai.guard, { kind: "openai", models: ["gpt-4o-mini"], maxTokens: 1024 });
assert.deepEqual(ops("twilio"), ["POST /Accounts/*/Messages.json"]);
assert.equal(routes.twilio.auth.usernameEnvVar, "TWILIO_ACCOUNT_SID"); // both halves
assert.equal(routes.twilio.envVar, "TWILIO_AUTH_TOKEN");
assert.deepEqual(ops("algolia"), ["POST /indexes/products/query"]);
assert.equal(routes.algolia.baseUrl, `https://${keys.algoliaApp}-dsn.algolia.net/1`);
assert.equal(routes.algolia.extraHeaders["X-Algolia-Application-Id"], keys.algoliaApp);
assert.deepEqual(ops("supabase"), ["GET /rest/v1/orders"]);
assert.equal(routes.supabase.baseUrl, `https://${keys.supabaseRef}.supabase.co`);
assert.deepEqual(routes.supabase.query, ["select"]);
assert.deepEqual(ops("mapbox"), ["GET /search/searchbox/v1/suggest"]);
assert.deepEqual(routes.mapbox.query, ["language", "limit", "q", "session_token"]);
assert.deepEqual(ops("sendgrid"), ["POST /mail/send"]); // found only through the source map
// AWS: one SigV4 route with both halves, for the one service the app calls (S3).
assert.deepEqual(ops("aws"), ["PUT /uploads/*"]);
assert.equal(routes.aws.baseUrl, "https://shop-uploads.s3.amazonaws.com");
assert.deepEqual(routes.aws.auth, { kind: "sigv4", service: "s3", region: "us-east-1", accessKeyIdEnvVar: "AWS_ACCESS_KEY_ID" });
assert.equal(routes.aws.envVar, "AWS_SECRET_ACCESS_KEY");

// 3. bff.toml: no placeholder, each path once, no "**".
const toml = read("proxy/bff.toml");
assert.ok(!/\{[a-z_]+\}/.test(toml), "placeholder in bff.toml");
assert.ok(!toml.includes("**"), "wildcard path in bff.toml");
for (const line of toml.split("\n").filter((l) => l.startsWith("paths = "))) {
  const paths = JSON.parse(line.slice(8));
  assert.equal(new Set(paths).size, paths.length, "duplicate path: " + line);
}

// 4. MIGRATION.md: one answer per key, pairs not rotated, AWS one entry with both halves.
const guide = read("MIGRATION.md");
assert.ok(!guide.includes("| Google Cloud / Google APIs: Google API key |"), "Maps key answered twice");
assert.ok(guide.includes("Google Maps JavaScript API key"));
assert.equal((guide.match(/\| Twilio: /g) ?? []).length, 1, "Twilio listed twice");
assert.ok(guide.includes("`TWILIO_ACCOUNT_SID` next to the key. Do not rotate it"));
assert.equal((guide.match(/\| Amazon Web Services:/g) ?? []).length, 1, "AWS listed twice");
assert.ok(guide.includes("`AWS_ACCESS_KEY_ID` next to the key"));
assert.ok(/index-8c1f2a4b\.js\.map!\S*src\/lib\/email\.ts/.test(guide), "SendGrid's source-map location");
console.log(`golden dist: ${Object.keys(routes).length} routes, ${all.length} files checked`);
