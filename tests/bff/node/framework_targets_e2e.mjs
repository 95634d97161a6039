// Runs the Nuxt, SvelteKit, Hono (Node and Workers), Supabase and Firebase targets
// generated from the golden dist/ (framework_targets.sh compiles them to CommonJS; see
// there for what stands in for each platform) against a fake provider on 127.0.0.1, with
// the same checks as the Express run: the credential arrives in the provider's form (both
// halves of the Twilio pair), 401, 403 (no CSRF header, foreign Origin), 404, 405, 413,
// 429, the validation hook (zod schema and model allowlist), header allowlists both ways.
// Each target reads its secrets from its own platform source (Nuxt runtime config, SvelteKit
// $env, Worker bindings, Deno.env, process.env), each with different values, so a key
// that arrives proves the wiring of that target. The shared runtime's features run on every
// target too: the AWS route's SigV4 signature (sigv4.ts, checked by sigv4_check.mjs) and,
// on the Hono Worker, an OIDC session (sessions.ts, SESSION_ADAPTER=oidc) verified against
// a JWKS this test serves on the loopback provider.
// Usage: node framework_targets_e2e.mjs COMPILED_DIR GENERATED_DIR
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import Module, { createRequire } from "node:module";
import path from "node:path";

import { assertValidSigV4 } from "./sigv4_check.mjs";

const [jsDir, outDir] = process.argv.slice(2);
if (!jsDir || !outDir) throw new Error("usage: node framework_targets_e2e.mjs COMPILED_DIR GENERATED_DIR");
const require = createRequire(path.join(jsDir, "node_modules", "x.js"));

// ---- the fake provider, and an OIDC issuer's JWKS on the same loopback server ---------------
// RS256 keys made with node:crypto and tokens signed by hand: nothing shared with jose,
// which the adapter under test uses.
const issuerKey = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
const strangerKey = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
const jwks = { keys: [{ ...issuerKey.publicKey.export({ format: "jwk" }), kid: "k1", alg: "RS256", use: "sig" }] };
const seen = [];
const upstream = http.createServer((req, res) => {
  if (req.url === "/issuer/.well-known/jwks.json") {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(jwks));
    return;
  }
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    seen.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() });
    res.writeHead(200, {
      "content-type": "application/json",
      "set-cookie": "upstream=1",
      "access-control-allow-origin": "*",
      "x-request-id": "req_1",
    });
    res.end(JSON.stringify({ ok: true }));
  });
});
await new Promise((r) => upstream.listen(0, "127.0.0.1", r));
const up = `http://127.0.0.1:${upstream.address().port}`;

const SESSION_SECRET = "s".repeat(40);
// Settings every target needs, from whatever source it reads; `p` makes the keys per target.
function settings(p) {
  return {
    SESSION_SECRET,
    STRIPE_SECRET_KEY: p + "stripe-key",
    OPENAI_API_KEY: p + "openai-key",
    TWILIO_AUTH_TOKEN: p + "twilio-token",
    TWILIO_ACCOUNT_SID: "AC" + p + "sid",
    SUPABASE_SECRET_KEY: p + "supabase-key",
    STRIPE_BASE_URL: up,
    OPENAI_BASE_URL: `${up}/v1`,
    TWILIO_BASE_URL: `${up}/2010-04-01`,
    SUPABASE_BASE_URL: up,
    TWILIO_FROM_NUMBERS: "+15005550006",
    ALLOWED_ORIGINS: "https://app.example.com",
    AWS_ACCESS_KEY_ID: "AKIA" + p.replace(/[^a-z]/g, "").toUpperCase().padEnd(16, "X"),
    AWS_SECRET_ACCESS_KEY: p + "aws-secret",
    AWS_BASE_URL: up,
  };
}
// process.env: Hono on Node and Firebase (defineSecret reads it) use the plain names.
// Firebase counts budgets in Firestore by default (fails closed without it): memory here.
Object.assign(process.env, settings("env-"), { RATE_LIMIT_STORE: "memory" });

// Nuxt: useRuntimeConfig() as Nuxt builds it from nuxt.config.ts: each declared key, filled
// from NUXT_<KEY IN SCREAMING_SNAKE_CASE>. The generated config is read, so a key it
// forgets to declare is missing here too.
const nuxtEnv = Object.fromEntries(Object.entries(settings("nuxt-")).map(([k, v]) => ["NUXT_" + k, v]));
const nuxtConfigText = fs.readFileSync(path.join(outDir, "nuxt/nuxt.config.ts"), "utf8");
const nuxtKeys = [...nuxtConfigText.matchAll(/^ {4}([A-Za-z0-9]+): "",/gm)].map((m) => m[1]);
assert.ok(nuxtKeys.includes("sessionSecret") && nuxtKeys.includes("openaiApiKey"), "nuxt.config.ts runtimeConfig keys");
globalThis.useRuntimeConfig = () =>
  Object.fromEntries(nuxtKeys.map((k) => [k, nuxtEnv["NUXT_" + k.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase()] ?? ""]));

