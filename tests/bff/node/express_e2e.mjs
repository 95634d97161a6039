// Runs the generated Express BFF for real: a fake provider on 127.0.0.1 stands in for
// every upstream (base URLs overridden by <ROUTE>_BASE_URL), and each request checks
// what the provider received: the credential injected exactly as that provider expects,
// never the browser's cookie — and that the stub refuses what it must (401/403/404/405/413).
// Usage: node express_e2e.mjs GENERATED_OUT_DIR
import assert from "node:assert/strict";
import crypto from "node:crypto";
import http from "node:http";
import { createRequire } from "node:module";
import path from "node:path";

const outDir = process.argv[2];
if (!outDir) throw new Error("usage: node express_e2e.mjs GENERATED_OUT_DIR");

// ---- fake upstream -------------------------------------------------------------------
const seen = [];
const upstream = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    seen.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() });
    res.setHeader("set-cookie", "upstream=1");
    if (req.url.endsWith("/chat/completions")) {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write("data: one\n\n");
      setTimeout(() => res.end("data: two\n\ndata: [DONE]\n\n"), 20);
      return;
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ ok: true }));
  });
});
await new Promise((r) => upstream.listen(0, "127.0.0.1", r));
const up = `http://127.0.0.1:${upstream.address().port}`;

const KEYS = {
  OPENAI_API_KEY: "test-openai-key",
  ANTHROPIC_API_KEY: "test-anthropic-key",
  STRIPE_SECRET_KEY: "sk_test_stripe",
  MAILGUN_API_KEY: "test-mailgun-key",
  SERPAPI_API_KEY: "test-serpapi-key",
  TELEGRAM_BOT_TOKEN: "123:tele/gram",
};
Object.assign(process.env, KEYS, {
  SESSION_SECRET: "s".repeat(40),
  SESSION_COOKIE: "session",
  OPENAI_BASE_URL: `${up}/v1`,
  ANTHROPIC_BASE_URL: up,
  STRIPE_BASE_URL: up,
  MAILGUN_BASE_URL: `${up}/v3`,
  SERPAPI_BASE_URL: up,
  TELEGRAM_BASE_URL: `${up}/bot{key}`,
  // The LLM guards allow only listed models (none was seen in this fixture's snippets).
  OPENAI_ALLOWED_MODELS: "gpt-4o-mini",
  ANTHROPIC_ALLOWED_MODELS: "claude-3-5-haiku-latest",
});

// ---- the generated app ---------------------------------------------------------------
const require = createRequire(import.meta.url);
const { createApp } = require(path.resolve(outDir, "express/server.js"));
const app = createApp();
const server = await new Promise((r) => {
  const s = app.listen(0, "127.0.0.1", () => r(s));
});
const bff = `http://127.0.0.1:${server.address().port}`;

function jwt(claims, secret = process.env.SESSION_SECRET, alg = "HS256") {
  const enc = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const head = enc({ alg, typ: "JWT" });
  const body = enc(claims);
  const sig = crypto.createHmac("sha256", secret).update(`${head}.${body}`).digest("base64url");
  return `${head}.${body}.${sig}`;
}
const future = Math.floor(Date.now() / 1000) + 3600;
const goodCookie = `theme=dark; session=${jwt({ sub: "user-1", exp: future })}`;

