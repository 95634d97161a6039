// Shared rate limits (issue 13): the per-session and global budgets must hold across
// instances, not per process.
//   - Redis, for real: a redis-server on a loopback port started here; two instances of the
//     compiled Next.js route (separate module loads, separate connections) share one
//     budget, and the control run without Redis shows each instance alone would let more
//     through. The Express JS limiter is checked against the same server.
//   - DynamoDB (Lambda) and Firestore (Firebase): the limiters against a stand-in client at
//     the interface they use (UpdateItemCommand with a condition; runTransaction), checking
//     the request shape and that errors fail closed.
// Usage: node shared_limits_e2e.mjs COMPILED_DIR GENERATED_EXPRESS_DIR
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import http from "node:http";
import net from "node:net";
import { createRequire } from "node:module";
import path from "node:path";

const [jsDir, expressDir] = process.argv.slice(2);
if (!jsDir || !expressDir) throw new Error("usage: node shared_limits_e2e.mjs COMPILED_DIR GENERATED_EXPRESS_DIR");
const require = createRequire(import.meta.url);

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

// ---- a loopback redis-server --------------------------------------------------------------
const port = await new Promise((resolve) => {
  const probe = net.createServer().listen(0, "127.0.0.1", () => {
    const p = probe.address().port;
    probe.close(() => resolve(p));
  });
});
const redis = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
  stdio: "ignore",
});
process.on("exit", () => redis.kill());
for (let i = 0; ; i++) {
  const up = await new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1", () => {
      s.end();
      resolve(true);
    });
    s.on("error", () => resolve(false));
  });
  if (up) break;
  if (i > 100) throw new Error("redis-server did not start");
  await new Promise((r) => setTimeout(r, 50));
}
const redisUrl = `redis://127.0.0.1:${port}`;

// ---- the fake provider ----------------------------------------------------------------------
const upstream = http.createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end("{}");
  });
});
await new Promise((r) => upstream.listen(0, "127.0.0.1", r));
Object.assign(process.env, {
  SESSION_SECRET: "s".repeat(40),
  STRIPE_SECRET_KEY: "stripe-test-key",
  STRIPE_BASE_URL: `http://127.0.0.1:${upstream.address().port}`,
});

function jwt(sub) {
  const enc = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const head = enc({ alg: "HS256", typ: "JWT" });
  const body = enc({ sub, exp: Math.floor(Date.now() / 1000) + 600 });
  const sig = crypto.createHmac("sha256", process.env.SESSION_SECRET).update(`${head}.${body}`).digest("base64url");
  return `${head}.${body}.${sig}`;
}

// A fresh instance of the compiled Next.js stripe route: its own module scope, so its own
// memory budget and its own Redis connection, as a second server process would have.
const routeFile = path.join(jsDir, "nextjs/app/api/stripe/[...path]/route.js");
function freshInstance() {
  for (const k of Object.keys(require.cache)) if (k.startsWith(path.join(jsDir, "nextjs"))) delete require.cache[k];
  return require(routeFile);
}
async function get(instance, sub) {
  const req = new Request("https://app.example.com/api/stripe/v1/customers/cus_1", {
    headers: { "x-requested-with": "leakproof", cookie: `__Host-session=${jwt(sub)}` },
  });
  const r = await instance.GET(req, { params: Promise.resolve({ path: ["v1", "customers", "cus_1"] }) });
  await r.text();
  return r.status;
}
const run = Date.now().toString(36); // fresh session subjects per run: Redis windows last a minute

// Budgets are fixed one-minute windows: a test that straddles a window edge would see its
// count reset. Start each budget test at least 3 s before the edge.
async function awayFromWindowEdge() {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 3_000) await new Promise((r) => setTimeout(r, left + 100));
}

// golden_dist.sh compiles the TS targets with --rate-limit 3.
await test("control: without Redis each instance has its own budget (3 + 3 pass)", async () => {
  delete process.env.RATE_LIMIT_REDIS_URL;
  const a = freshInstance();
  const b = freshInstance();
  const statuses = [];
  for (const inst of [a, b, a, b]) statuses.push(await get(inst, "control-" + run));
  assert.deepEqual(statuses, [200, 200, 200, 200]);
});
await test("redis: two instances share one per-session budget (3 pass, then 429 on either)", async () => {
  process.env.RATE_LIMIT_REDIS_URL = redisUrl;
  await awayFromWindowEdge();
  const a = freshInstance();
  const b = freshInstance();
  const statuses = [];
  for (const inst of [a, b, a, b, a]) statuses.push(await get(inst, "shared-" + run));
  assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
  // Another session still has its own budget.
  assert.equal(await get(b, "other-" + run), 200);
});
await test("redis: BFF_GLOBAL_RATE_LIMIT is one budget for every session on every instance", async () => {
  process.env.RATE_LIMIT_REDIS_URL = `${redisUrl}/1`; // a fresh database: no earlier global counts
  process.env.BFF_GLOBAL_RATE_LIMIT = "4";
  await awayFromWindowEdge();
  const a = freshInstance();
  const b = freshInstance();
  const statuses = [];
  for (let i = 0; i < 5; i++) statuses.push(await get(i % 2 ? b : a, `global-${i}-${run}`));
  delete process.env.BFF_GLOBAL_RATE_LIMIT;
  assert.deepEqual(statuses, [200, 200, 200, 200, 429]);
});
await test("redis: fails closed when Redis is unreachable", async () => {
  process.env.RATE_LIMIT_REDIS_URL = "redis://127.0.0.1:1"; // nothing listens on port 1
  const a = freshInstance();
  assert.equal(await get(a, "down-" + run), 429);
  delete process.env.RATE_LIMIT_REDIS_URL;
});
await test("express rate-limit-redis.js: two limiters (two connections) share one budget", async () => {
  const { RedisRateLimiter } = require(path.join(expressDir, "express/lib/rate-limit-redis.js"));
  const { Redis } = require("ioredis");
  const c1 = new Redis(redisUrl);
  const c2 = new Redis(redisUrl);
  const [l1, l2] = [new RedisRateLimiter(c1), new RedisRateLimiter(c2)];
  await awayFromWindowEdge();
  const got = [];
  for (const l of [l1, l2, l1, l2]) got.push(await l.allow("express\nuser-" + run, 3));
  c1.disconnect();
  c2.disconnect();
  assert.deepEqual(got, [true, true, true, false]);
});

