// Runs the TypeScript targets generated from the golden dist/ (compiled to CommonJS by
// golden_dist.sh) against a fake provider on 127.0.0.1: the Next.js route handler under a
// basePath, the Cloudflare Worker with a Rate Limiting binding, and the Lambda handler with
// API Gateway HTTP API v2 and REST v1 events, its key read from a fake Secrets Manager
// (a key/value JSON secret). Each gets the same checks as the Express run: credential in
// the provider's form, 401, 403 (CSRF header, foreign Origin), 404, 413, 429, the guard.
// Usage: node ts_targets_e2e.mjs COMPILED_DIR  (nextjs/, cloudflare/, lambda/ inside)
import assert from "node:assert/strict";
import crypto from "node:crypto";
import http from "node:http";
import { createRequire } from "node:module";
import path from "node:path";

import { assertValidSigV4 } from "./sigv4_check.mjs";

const jsDir = process.argv[2];
if (!jsDir) throw new Error("usage: node ts_targets_e2e.mjs COMPILED_DIR");
const require = createRequire(import.meta.url);

const seen = [];
const upstream = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks).toString();
    if (req.headers["x-amz-target"] === "secretsmanager.GetSecretValue") {
      // The console's default: a key/value secret. The route must send the value only.
      const id = JSON.parse(body).SecretId;
      const fields = { [id]: "lambda-" + id };
      // A key pair keeps its identifier half in the same secret (lambda-adapter readPairField).
      if (id === "AWS_SECRET_ACCESS_KEY") fields.AWS_ACCESS_KEY_ID = "AKIALAMBDAPAIR000000";
      res.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
      res.end(JSON.stringify({ Name: id, SecretString: JSON.stringify(fields) }));
      return;
    }
    seen.push({ method: req.method, url: req.url, headers: req.headers, body });
    res.writeHead(200, { "content-type": "application/json", "set-cookie": "u=1", "access-control-allow-origin": "*" });
    res.end(JSON.stringify({ ok: true }));
  });
});
await new Promise((r) => upstream.listen(0, "127.0.0.1", r));
const up = `http://127.0.0.1:${upstream.address().port}`;

const env = {
  SESSION_SECRET: "s".repeat(40),
  STRIPE_SECRET_KEY: "stripe-test-key",
  OPENAI_API_KEY: "openai-test-key",
  STRIPE_BASE_URL: up,
  OPENAI_BASE_URL: `${up}/v1`,
  AWS_BASE_URL: up,
  // Lambda: the SDK talks to the fake Secrets Manager.
  AWS_ENDPOINT_URL_SECRETS_MANAGER: up,
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "test",
  AWS_SECRET_ACCESS_KEY: "test",
};
Object.assign(process.env, env);

function jwt(claims) {
  const enc = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const head = enc({ alg: "HS256", typ: "JWT" });
  const body = enc(claims);
  const sig = crypto.createHmac("sha256", env.SESSION_SECRET).update(`${head}.${body}`).digest("base64url");
  return `${head}.${body}.${sig}`;
}
let user = 0;
const session = () => `__Host-session=${jwt({ sub: "user-" + ++user, exp: Math.floor(Date.now() / 1000) + 3600 })}`;
const basic = (pair) => "Basic " + Buffer.from(pair).toString("base64");

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

// One driver per target: (method, apiPath, {cookie, csrf, origin, body, headers}) -> {status, headers, text}
function webRequest(url, { method, cookie, csrf = true, origin, body, headers = {} }) {
  const h = { ...headers };
  if (cookie) h.cookie = cookie;
  if (csrf) h["x-requested-with"] = "leakproof";
  if (origin) h.origin = origin;
  return new Request(url, { method, headers: h, body });
}
async function fromResponse(r) {
  return { status: r.status, headers: r.headers, text: await r.text() };
}

const nextRoutes = {
  stripe: require(path.join(jsDir, "nextjs/app/api/stripe/[...path]/route.js")),
  openai: require(path.join(jsDir, "nextjs/app/api/openai/[...path]/route.js")),
  aws: require(path.join(jsDir, "nextjs/app/api/aws/[...path]/route.js")),
};
const worker = require(path.join(jsDir, "cloudflare/src/index.js")).default;
const lambda = {
  stripe: require(path.join(jsDir, "lambda/src/stripe.js")).handler,
  openai: require(path.join(jsDir, "lambda/src/openai.js")).handler,
  aws: require(path.join(jsDir, "lambda/src/aws.js")).handler,
};
const budgets = new Map();
const rateLimitBinding = {
  async limit({ key }) {
    const n = (budgets.get(key) ?? 0) + 1;
    budgets.set(key, n);
    return { success: n <= 3 };
  },
};

