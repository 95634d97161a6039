// An independent AWS Signature V4 check for the run tests: recomputes the signature of a
// request as the fake upstream received it (RFC-style canonical request, HMAC-SHA256 key
// chain, docs.aws.amazon.com "Create a signed AWS API request") and compares it with the
// Authorization header the stub sent. Shares no code with the signer under test.
import assert from "node:assert/strict";
import crypto from "node:crypto";

const sha256 = (data) => crypto.createHash("sha256").update(data).digest("hex");
const hmac = (key, data) => crypto.createHmac("sha256", key).update(data).digest();

// seen: { method, url (path?query as received), headers (node lower-case), body (string) }
export function assertValidSigV4(seen, { accessKeyId, secretAccessKey, region, service }) {
  const auth = seen.headers.authorization ?? "";
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(auth);
  assert.ok(m, "not a SigV4 Authorization header: " + auth.slice(0, 40));
  const [, keyId, day, scopeRegion, scopeService, signedHeaders, signature] = m;
  assert.equal(keyId, accessKeyId);
  assert.equal(scopeRegion, region);
  assert.equal(scopeService, service);
  const amzDate = seen.headers["x-amz-date"];
  assert.match(amzDate ?? "", /^\d{8}T\d{6}Z$/);
  assert.equal(amzDate.slice(0, 8), day);
  const when = Date.UTC(+amzDate.slice(0, 4), +amzDate.slice(4, 6) - 1, +amzDate.slice(6, 8), +amzDate.slice(9, 11), +amzDate.slice(11, 13), +amzDate.slice(13, 15));
  assert.ok(Math.abs(Date.now() - when) < 5 * 60 * 1000, "x-amz-date not current");
  const names = signedHeaders.split(";");
  for (const required of ["host", "x-amz-date"]) assert.ok(names.includes(required), "unsigned " + required);

  const [path, query = ""] = seen.url.split("?");
  const canonicalQuery = query
    .split("&")
    .filter((p) => p !== "")
    .map((p) => p.split("="))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v = ""]) => `${k}=${v}`)
    .join("&");
  const canonicalHeaders = names.map((n) => `${n}:${String(seen.headers[n] ?? "").trim().replace(/\s+/g, " ")}\n`).join("");
  const payloadHeader = seen.headers["x-amz-content-sha256"];
  if (payloadHeader !== undefined && payloadHeader !== "UNSIGNED-PAYLOAD") assert.equal(payloadHeader, sha256(seen.body));
  const payloadHash = payloadHeader ?? sha256(seen.body);
  const canonicalRequest = [seen.method, path, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash].join("\n");
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonicalRequest)].join("\n");
  const signingKey = hmac(hmac(hmac(hmac("AWS4" + secretAccessKey, day), region), service), "aws4_request");
  assert.equal(signature, crypto.createHmac("sha256", signingKey).update(stringToSign).digest("hex"), "signature mismatch");
}