// ---- DynamoDB (Lambda), at the client interface ------------------------------------------
await test("dynamodb: conditional UpdateItem per key and minute; over budget and errors refuse", async () => {
  const { DynamoDbRateLimiter } = require(path.join(jsDir, "lambda/src/rate-limit-dynamodb.js"));
  const items = new Map();
  const inputs = [];
  // Evaluates the limiter's own condition the way DynamoDB would, atomically per call.
  const client = {
    async send(command) {
      const input = command.input;
      inputs.push(input);
      const pk = input.Key.pk.S;
      const count = items.get(pk);
      const limit = Number(input.ExpressionAttributeValues[":limit"].N);
      if (!(count === undefined || count < limit)) {
        const err = new Error("The conditional request failed");
        err.name = "ConditionalCheckFailedException";
        throw err;
      }
      items.set(pk, (count ?? 0) + Number(input.ExpressionAttributeValues[":one"].N));
      return {};
    },
  };
  const limiter = new DynamoDbRateLimiter(client, "bff-limits");
  await awayFromWindowEdge();
  const got = [];
  for (let i = 0; i < 4; i++) got.push(await limiter.allow("stripe\nuser-1", 3));
  assert.deepEqual(got, [true, true, true, false]);
  assert.equal(await limiter.allow("stripe\nuser-2", 3), true);
  const first = inputs[0];
  assert.equal(first.TableName, "bff-limits");
  assert.match(first.Key.pk.S, /^stripe\nuser-1#\d+$/);
  assert.equal(first.ConditionExpression, "attribute_not_exists(#count) OR #count < :limit");
  assert.match(first.UpdateExpression, /ADD #count :one/);
  assert.ok(Number(first.ExpressionAttributeValues[":expires"].N) > Date.now() / 1000, "TTL in the future");
  const broken = new DynamoDbRateLimiter({ send: async () => { throw new Error("network"); } }, "t");
  assert.equal(await broken.allow("k", 3), false);
});

// ---- Firestore (Firebase), at the client interface ---------------------------------------
await test("firestore: a transaction per request; over budget and errors refuse", async () => {
  const { FirestoreRateLimiter } = require(path.join(jsDir, "firebase/functions/src/rate-limit-firestore.js"));
  const docs = new Map();
  let transactions = 0;
  const db = {
    collection(name) {
      return { doc: (id) => ({ path: `${name}/${id}` }) };
    },
    async runTransaction(fn) {
      transactions++;
      const writes = [];
      const tx = {
        async get(ref) {
          const data = docs.get(ref.path);
          return { exists: data !== undefined, get: (field) => data?.[field] };
        },
        set(ref, data) {
          writes.push([ref.path, data]);
        },
      };
      const result = await fn(tx);
      for (const [p, d] of writes) docs.set(p, d);
      return result;
    },
  };
  const limiter = new FirestoreRateLimiter(db, "bffRateLimits");
  await awayFromWindowEdge();
  const got = [];
  for (let i = 0; i < 4; i++) got.push(await limiter.allow("stripe\nuser-1", 3));
  assert.deepEqual(got, [true, true, true, false]);
  assert.equal(transactions, 4);
  const [[docPath, data]] = [...docs.entries()];
  assert.match(docPath, /^bffRateLimits\/[0-9a-f]{64}$/, "key hashed: no '/' in document ids");
  assert.equal(data.count, 3);
  assert.ok(data.expiresAt instanceof Date && data.expiresAt.getTime() > Date.now(), "TTL field set");
  const broken = new FirestoreRateLimiter({ collection: db.collection, runTransaction: async () => { throw new Error("unavailable"); } });
  assert.equal(await broken.allow("k", 3), false);
});

upstream.close();
redis.kill();
console.log(`bff shared limits e2e: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
