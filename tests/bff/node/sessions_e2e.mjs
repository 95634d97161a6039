// Session adapters (sessions.ts / sessions.js, selected by SESSION_ADAPTER) run for real:
// the compiled Next.js route of the golden dist/ (golden_dist.sh) with
//   - oidc: tokens signed by a key whose JWKS this test serves on 127.0.0.1 (the adapter
//     fetches it with jose's createRemoteJWKSet), positive and negative: expired, wrong
//     issuer, wrong audience, bad signature, alg "none", HS256 alg confusion, a Bearer
//     token on a route not marked mobile;
//   - authjs: a cookie made by @auth/core's own encode() (what Auth.js sets at sign-in):
//     valid, expired, wrong AUTH_SECRET, a leakproof HS256 token in its place;
// and the Clerk and Supabase adapters and the Express JS copy called directly.
// Usage: node sessions_e2e.mjs COMPILED_DIR GENERATED_EXPRESS_DIR
import assert from "node:assert/strict";
import crypto from "node:crypto";
import http from "node:http";
import { createRequire } from "node:module";
import path from "node:path";

import { encode as authJsEncode } from "@auth/core/jwt";
import { SignJWT, exportJWK, exportSPKI, generateKeyPair } from "jose";

const [jsDir, expressDir] = process.argv.slice(2);
if (!jsDir || !expressDir) throw new Error("usage: node sessions_e2e.mjs COMPILED_DIR GENERATED_EXPRESS_DIR");
const require = createRequire(import.meta.url);

