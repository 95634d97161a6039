// The no-leak test (no_leak.sh drives it): `write DIR` writes a source file with fresh,
// random, never-issued keys in the shapes leakproof detects; `check REPORT DIR...` reads
// the secrets from a --no-redact JSON report and fails if any generated file under the
// DIRs contains any 8-character piece of a secret beyond its first 4 characters.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const [mode, ...args] = process.argv.slice(2);

function rnd(n, alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") {
  let out = "";
  for (const b of crypto.randomBytes(n)) out += alphabet[b % alphabet.length];
  return out;
}

if (mode === "write") {
  const openai = "sk-proj-" + rnd(40) + "T3BlbkFJ" + rnd(40);
  const anthropic = "sk-ant-api03-" + rnd(93) + "AA";
  const stripe1 = "sk_live_51Q" + rnd(60);
  const stripe2 = "rk_live_51H" + rnd(60);
  const mailgun = "key-" + rnd(32, "0123456789abcdef");
  const telegram = "7" + rnd(8, "0123456789") + ":AA" + rnd(33);
  const src = `
const OPENAI_KEY = "${openai}";
export const chat = (messages) => fetch("https://api.openai.com/v1/chat/completions", {
  method: "POST", headers: { Authorization: "Bearer " + OPENAI_KEY }, body: JSON.stringify({ messages, stream: true }) });
export const claude = () => fetch("https://api.anthropic.com/v1/messages", { method: "POST", headers: { "x-api-key": "${anthropic}" } });
export const pay = () => fetch("https://api.stripe.com/v1/payment_intents", { method: "POST", headers: { Authorization: "Bearer ${stripe1}" } });
export const refund = () => fetch("https://api.stripe.com/v1/refunds", { method: "POST", headers: { Authorization: "Bearer ${stripe2}" } });
const MAILGUN_API_KEY = "${mailgun}";
export const mail = () => fetch("https://api.mailgun.net/v3/mg.example.com/messages", { method: "POST" });
export const tg = () => fetch("https://api.telegram.org/bot${telegram}/sendMessage?chat_id=42", { method: "POST" });
`;
  fs.mkdirSync(args[0], { recursive: true });
  fs.writeFileSync(path.join(args[0], "app.js"), src);
} else if (mode === "check") {
  const [reportPath, ...dirs] = args;
  const report = JSON.parse(fs.readFileSync(reportPath, "utf8"));
  const secrets = [...new Set(report.findings.map((f) => f.secret))];
  if (secrets.length < 5) throw new Error(`expected the scan to find the fake keys, got ${secrets.length}`);
  const pieces = new Map();
  for (const s of secrets) for (let i = 4; i + 8 <= s.length; i++) pieces.set(s.slice(i, i + 8), s.slice(0, 4));
  let files = 0;
  let leaks = 0;
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        files++;
        const text = fs.readFileSync(p, "utf8");
        for (const [piece, prefix] of pieces) {
          if (text.includes(piece)) {
            leaks++;
            console.log(`LEAK: ${p} contains part of the ${prefix}… secret`);
            break;
          }
        }
      }
    }
  };
  dirs.forEach(walk);
  if (files === 0) throw new Error("no generated files to check");
  console.log(`bff no-leak: ${files - leaks} passed, ${leaks} failed (${secrets.length} secrets, ${files} files)`);
  process.exit(leaks === 0 ? 0 : 1);
} else {
  throw new Error("usage: no_leak.mjs write DIR | check REPORT DIR...");
}
