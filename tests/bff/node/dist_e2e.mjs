// Runs the Express BFF generated from the golden dist/ (golden_dist.sh, generated with
// --rate-limit 5 --max-body-bytes 4096 --upstream-timeout-ms 500) against a fake provider
// on 127.0.0.1 and checks what issue 13 asks of every target: the credential arrives in
// the provider's form (both halves of a pair), 401 / 403 (no CSRF header, foreign Origin) /
// 404 / 405 / 413 / 429, the validation hook, header allowlists both ways, the upstream
// timeout, and that the routers work after express.json().
// Usage: node dist_e2e.mjs GENERATED_OUT_DIR
import assert from "node:assert/strict";
import crypto from "node:crypto";
import http from "node:http";
import { createRequire } from "node:module";
import path from "node:path";

import { assertValidSigV4 } from "./sigv4_check.mjs";

const outDir = process.argv[2];
if (!outDir) throw new Error("usage: node dist_e2e.mjs GENERATED_OUT_DIR");

const seen = [];
const upstream = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    seen.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() });
    if (req.url.includes("/slow")) return; // never answers: the timeout must fire
    res.writeHead(200, {
      "content-type": "application/json",
      "set-cookie": "upstream=1",
      "access-control-allow-origin": "*",
      "access-control-allow-credentials": "true",
      "x-request-id": "req_1",
      server: "fake",
    });
    res.end(JSON.stringify({ ok: true }));
  });
});
await new Promise((r) => upstream.listen(0, "127.0.0.1", r));
const up = `http://127.0.0.1:${upstream.address().port}`;

Object.assign(process.env, {
  SESSION_SECRET: "s".repeat(40),
  SESSION_COOKIE: "session",
  STRIPE_SECRET_KEY: "stripe-test-key",
  OPENAI_API_KEY: "openai-test-key",
  TWILIO_AUTH_TOKEN: "twilio-test-token",
  TWILIO_ACCOUNT_SID: "AC-test-sid",
  TWILIO_FROM_NUMBERS: "+15005550006",
  ALGOLIA_ADMIN_KEY: "algolia-test-key",
  SUPABASE_SECRET_KEY: "supabase-test-key",
  MAPBOX_SECRET_TOKEN: "mapbox-test-token",
  SENDGRID_API_KEY: "sendgrid-test-key",
  SENDGRID_FROM: "shop@example.com",
  STRIPE_BASE_URL: up,
  OPENAI_BASE_URL: `${up}/v1`,
  TWILIO_BASE_URL: `${up}/2010-04-01`,
  ALGOLIA_BASE_URL: `${up}/1`,
  SUPABASE_BASE_URL: up,
  MAPBOX_BASE_URL: up,
  SENDGRID_BASE_URL: `${up}/v3`,
  AWS_ACCESS_KEY_ID: "AKIAFAKEFAKEFAKE0000",
  AWS_SECRET_ACCESS_KEY: "fake-aws-secret-for-the-sigv4-run-test",
  AWS_BASE_URL: up,
});

const require = createRequire(import.meta.url);
const express = require(path.resolve(outDir, "node_modules/express"));
// Mounted AFTER express.json(), as most apps do: the routers must not hang on a body the
// parser already read.
const app = express();
app.use(express.json());
for (const name of ["stripe", "openai", "twilio", "algolia", "supabase", "mapbox", "sendgrid", "aws"]) {
  app.use(require(path.resolve(outDir, `express/routes/${name}.js`)));
}
const server = await new Promise((r) => {
  const s = app.listen(0, "127.0.0.1", () => r(s));
});
const bff = `http://127.0.0.1:${server.address().port}`;

function jwt(claims) {
  const enc = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const head = enc({ alg: "HS256", typ: "JWT" });
  const body = enc(claims);
  const sig = crypto.createHmac("sha256", process.env.SESSION_SECRET).update(`${head}.${body}`).digest("base64url");
  return `${head}.${body}.${sig}`;
}
const future = Math.floor(Date.now() / 1000) + 3600;
let user = 0;
// A fresh session per test keeps the per-session budget (5/min) out of the way.
function cookie() {
  user += 1;
  return `session=${jwt({ sub: "user-" + user, email: `u${user}@example.com`, phone_number: "+15551230000", exp: future })}`;
}