const drivers = {
  // Under basePath "/shop": the handler must take the path from its params, not the URL.
  async nextjs(method, apiPath, opts) {
    const [, , name, ...rest] = apiPath.split("/");
    const handler = nextRoutes[name]?.[method];
    if (handler === undefined) return { status: 405, headers: new Headers(), text: "" };
    const req = webRequest("https://app.example.com/shop" + apiPath, { method, ...opts });
    return fromResponse(await handler(req, { params: Promise.resolve({ path: rest }) }));
  },
  async cloudflare(method, apiPath, opts) {
    const req = webRequest("https://app.example.com" + apiPath, { method, ...opts });
    return fromResponse(await worker.fetch(req, { ...env, BFF_RATE_LIMITER: rateLimitBinding }));
  },
  // HTTP API payload v2.0: rawPath, cookies array, requestContext.http.method.
  async lambda(method, apiPath, opts) {
    const name = apiPath.split("/")[2];
    const headers = { host: "app.example.com", ...(opts.headers ?? {}) };
    if (opts.csrf !== false) headers["x-requested-with"] = "leakproof";
    if (opts.origin) headers.origin = opts.origin;
    const event = {
      version: "2.0",
      rawPath: apiPath,
      rawQueryString: "",
      cookies: opts.cookie ? [opts.cookie] : undefined,
      headers,
      requestContext: { http: { method } },
      body: opts.body ?? undefined,
      isBase64Encoded: false,
    };
    const r = await lambda[name](event);
    return { status: r.statusCode, headers: new Headers(r.headers), text: r.isBase64Encoded ? Buffer.from(r.body, "base64").toString() : r.body };
  },
};

const chat = (model, extra = {}) => JSON.stringify({ model, messages: [], ...extra });
const json = { "content-type": "application/json" };

for (const [target, call] of Object.entries(drivers)) {
  const key = (name) => (target === "lambda" ? "lambda-" + name : env[name]);
  await test(`${target}: stripe Basic key:, allowlisted headers both ways`, async () => {
    const r = await call("POST", "/api/stripe/v1/payment_intents", {
      cookie: session(),
      body: "amount=1",
      headers: { "content-type": "application/x-www-form-urlencoded", "stripe-account": "acct_x", "x-real-ip": "1.2.3.4" },
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(seen[0].headers.authorization, basic(key("STRIPE_SECRET_KEY") + ":"));
    assert.equal(seen[0].url, "/v1/payment_intents");
    assert.equal(seen[0].headers["stripe-account"], undefined);
    assert.equal(seen[0].headers["x-real-ip"], undefined);
    assert.equal(r.headers.get("access-control-allow-origin"), null);
    assert.equal(r.headers.get("set-cookie"), null);
    if (target === "lambda") assert.ok(r.text.startsWith("{"), "text bodies are not base64");
  });
  await test(`${target}: openai guard: model list, user = subject`, async () => {
    const s = session();
    assert.equal((await call("POST", "/api/openai/chat/completions", { cookie: s, headers: json, body: chat("o1-pro") })).status, 400);
    const r = await call("POST", "/api/openai/chat/completions", { cookie: s, headers: json, body: chat("gpt-4o-mini") });
    assert.equal(r.status, 200, r.text);
    assert.equal(JSON.parse(seen[0].body).user, "user-" + user);
    assert.equal(seen[0].headers.authorization, "Bearer " + key("OPENAI_API_KEY"));
  });
  await test(`${target}: 401, 403 (no CSRF header, foreign Origin), 404, 405, 413`, async () => {
    const body = chat("gpt-4o-mini");
    assert.equal((await call("POST", "/api/openai/chat/completions", { headers: json, body })).status, 401);
    assert.equal((await call("POST", "/api/openai/chat/completions", { cookie: session(), csrf: false, headers: json, body })).status, 403);
    assert.equal((await call("POST", "/api/openai/chat/completions", { cookie: session(), origin: "https://evil.example", headers: json, body })).status, 403);
    assert.equal((await call("POST", "/api/openai/files", { cookie: session(), headers: json, body })).status, 404);
    assert.equal((await call("GET", "/api/openai/chat/completions", { cookie: session() })).status, 405);
    assert.equal((await call("POST", "/api/openai/chat/completions", { cookie: session(), body: "x".repeat(5000) })).status, 413);
    assert.equal(seen.length, 0);
  });
  await test(`${target}: aws SigV4 (S3) with both halves, verified by the upstream`, async () => {
    const r = await call("PUT", "/api/aws/uploads/a.png", { cookie: session(), body: "PNG", headers: { "content-type": "image/png" } });
    assert.equal(r.status, 200, r.text);
    assert.equal(seen[0].url, "/uploads/a.png");
    // Lambda: both halves from the one secret, never the function's own AWS_ACCESS_KEY_ID.
    const accessKeyId = target === "lambda" ? "AKIALAMBDAPAIR000000" : env.AWS_ACCESS_KEY_ID;
    assertValidSigV4(seen[0], { accessKeyId, secretAccessKey: key("AWS_SECRET_ACCESS_KEY"), region: "us-east-1", service: "s3" });
  });
  await test(`${target}: 429 over the budget`, async () => {
    const s = session();
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await call("GET", "/api/stripe/v1/customers/cus_1", { cookie: s })).status);
    assert.deepEqual(statuses, [200, 200, 200, 429]);
  });
}

upstream.close();
console.log(`bff ts targets e2e: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