// The fake provider, and the issuer's JWKS on the same loopback server.
const seen = [];
const signing = await generateKeyPair("RS256", { extractable: true });
const attacker = await generateKeyPair("RS256", { extractable: true });
const jwks = { keys: [{ ...(await exportJWK(signing.publicKey)), kid: "k1", alg: "RS256", use: "sig" }] };
let jwksFetches = 0;
const server = http.createServer((req, res) => {
  if (req.url === "/issuer/.well-known/jwks.json") {
    jwksFetches++;
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(jwks));
    return;
  }
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    seen.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() });
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ ok: true }));
  });
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${server.address().port}`;
const issuer = `${base}/issuer`;
const audience = "bff-test-client";

Object.assign(process.env, {
  SESSION_SECRET: "s".repeat(40),
  OPENAI_API_KEY: "openai-test-key",
  OPENAI_BASE_URL: `${base}/v1`,
  OIDC_ISSUER: issuer,
  OIDC_AUDIENCE: audience,
});

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

const openai = require(path.join(jsDir, "nextjs/app/api/openai/[...path]/route.js"));
async function call({ cookie, authorization }) {
  const headers = { "x-requested-with": "leakproof", "content-type": "application/json" };
  if (cookie) headers.cookie = cookie;
  if (authorization) headers.authorization = authorization;
  const req = new Request("https://app.example.com/api/openai/chat/completions", {
    method: "POST",
    headers,
    body: JSON.stringify({ model: "gpt-4o-mini", messages: [] }),
  });
  const r = await openai.POST(req, { params: Promise.resolve({ path: ["chat", "completions"] }) });
  return { status: r.status, text: await r.text() };
}

const now = () => Math.floor(Date.now() / 1000);
async function oidcToken({ iss = issuer, aud = audience, exp = now() + 600, key = signing.privateKey, sub = "oidc-user" } = {}) {
  return new SignJWT({ email: "u@example.com" })
    .setProtectedHeader({ alg: "RS256", kid: "k1" })
    .setIssuer(iss)
    .setAudience(aud)
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(exp)
    .sign(key);
}
const b64u = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");

// ---- OIDC / JWKS --------------------------------------------------------------------------
process.env.SESSION_ADAPTER = "oidc";
await test("oidc: a token from the loopback issuer is accepted; user = its subject", async () => {
  const r = await call({ cookie: `__Host-session=${await oidcToken({ sub: "oidc-42" })}` });
  assert.equal(r.status, 200, r.text);
  assert.equal(seen[0].headers.authorization, "Bearer openai-test-key");
  assert.equal(JSON.parse(seen[0].body).user, "oidc-42");
  assert.ok(jwksFetches >= 1, "the JWKS was fetched from the issuer");
});
await test("oidc: expired, wrong issuer, wrong audience, bad signature are 401", async () => {
  for (const [what, token] of [
    ["expired", await oidcToken({ exp: now() - 120 })],
    ["wrong issuer", await oidcToken({ iss: `${base}/other-issuer` })],
    ["wrong audience", await oidcToken({ aud: "someone-else" })],
    ["bad signature", await oidcToken({ key: attacker.privateKey })],
  ]) {
    const r = await call({ cookie: `__Host-session=${token}` });
    assert.equal(r.status, 401, what);
  }
  assert.equal(seen.length, 0);
});
await test("oidc: alg none and HS256 signed with the public key (alg confusion) are 401", async () => {
  const claims = { iss: issuer, aud: audience, sub: "x", exp: now() + 600 };
  const none = `${b64u({ alg: "none", typ: "JWT" })}.${b64u(claims)}.`;
  assert.equal((await call({ cookie: `__Host-session=${none}` })).status, 401);
  const pem = await exportSPKI(signing.publicKey);
  const head = `${b64u({ alg: "HS256", kid: "k1" })}.${b64u(claims)}`;
  const sig = crypto.createHmac("sha256", pem).update(head).digest("base64url");
  assert.equal((await call({ cookie: `__Host-session=${head}.${sig}` })).status, 401);
  assert.equal(seen.length, 0);
});
await test("oidc: a Bearer session is refused on a route not marked mobile", async () => {
  const r = await call({ authorization: `Bearer ${await oidcToken()}` });
  assert.equal(r.status, 401);
  assert.equal(seen.length, 0);
});
await test("oidc: the adapter takes a Bearer token when the route is mobile", async () => {
  const { oidcSession } = require(path.join(jsDir, "nextjs/lib/sessions.js"));
  const env = (name) => process.env[name];
  const s = await oidcSession({ cookieHeader: null, authorization: `Bearer ${await oidcToken({ sub: "app-7" })}` }, env);
  assert.equal(s?.subject, "app-7");
  assert.equal(await oidcSession({ cookieHeader: null, authorization: null }, env), null);
});
await test("an unknown SESSION_ADAPTER refuses everything (no silent fallback)", async () => {
  process.env.SESSION_ADAPTER = "okta-typo";
  assert.equal((await call({ cookie: `__Host-session=${await oidcToken()}` })).status, 401);
  process.env.SESSION_ADAPTER = "oidc";
});

// ---- Auth.js / NextAuth -------------------------------------------------------------------
const authSecret = "auth-secret-for-tests-0123456789abcdef";
const cookieName = "__Secure-authjs.session-token";
const authJsCookie = async (token, { secret = authSecret, maxAge = 3600 } = {}) =>
  `${cookieName}=${await authJsEncode({ token, secret, salt: cookieName, maxAge })}`;
process.env.SESSION_ADAPTER = "authjs";
process.env.AUTH_SECRET = authSecret;
await test("authjs: the cookie Auth.js sets (encode() from @auth/core) is accepted", async () => {
  const r = await call({ cookie: await authJsCookie({ sub: "authjs-1", email: "a@example.com" }) });
  assert.equal(r.status, 200, r.text);
  assert.equal(JSON.parse(seen[0].body).user, "authjs-1");
});
await test("authjs: expired, wrong AUTH_SECRET, and a leakproof HS256 token are 401", async () => {
  assert.equal((await call({ cookie: await authJsCookie({ sub: "u" }, { maxAge: -120 }) })).status, 401);
  assert.equal((await call({ cookie: await authJsCookie({ sub: "u" }, { secret: "another-secret-0123456789abcdef" }) })).status, 401);
  const head = b64u({ alg: "HS256", typ: "JWT" });
  const body = b64u({ sub: "u", exp: now() + 600 });
  const sig = crypto.createHmac("sha256", process.env.SESSION_SECRET).update(`${head}.${body}`).digest("base64url");
  assert.equal((await call({ cookie: `${cookieName}=${head}.${body}.${sig}` })).status, 401);
  assert.equal(seen.length, 0);
});
await test("authjs: AUTH_SECRET rotation (new,old) still accepts the old secret's cookie", async () => {
  process.env.AUTH_SECRET = "new-auth-secret-0123456789abcdef0123," + authSecret;
  const r = await call({ cookie: await authJsCookie({ sub: "authjs-2" }) });
  process.env.AUTH_SECRET = authSecret;
  assert.equal(r.status, 200, r.text);
});

// ---- Clerk and Supabase, called directly -------------------------------------------------
const env = (name) => process.env[name];
await test("clerk: networkless RS256 with CLERK_JWT_KEY; azp checked; other keys refused", async () => {
  const { clerkSession } = require(path.join(jsDir, "nextjs/lib/sessions.js"));
  process.env.CLERK_JWT_KEY = await exportSPKI(signing.publicKey);
  process.env.CLERK_AUTHORIZED_PARTIES = "https://app.example.com";
  const token = (azp, key = signing.privateKey) =>
    new SignJWT({ azp, sid: "sess_1" }).setProtectedHeader({ alg: "RS256" }).setSubject("user_2x").setExpirationTime(now() + 60).sign(key);
  assert.equal((await clerkSession({ cookieHeader: `__session=${await token("https://app.example.com")}`, authorization: null }, env))?.subject, "user_2x");
  assert.equal(await clerkSession({ cookieHeader: `__session=${await token("https://evil.example")}`, authorization: null }, env), null);
  assert.equal(await clerkSession({ cookieHeader: `__session=${await token("https://app.example.com", attacker.privateKey)}`, authorization: null }, env), null);
});
await test("supabase: @supabase/ssr cookie (base64-, chunked), issuer and audience checked", async () => {
  const { supabaseSession } = require(path.join(jsDir, "nextjs/lib/sessions.js"));
  process.env.SUPABASE_URL = "https://abcdefghij.supabase.co";
  process.env.SUPABASE_JWT_SECRET = "supabase-jwt-secret-0123456789abcdef0123";
  const secret = new TextEncoder().encode(process.env.SUPABASE_JWT_SECRET);
  const token = (aud, iss = "https://abcdefghij.supabase.co/auth/v1") =>
    new SignJWT({ role: "authenticated" }).setProtectedHeader({ alg: "HS256" }).setIssuer(iss).setAudience(aud).setSubject("sb-user").setExpirationTime(now() + 60).sign(secret);
  const cookie = async (t) => {
    const value = "base64-" + Buffer.from(JSON.stringify({ access_token: t, refresh_token: "r" })).toString("base64url");
    const half = Math.floor(value.length / 2);
    return `sb-abcdefghij-auth-token.0=${value.slice(0, half)}; sb-abcdefghij-auth-token.1=${value.slice(half)}`;
  };
  assert.equal((await supabaseSession({ cookieHeader: await cookie(await token("authenticated")), authorization: null }, env))?.subject, "sb-user");
  assert.equal(await supabaseSession({ cookieHeader: await cookie(await token("anon")), authorization: null }, env), null);
  assert.equal(await supabaseSession({ cookieHeader: await cookie(await token("authenticated", "https://other.supabase.co/auth/v1")), authorization: null }, env), null);
});

// ---- Express (the JS copy) --------------------------------------------------------------
await test("express sessions.js: oidc and authjs behave like the TypeScript adapters", async () => {
  const { sessionFromEnv } = require(path.join(expressDir, "express/lib/sessions.js"));
  const verify = sessionFromEnv();
  process.env.SESSION_ADAPTER = "oidc";
  assert.equal((await verify({ cookieHeader: `__Host-session=${await oidcToken({ sub: "js-1" })}`, authorization: null }, env))?.subject, "js-1");
  assert.equal(await verify({ cookieHeader: `__Host-session=${await oidcToken({ aud: "x" })}`, authorization: null }, env), null);
  process.env.SESSION_ADAPTER = "authjs";
  assert.equal((await verify({ cookieHeader: await authJsCookie({ sub: "js-2" }), authorization: null }, env))?.subject, "js-2");
  assert.equal(await verify({ cookieHeader: await authJsCookie({ sub: "js-2" }, { maxAge: -120 }), authorization: null }, env), null);
});

server.close();
console.log(`bff sessions e2e: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