// SvelteKit: $env/dynamic/private is a virtual module; resolve it to this object.
const kitEnv = settings("kit-");
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === "$env/dynamic/private") return "$env/dynamic/private";
  return resolve.call(this, request, ...rest);
};
require.cache["$env/dynamic/private"] = { id: "$env/dynamic/private", filename: "$env/dynamic/private", loaded: true, exports: { env: kitEnv } };

// Supabase: Deno.env and Deno.serve. SUPABASE_* names are reserved by `supabase secrets
// set`, so the Supabase key is given as BFF_SUPABASE_SECRET_KEY only.
const denoVars = settings("deno-");
denoVars.BFF_SUPABASE_SECRET_KEY = denoVars.SUPABASE_SECRET_KEY;
delete denoVars.SUPABASE_SECRET_KEY;
let served = null;
globalThis.Deno = { serve: (handler) => (served = handler), env: { get: (name) => denoVars[name] } };

// ---- sessions, runner -------------------------------------------------------------------
function jwt(claims) {
  const enc = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const head = enc({ alg: "HS256", typ: "JWT" });
  const body = enc(claims);
  const sig = crypto.createHmac("sha256", SESSION_SECRET).update(`${head}.${body}`).digest("base64url");
  return `${head}.${body}.${sig}`;
}
let user = 0;
const token = () => jwt({ sub: "user-" + ++user, phone_number: "+15551230000", exp: Math.floor(Date.now() / 1000) + 3600 });
const basic = (pair) => "Basic " + Buffer.from(pair).toString("base64");
const json = { "content-type": "application/json" };
const form = { "content-type": "application/x-www-form-urlencoded" };

let passed = 0;
let failed = 0;
async function test(name, fn) {
  seen.length = 0;
  try {
    await fn();
    passed++;
    console.log(`ok - ${name}`);
  } catch (err) {
    failed++;
    console.log(`not ok - ${name}\n  ${String((err && err.stack) || err).split("\n").join("\n  ")}`);
  }
}

// A driver takes (method, apiPath, {session, csrf, origin, body, headers}) and returns
// {status, headers, text}. `apiPath` is what the browser calls: /api/<name>/<upstream path>.
function requestHeaders(cookieName, { session, csrf = true, origin, headers = {} }) {
  const h = { ...headers };
  if (session) h.cookie = `${cookieName}=${session}`;
  if (csrf) h["x-requested-with"] = "leakproof";
  if (origin) h.origin = origin;
  return h;
}
async function fromResponse(r) {
  return { status: r.status, headers: r.headers, text: await r.text() };
}
async function listen(handler) {
  const server = http.createServer(handler);
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return server;
}
function overHttp(server, cookieName) {
  const base = `http://127.0.0.1:${server.address().port}`;
  return async (method, apiPath, opts) =>
    fromResponse(await fetch(base + apiPath, { method, headers: requestHeaders(cookieName, opts), body: opts.body }));
}
const servers = [];
const ROUTE_NAMES = ["stripe", "openai", "twilio", "supabase", "aws"];

// Nuxt: the Nitro routes as file-based routing mounts them, in an h3 app.
const h3 = require("h3");
const nuxtApp = h3.createApp();
const nuxtRouter = h3.createRouter();
for (const name of ROUTE_NAMES) {
  nuxtRouter.use(`/api/${name}/**:path`, require(path.join(jsDir, `nuxt/server/api/${name}/[...path].js`)).default);
}
nuxtApp.use(nuxtRouter);
servers.push(await listen(h3.toNodeListener(nuxtApp)));

// Hono on Node: src/app.ts served by @hono/node-server, as src/node.ts does.
const { app: honoApp } = require(path.join(jsDir, "hono/src/app.js"));
const { serve } = require("@hono/node-server");
const honoServer = await new Promise((r) => {
  const s = serve({ fetch: honoApp.fetch, port: 0, hostname: "127.0.0.1" }, () => r(s));
});
servers.push(honoServer);

// Hono on Workers: app.fetch(request, bindings) with a Rate Limiting binding.
const budgets = new Map();
const rateLimitBinding = {
  async limit({ key }) {
    const n = (budgets.get(key) ?? 0) + 1;
    budgets.set(key, n);
    return { success: n <= 3 };
  },
};
const workerBindings = { ...settings("worker-"), BFF_RATE_LIMITER: rateLimitBinding };