async function call(p, { method = "GET", session = cookie(), csrf = true, body, headers = {} } = {}) {
  seen.length = 0;
  const h = { ...headers };
  if (session) h.cookie = session;
  if (csrf) h["x-requested-with"] = "leakproof";
  const res = await fetch(bff + p, { method, headers: h, body });
  return { status: res.status, headers: res.headers, text: await res.text() };
}
const json = { "content-type": "application/json" };
const basic = (pair) => "Basic " + Buffer.from(pair).toString("base64");

let passed = 0;
let failed = 0;
async function test(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok - ${name}`);
  } catch (err) {
    failed++;
    console.log(`not ok - ${name}\n  ${String((err && err.stack) || err).split("\n").join("\n  ")}`);
  }
}

await test("twilio: one route, Basic SID:token from two env vars; To and From guarded", async () => {
  const form = "To=%2B15551230000&From=%2B15005550006&Body=hi";
  const r = await call("/api/twilio/Accounts/AC-test-sid/Messages.json", {
    method: "POST",
    body: form,
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  assert.equal(r.status, 200, r.text);
  assert.equal(seen[0].headers.authorization, basic("AC-test-sid:twilio-test-token"));
  assert.equal(seen[0].url, "/2010-04-01/Accounts/AC-test-sid/Messages.json");
  const stranger = await call("/api/twilio/Accounts/AC-test-sid/Messages.json", {
    method: "POST",
    body: "To=%2B19998887777&From=%2B15005550006&Body=hi",
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  assert.equal(stranger.status, 400);
  assert.equal(seen.length, 0);
  assert.equal((await call("/api/twilio/Accounts/AC-test-sid/Messages.json")).status, 405); // GET lists every SMS
});
await test("aws: one route, SigV4 for S3 with both halves; the upstream can verify it", async () => {
  const r = await call("/api/aws/uploads/photo.png", { method: "PUT", body: "PNGDATA", headers: { "content-type": "image/png" } });
  assert.equal(r.status, 200, r.text);
  assert.equal(seen[0].method, "PUT");
  assert.equal(seen[0].url, "/uploads/photo.png");
  assert.equal(seen[0].body, "PNGDATA");
  assertValidSigV4(seen[0], {
    accessKeyId: "AKIAFAKEFAKEFAKE0000",
    secretAccessKey: "fake-aws-secret-for-the-sigv4-run-test",
    region: "us-east-1",
    service: "s3",
  });
  assert.equal((await call("/api/aws/uploads/photo.png")).status, 405); // only the PUT seen
  assert.equal((await call("/api/aws/other/photo.png", { method: "PUT", body: "x" })).status, 404);
});
await test("algolia: key and filled app-id header", async () => {
  const r = await call("/api/algolia/indexes/products/query", { method: "POST", body: '{"query":"mug"}', headers: json });
  assert.equal(r.status, 200, r.text);
  assert.equal(seen[0].headers["x-algolia-api-key"], "algolia-test-key");
  assert.match(seen[0].headers["x-algolia-application-id"], /^[A-Z0-9]{10}$/);
});
await test("openai: model allowlist, token cap, user = session subject", async () => {
  const bad = await call("/api/openai/chat/completions", { method: "POST", headers: json, body: '{"model":"gpt-4.5-preview","messages":[]}' });
  assert.equal(bad.status, 400);
  assert.equal(seen.length, 0);
  const big = await call("/api/openai/chat/completions", { method: "POST", headers: json, body: '{"model":"gpt-4o-mini","max_tokens":100000,"messages":[]}' });
  assert.equal(big.status, 400);
  // The zod schema of the call site's body (model, stream, messages): nothing else.
  const extra = await call("/api/openai/chat/completions", { method: "POST", headers: json, body: '{"model":"gpt-4o-mini","messages":[],"tools":[]}' });
  assert.equal(extra.status, 400);
  assert.match(extra.text, /body does not match POST \/chat\/completions/);
  const ok = await call("/api/openai/chat/completions", { method: "POST", headers: json, body: '{"model":"gpt-4o-mini","messages":[]}' });
  assert.equal(ok.status, 200, ok.text);
  const sent = JSON.parse(seen[0].body);
  assert.match(sent.user, /^user-\d+$/);
  assert.equal(sent.max_completion_tokens, 1024);
  assert.equal(seen[0].headers.authorization, "Bearer openai-test-key");
  assert.equal((await call("/api/openai/chat/completions")).status, 405); // GET lists stored completions
});
await test("sendgrid (found only in the source map): from fixed, recipients bound to the session", async () => {
  const s = cookie();
  const me = `u${user}@example.com`;
  const mail = (to) => JSON.stringify({ personalizations: [{ to: [{ email: to }] }], from: { email: "evil@example.com" }, subject: "x", content: [] });
  assert.equal((await call("/api/sendgrid/mail/send", { method: "POST", headers: json, session: s, body: mail("victim@example.com") })).status, 400);
  const r = await call("/api/sendgrid/mail/send", { method: "POST", headers: json, session: s, body: mail(me) });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(JSON.parse(seen[0].body).from, { email: "shop@example.com" });
  assert.equal(seen[0].headers.authorization, "Bearer sendgrid-test-key");
});
await test("stripe: request headers by allowlist, response headers by allowlist", async () => {
  const r = await call("/api/stripe/v1/payment_intents", {
    method: "POST",
    body: "amount=1",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "idempotency-key": "idem-1",
      "stripe-account": "acct_other",
      "x-real-ip": "1.2.3.4",
      "cf-connecting-ip": "1.2.3.4",
      "user-agent": "evil",
      "sec-fetch-site": "cross-site",
    },
  });
  assert.equal(r.status, 200, r.text);
  const h = seen[0].headers;
  assert.equal(h.authorization, basic("stripe-test-key:"));
  assert.equal(h["idempotency-key"], "idem-1");
  for (const name of ["stripe-account", "x-real-ip", "cf-connecting-ip", "sec-fetch-site", "cookie"]) {
    assert.equal(h[name], undefined, name + " must not reach the provider");
  }
  assert.notEqual(h["user-agent"], "evil");
  assert.equal(r.headers.get("access-control-allow-origin"), null);
  assert.equal(r.headers.get("access-control-allow-credentials"), null);
  assert.equal(r.headers.get("set-cookie"), null);
  assert.equal(r.headers.get("server"), null);
  assert.equal(r.headers.get("x-request-id"), "req_1");
  assert.equal((await call("/api/stripe/v1/customers/cus_123")).status, 200);
  assert.equal((await call("/api/stripe/v1/customers")).status, 404); // list endpoint not opened
});
await test("supabase and mapbox: only the query names seen", async () => {
  assert.equal((await call("/api/supabase/rest/v1/orders?select=id")).status, 200);
  assert.equal(seen[0].headers.apikey, "supabase-test-key");
  assert.equal((await call("/api/supabase/rest/v1/orders?select=id&or=(id.gt.0)")).status, 404);
  const r = await call("/api/mapbox/search/searchbox/v1/suggest?q=paris&limit=5");
  assert.equal(r.status, 200);
  assert.equal(new URL(seen[0].url, up).searchParams.get("access_token"), "mapbox-test-token");
  assert.equal((await call("/api/mapbox/search/searchbox/v1/suggest?access_token=mine")).status, 404);
});
await test("401 without session, 403 without CSRF header or from a foreign Origin", async () => {
  assert.equal((await call("/api/supabase/rest/v1/orders", { session: null })).status, 401);
  assert.equal((await call("/api/supabase/rest/v1/orders", { csrf: false })).status, 403);
  const foreign = await call("/api/openai/chat/completions", { method: "POST", headers: { ...json, origin: "https://evil.example" }, body: "{}" });
  assert.equal(foreign.status, 403);
  assert.equal(seen.length, 0);
});
await test("404 for an unlisted path, 413 over the body cap, 429 over the budget", async () => {
  assert.equal((await call("/api/openai/files", { method: "POST", body: "{}" })).status, 404);
  assert.equal((await call("/api/openai/chat/completions", { method: "POST", body: "x".repeat(5000) })).status, 413);
  const s = cookie();
  const statuses = [];
  for (let i = 0; i < 6; i++) statuses.push((await call("/api/supabase/rest/v1/orders", { session: s })).status);
  assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429]);
});
await test("no answer from the provider -> 504 after the timeout", async () => {
  process.env.SUPABASE_BASE_URL = `${up}/slow`;
  try {
    const started = Date.now();
    assert.equal((await call("/api/supabase/rest/v1/orders")).status, 504);
    assert.ok(Date.now() - started < 5000);
  } finally {
    process.env.SUPABASE_BASE_URL = up;
  }
});

server.close();
upstream.closeAllConnections?.();
upstream.close();
console.log(`bff dist e2e: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