async function call(pathAndQuery, { method = "GET", cookie = goodCookie, csrf = true, body, headers = {} } = {}) {
  seen.length = 0;
  const h = { ...headers };
  if (cookie) h.cookie = cookie;
  if (csrf) h["x-requested-with"] = "leakproof";
  const res = await fetch(bff + pathAndQuery, { method, headers: h, body });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

let passed = 0;
let failed = 0;
async function test(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok - ${name}`);
  } catch (err) {
    failed++;
    console.log(`not ok - ${name}\n  ${String(err && err.stack || err).split("\n").join("\n  ")}`);
  }
}
function only() {
  assert.equal(seen.length, 1, "upstream should get exactly one request");
  const s = seen[0];
  assert.equal(s.headers.cookie, undefined, "the browser's cookie must not reach the provider");
  assert.equal(s.headers["x-requested-with"], undefined);
  return s;
}
const basic = (pair) => "Basic " + Buffer.from(pair).toString("base64");

await test("openai: bearer injected, SSE streamed back, cookies stripped both ways", async () => {
  const r = await call("/api/openai/chat/completions", {
    method: "POST",
    body: JSON.stringify({ model: "gpt-4o-mini", stream: true }),
    headers: { "content-type": "application/json", authorization: "Bearer browser-supplied" },
  });
  assert.equal(r.status, 200);
  assert.equal(r.text, "data: one\n\ndata: two\n\ndata: [DONE]\n\n");
  assert.match(r.headers.get("content-type"), /text\/event-stream/);
  assert.equal(r.headers.get("set-cookie"), null, "upstream cookies must not reach the app origin");
  const s = only();
  assert.equal(s.url, "/v1/chat/completions");
  assert.equal(s.headers.authorization, "Bearer test-openai-key");
  // The guard binds the end user to the session and caps the output tokens.
  assert.deepEqual(JSON.parse(s.body), { model: "gpt-4o-mini", stream: true, max_completion_tokens: 1024, user: "user-1" });
});
const claude = JSON.stringify({ model: "claude-3-5-haiku-latest", messages: [] });
await test("anthropic: x-api-key plus anthropic-version; a model off the list is refused", async () => {
  const off = await call("/api/anthropic/v1/messages", { method: "POST", body: '{"model":"claude-opus-4"}' });
  assert.equal(off.status, 400);
  assert.equal(seen.length, 0);
  const r = await call("/api/anthropic/v1/messages", { method: "POST", body: claude });
  assert.equal(r.status, 200);
  const s = only();
  assert.equal(s.headers["x-api-key"], "test-anthropic-key");
  assert.equal(s.headers["anthropic-version"], "2023-06-01");
  assert.equal(s.headers.authorization, undefined);
});
await test("stripe: Basic with the key as username, Stripe-Version", async () => {
  const r = await call("/api/stripe/v1/payment_intents", { method: "POST", body: "amount=1" });
  assert.equal(r.status, 200);
  const s = only();
  assert.equal(s.headers.authorization, basic("sk_test_stripe:"));
  assert.equal(s.headers["stripe-version"], "2024-06-20");
});
await test("stripe: an id segment matches '*'; methods not seen at a call site are POST only", async () => {
  assert.equal((await call("/api/stripe/v1/customers/cus_123", { method: "POST", body: "name=x" })).status, 200);
  assert.equal(only().url, "/v1/customers/cus_123");
  assert.equal((await call("/api/stripe/v1/customers/cus_123")).status, 405);
  assert.equal((await call("/api/stripe/v1/customers/cus_123/sources", { method: "POST", body: "" })).status, 404);
  assert.equal(seen.length, 0);
});
await test("mailgun: Basic api:<key>", async () => {
  const r = await call("/api/mailgun/mg.example.com/messages", { method: "POST", body: "to=a" });
  assert.equal(r.status, 200);
  const s = only();
  assert.equal(s.url, "/v3/mg.example.com/messages");
  assert.equal(s.headers.authorization, basic("api:test-mailgun-key"));
});
await test("serpapi: key added as the api_key query parameter; unseen query names refused", async () => {
  assert.equal((await call("/api/serpapi/search.json?engine=google&q=coffee&location=x", { method: "POST" })).status, 404);
  const r = await call("/api/serpapi/search.json?engine=google&q=coffee", { method: "POST" });
  assert.equal(r.status, 200);
  const u = new URL(only().url, up);
  assert.equal(u.pathname, "/search.json");
  assert.equal(u.searchParams.get("api_key"), "test-serpapi-key");
  assert.equal(u.searchParams.get("q"), "coffee");
});
await test("serpapi: a client-supplied api_key is refused", async () => {
  assert.equal((await call("/api/serpapi/search.json?api_key=mine", { method: "POST" })).status, 404);
  assert.equal(seen.length, 0);
});
await test("telegram: token in the path, percent-encoded", async () => {
  const r = await call("/api/telegram/sendMessage", { method: "POST", body: "{}" });
  assert.equal(r.status, 200);
  assert.equal(only().url, "/bot123%3Atele%2Fgram/sendMessage");
});
await test("mobile route (key found in an APK): Bearer session accepted, never forwarded", async () => {
  const bearer = "Bearer " + jwt({ sub: "phone-1", exp: future });
  const r = await call("/api/openai/chat/completions", {
    method: "POST",
    cookie: null,
    body: JSON.stringify({ model: "gpt-4o-mini" }),
    headers: { "content-type": "application/json", authorization: bearer },
  });
  assert.equal(r.status, 200, r.text);
  const s = only();
  assert.equal(s.headers.authorization, "Bearer test-openai-key");
  assert.equal(JSON.parse(s.body).user, "phone-1");
});
await test("web-only route: a Bearer session is not a session", async () => {
  const bearer = "Bearer " + jwt({ sub: "phone-1", exp: future });
  const r = await call("/api/serpapi/search.json?q=x", { method: "POST", cookie: null, headers: { authorization: bearer } });
  assert.equal(r.status, 401);
  assert.equal(seen.length, 0);
});
await test("no session -> 401, upstream untouched", async () => {
  assert.equal((await call("/api/openai/chat/completions", { method: "POST", cookie: null, body: "{}" })).status, 401);
  assert.equal(seen.length, 0);
});
await test("bad signature, expired token, alg none -> 401", async () => {
  const wrong = `session=${jwt({ sub: "u", exp: future }, "x".repeat(40))}`;
  const expired = `session=${jwt({ sub: "u", exp: Math.floor(Date.now() / 1000) - 10 })}`;
  const none = `session=${jwt({ sub: "u", exp: future }, process.env.SESSION_SECRET, "none")}`;
  for (const cookie of [wrong, expired, none, "session=garbage"]) {
    assert.equal((await call("/api/anthropic/v1/messages", { method: "POST", cookie, body: claude })).status, 401);
  }
  assert.equal(seen.length, 0);
});
await test("no anti-CSRF header -> 403", async () => {
  assert.equal((await call("/api/openai/chat/completions", { method: "POST", csrf: false, body: "{}" })).status, 403);
  assert.equal(seen.length, 0);
});
await test("method and path allowlists -> 405 / 404", async () => {
  assert.equal((await call("/api/openai/chat/completions")).status, 405);
  assert.equal((await call("/api/openai/files", { method: "POST", body: "{}" })).status, 404);
  assert.equal((await call("/api/openai/chat/completions/../../files", { method: "POST", body: "{}" })).status, 404);
  assert.equal((await call("/api/openai/chat%2fcompletions", { method: "POST", body: "{}" })).status, 404);
  assert.equal((await call("/api/nope/x")).status, 404);
  assert.equal(seen.length, 0);
});
await test("body over the limit -> 413", async () => {
  const big = "x".repeat(1024 * 1024 + 1);
  const r = await call("/api/openai/chat/completions", { method: "POST", body: big });
  assert.equal(r.status, 413);
  assert.equal(seen.length, 0);
});
await test("missing credential -> 503 without leaking anything", async () => {
  const saved = process.env.ANTHROPIC_API_KEY;
  delete process.env.ANTHROPIC_API_KEY;
  try {
    const r = await call("/api/anthropic/v1/messages", { method: "POST", body: claude });
    assert.equal(r.status, 503);
  } finally {
    process.env.ANTHROPIC_API_KEY = saved;
  }
});

server.close();
upstream.close();
console.log(`bff express e2e: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