// Supabase: one function per route; each module's Deno.serve hands over its handler.
const supabaseFunctions = {};
for (const name of ROUTE_NAMES) {
  require(path.join(jsDir, `supabase/functions/${name}/index.js`));
  supabaseFunctions[name] = served;
}

// Firebase: the onRequest handler behind Express with the raw body, as the Functions
// Framework serves it (Hosting rewrites keep the /api/<name>/ path).
const express = require(path.join(jsDir, "firebase/node_modules/express"));
const firebaseIndex = require(path.join(jsDir, "firebase/functions/src/index.js"));
const firebaseApp = express();
firebaseApp.use(express.raw({ type: () => true, verify: (req, _res, buf) => (req.rawBody = buf) }));
for (const name of ROUTE_NAMES) firebaseApp.all(`/api/${name}/*`, firebaseIndex[name]);
servers.push(await listen(firebaseApp));

const drivers = {
  nuxt: { key: "nuxt-", call: overHttp(servers[0], "__Host-session") },
  // SvelteKit hands +server.ts the RequestEvent; `params.path` is the decoded rest parameter.
  sveltekit: {
    key: "kit-",
    async call(method, apiPath, opts) {
      const [, , name, ...rest] = apiPath.split("?")[0].split("/");
      const mod = require(path.join(jsDir, `sveltekit/src/routes/api/${name}/[...path]/+server.js`));
      if (mod[method] === undefined) return { status: 405, headers: new Headers(), text: "" }; // SvelteKit's answer
      const request = new Request("https://app.example.com" + apiPath, {
        method,
        headers: requestHeaders("__Host-session", opts),
        body: opts.body,
      });
      const params = { path: rest.map(decodeURIComponent).join("/") };
      return fromResponse(await mod[method]({ request, params, url: new URL(request.url) }));
    },
  },
  "hono-node": { key: "env-", call: overHttp(honoServer, "__Host-session") },
  "hono-worker": {
    key: "worker-",
    async call(method, apiPath, opts) {
      const request = new Request("https://app.example.com" + apiPath, { method, headers: requestHeaders("__Host-session", opts), body: opts.body });
      return fromResponse(await honoApp.fetch(request, workerBindings));
    },
  },
  // The app calls https://<ref>.supabase.co/functions/v1/<name>/<upstream path>.
  supabase: {
    key: "deno-",
    async call(method, apiPath, opts) {
      const [, , name, ...rest] = apiPath.split("/");
      const url = `https://ref.supabase.co/functions/v1/${name}/${rest.join("/")}`;
      const request = new Request(url, { method, headers: requestHeaders("__Host-session", opts), body: opts.body });
      return fromResponse(await supabaseFunctions[name](request));
    },
  },
  // Firebase Hosting forwards only the `__session` cookie.
  firebase: { key: "env-", call: overHttp(servers[2], "__session") },
};

const chat = (model, extra = {}) => JSON.stringify({ model, messages: [], ...extra });

for (const [target, { key, call }] of Object.entries(drivers)) {
  const value = (name) => settings(key)[name];
  await test(`${target}: stripe Basic <key>:, headers by allowlist both ways`, async () => {
    const r = await call("POST", "/api/stripe/v1/payment_intents", {
      session: token(),
      body: "amount=1&currency=usd",
      headers: { ...form, "stripe-account": "acct_other", "x-real-ip": "1.2.3.4", "idempotency-key": "idem-1" },
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(seen.length, 1);
    assert.equal(seen[0].url, "/v1/payment_intents");
    assert.equal(seen[0].headers.authorization, basic(value("STRIPE_SECRET_KEY") + ":"));
    assert.equal(seen[0].headers["idempotency-key"], "idem-1");
    assert.equal(seen[0].headers["stripe-account"], undefined);
    assert.equal(seen[0].headers["x-real-ip"], undefined);
    assert.equal(seen[0].headers.cookie, undefined);
    assert.equal(r.headers.get("set-cookie"), null);
    assert.equal(r.headers.get("access-control-allow-origin"), null);
    assert.equal(r.headers.get("x-request-id"), "req_1");
  });
  await test(`${target}: twilio pair: Basic SID:token from two variables; To guarded`, async () => {
    const s = token();
    const sid = value("TWILIO_ACCOUNT_SID");
    const ok = await call("POST", `/api/twilio/Accounts/${sid}/Messages.json`, {
      session: s,
      headers: form,
      body: "To=%2B15551230000&From=%2B15005550006&Body=hi",
    });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(seen[0].headers.authorization, basic(sid + ":" + value("TWILIO_AUTH_TOKEN")));
    const stranger = await call("POST", `/api/twilio/Accounts/${sid}/Messages.json`, {
      session: s,
      headers: form,
      body: "To=%2B19998887777&From=%2B15005550006&Body=hi",
    });
    assert.equal(stranger.status, 400, stranger.text);
    assert.equal(seen.length, 1);
  });
  await test(`${target}: openai: schema, model allowlist, user = session subject`, async () => {
    const s = token();
    const offList = await call("POST", "/api/openai/chat/completions", { session: s, headers: json, body: chat("o1-pro") });
    assert.equal(offList.status, 400, offList.text);
    assert.match(offList.text, /model not allowed/);
    const extra = await call("POST", "/api/openai/chat/completions", { session: s, headers: json, body: chat("gpt-4o-mini", { tools: [] }) });
    assert.equal(extra.status, 400, extra.text);
    assert.match(extra.text, /body does not match/);
    assert.equal(seen.length, 0);
    const ok = await call("POST", "/api/openai/chat/completions", { session: s, headers: json, body: chat("gpt-4o-mini") });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(JSON.parse(seen[0].body).user, "user-" + user);
    assert.equal(seen[0].headers.authorization, "Bearer " + value("OPENAI_API_KEY"));
  });
  await test(`${target}: supabase apikey header`, async () => {
    const r = await call("GET", "/api/supabase/rest/v1/orders?select=id", { session: token() });
    assert.equal(r.status, 200, r.text);
    assert.equal(seen[0].headers.apikey, value("SUPABASE_SECRET_KEY"));
  });
  await test(`${target}: 401, 403 (no CSRF header, foreign Origin), 404, 405, 413`, async () => {
    const body = chat("gpt-4o-mini");
    const status = async (method, p, opts) => (await call(method, p, opts)).status;
    assert.equal(await status("POST", "/api/openai/chat/completions", { headers: json, body }), 401);
    assert.equal(await status("POST", "/api/openai/chat/completions", { session: token(), csrf: false, headers: json, body }), 403);
    assert.equal(await status("POST", "/api/openai/chat/completions", { session: token(), origin: "https://evil.example", headers: json, body }), 403);
    assert.equal(await status("POST", "/api/openai/files", { session: token(), headers: json, body }), 404);
    assert.equal(await status("GET", "/api/openai/chat/completions", { session: token() }), 405);
    assert.equal(await status("POST", "/api/openai/chat/completions", { session: token(), headers: json, body: "x".repeat(5000) }), 413);
    assert.equal(seen.length, 0);
  });
  await test(`${target}: aws: S3 PUT signed with SigV4 from both halves, verified by the upstream`, async () => {
    const r = await call("PUT", "/api/aws/uploads/photo.png", { session: token(), body: "PNGDATA", headers: { "content-type": "image/png" } });
    assert.equal(r.status, 200, r.text);
    assert.equal(seen.length, 1);
    assert.equal(seen[0].url, "/uploads/photo.png");
    assertValidSigV4(seen[0], {
      accessKeyId: value("AWS_ACCESS_KEY_ID"),
      secretAccessKey: value("AWS_SECRET_ACCESS_KEY"),
      region: "us-east-1",
      service: "s3",
    });
  });
  await test(`${target}: 429 over the budget (3 per minute)`, async () => {
    const s = token();
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await call("GET", "/api/stripe/v1/customers/cus_1", { session: s })).status);
    assert.deepEqual(statuses, [200, 200, 200, 429]);
  });
}

await test("supabase: CORS preflight answered for ALLOWED_ORIGINS only", async () => {
  const preflight = (origin) =>
    supabaseFunctions.openai(new Request("https://ref.supabase.co/functions/v1/openai/chat/completions", { method: "OPTIONS", headers: { origin } }));
  const ok = await preflight("https://app.example.com");
  assert.equal(ok.status, 204);
  assert.equal(ok.headers.get("access-control-allow-origin"), "https://app.example.com");
  assert.equal(ok.headers.get("access-control-allow-credentials"), "true");
  assert.equal((await preflight("https://evil.example")).status, 403);
  const r = await drivers.supabase.call("POST", "/api/openai/chat/completions", {
    session: token(),
    origin: "https://app.example.com",
    headers: json,
    body: chat("gpt-4o-mini"),
  });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get("access-control-allow-origin"), "https://app.example.com");
  assert.equal(seen.length, 1);
});

// The Firebase callable (mobile): Firebase Auth required, rate-limited like the web route.
await test("firebase: onCall needs auth, forwards with the key, is rate-limited", async () => {
  const fn = firebaseIndex.stripeCall;
  const run = (auth) => fn.run({ auth, data: { method: "GET", path: "/v1/customers/cus_1" }, rawRequest: {} });
  await assert.rejects(run(undefined), (e) => e.code === "unauthenticated");
  const auth = { uid: "call-user", token: {} };
  for (let i = 0; i < 3; i++) assert.deepEqual(await run(auth), { ok: true });
  assert.equal(seen[0].headers.authorization, basic(settings("env-").STRIPE_SECRET_KEY + ":"));
  await assert.rejects(run(auth), (e) => e.code === "resource-exhausted");
  assert.equal(seen.length, 3);
});

// SESSION_ADAPTER=oidc on the Hono Worker (its own bindings, so the other targets keep
// HS256): RS256 tokens checked against the loopback JWKS; anything else is 401.
await test("hono-worker: SESSION_ADAPTER=oidc: JWKS-signed token accepted, forged or misaddressed ones refused", async () => {
  const issuer = `${up}/issuer`;
  const bindings = { ...workerBindings, SESSION_ADAPTER: "oidc", OIDC_ISSUER: issuer, OIDC_AUDIENCE: "bff-app", BFF_RATE_LIMITER: { limit: async () => ({ success: true }) } };
  const enc = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const rs256 = (claims, key = issuerKey.privateKey, kid = "k1") => {
    const signingInput = `${enc({ alg: "RS256", typ: "JWT", kid })}.${enc(claims)}`;
    return `${signingInput}.${crypto.sign("sha256", Buffer.from(signingInput), key).toString("base64url")}`;
  };
  const exp = Math.floor(Date.now() / 1000) + 600;
  const good = { sub: "oidc-user", iss: issuer, aud: "bff-app", exp };
  const call = async (session) => {
    const request = new Request("https://app.example.com/api/openai/chat/completions", {
      method: "POST",
      headers: requestHeaders("__Host-session", { session, headers: json }),
      body: chat("gpt-4o-mini"),
    });
    return fromResponse(await honoApp.fetch(request, bindings));
  };
  const ok = await call(rs256(good));
  assert.equal(ok.status, 200, ok.text);
  assert.equal(JSON.parse(seen[0].body).user, "oidc-user");
  assert.equal(seen[0].headers.authorization, "Bearer worker-openai-key");
  assert.equal((await call(rs256({ ...good, aud: "other-app" }))).status, 401);
  assert.equal((await call(rs256({ ...good, iss: `${up}/other` }))).status, 401);
  assert.equal((await call(rs256({ ...good, exp: Math.floor(Date.now() / 1000) - 60 }))).status, 401);
  assert.equal((await call(rs256(good, strangerKey.privateKey))).status, 401);
  assert.equal((await call(token())).status, 401, "an HS256 session must not pass the oidc adapter");
  assert.equal(seen.length, 1);
});

// BFF_GLOBAL_RATE_LIMIT on the Hono Worker: the route's budget across sessions goes to the
// BFF_GLOBAL_RATE_LIMITER binding (its limit lives in wrangler.toml), and without that
// binding every request is refused rather than counted against the per-session one.
await test("hono-worker: BFF_GLOBAL_RATE_LIMIT uses BFF_GLOBAL_RATE_LIMITER, fails closed without it", async () => {
  const counted = [];
  const perSession = { limit: async () => ({ success: true }) };
  const global = { limit: async ({ key }) => (counted.push(key), { success: counted.length <= 2 }) };
  const call = async (bindings) => {
    const request = new Request("https://app.example.com/api/stripe/v1/customers/cus_1", {
      method: "GET",
      headers: requestHeaders("__Host-session", { session: token() }),
    });
    return (await honoApp.fetch(request, bindings)).status;
  };
  const withGlobal = { ...workerBindings, BFF_GLOBAL_RATE_LIMIT: "2", BFF_RATE_LIMITER: perSession, BFF_GLOBAL_RATE_LIMITER: global };
  assert.deepEqual([await call(withGlobal), await call(withGlobal), await call(withGlobal)], [200, 200, 429]);
  assert.deepEqual(counted, ["stripe\n*", "stripe\n*", "stripe\n*"]);
  const { BFF_GLOBAL_RATE_LIMITER: _dropped, ...missing } = withGlobal;
  assert.equal(await call(missing), 429);
  assert.equal(seen.length, 2);
});

for (const s of servers) {
  s.closeAllConnections?.();
  s.close();
}
upstream.closeAllConnections?.();
upstream.close();
console.log(`bff framework targets e2e: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
