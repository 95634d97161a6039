// Writes a Vite-style production build (dist/index.html, one minified chunk, its source
// map) of a shop front-end that calls Stripe, OpenAI, Google Maps, Twilio, SendGrid,
// Algolia, Supabase, Mapbox and AWS S3 straight from the browser, keys included: the
// input of the `leakproof bff` golden run (golden_dist.sh).
//
// The keys are fake, built here from pieces and a seeded generator (so no key-shaped
// literal is committed, and every run writes the same bytes). SendGrid is only in the
// source map: its module was tree-shaken out of the chunk, as happens when a feature flag
// is off, but `sourcesContent` keeps the original file.
//
// Usage: node make_dist.mjs OUT_DIR   -> prints the fake keys as JSON on stdout.
import fs from "node:fs";
import path from "node:path";

const out = process.argv[2];
if (!out) throw new Error("usage: node make_dist.mjs OUT_DIR");

// mulberry32: a tiny seeded PRNG, deterministic output for a deterministic fixture.
let seed = 0x1eafc0de;
function rand() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
function pick(alphabet, n) {
  let s = "";
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
  return s;
}
const HEX = "0123456789abcdef";
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const UPPER_NUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const B64URL = ALNUM + "-_";
const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

const keys = {
  stripe: ["sk", "live", "51Nq" + pick(ALNUM, 40)].join("_"),
  openai: ["sk", "proj", pick(ALNUM, 24) + ["T3Blbk", "FJ"].join("") + pick(ALNUM, 24)].join("-"),
  maps: ["AI", "za", "Sy"].join("") + pick(B64URL, 33),
  twilioSid: ["A", "C"].join("") + pick(HEX, 32),
  twilioToken: pick(HEX, 32),
  sendgrid: ["S", "G"].join("") + "." + pick(B64URL, 22) + "." + pick(B64URL, 43),
  algoliaApp: pick(UPPER_NUM, 10),
  algoliaKey: pick(HEX, 32),
  supabase: ["sb", "secret", pick(ALNUM, 32)].join("_"),
  mapbox: ["s", "k.eyJ"].join("") + pick(B64URL, 60) + "." + pick(B64URL, 22),
  awsId: ["AK", "IA"].join("") + pick(B32, 16),
  awsSecret: pick(ALNUM + "/+", 40),
};
const supabaseRef = pick("abcdefghijklmnopqrstuvwxyz", 20);

// Minified vendor code between the modules (no URLs, no keys), as in a real chunk: it
// keeps each key's 1 KiB neighbourhood to its own module.
let fillerCount = 0;
function filler() {
  let s = "";
  while (s.length < 1200) {
    const n = "v" + (fillerCount++).toString(36);
    s += `function ${n}(e,t){const n=[];for(let r=0;r<e.length;r++){const o=e[r];t(o,r)&&n.push(o)}return n}`;
  }
  return s;
}

const modules = {
  "src/lib/stripe.ts": `const STRIPE_KEY = "${keys.stripe}";

export async function createPaymentIntent(amount: number) {
  const res = await fetch("https://api.stripe.com/v1/payment_intents", {
    method: "POST",
    headers: { Authorization: \`Bearer \${STRIPE_KEY}\`, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ amount: String(amount), currency: "usd" }),
  });
  return res.json();
}

export async function getCustomer(id: string) {
  return (await fetch("https://api.stripe.com/v1/customers/" + id, { headers: { Authorization: \`Bearer \${STRIPE_KEY}\` } })).json();
}
`,
  "src/lib/assistant.ts": `const OPENAI_KEY = "${keys.openai}";

export function ask(messages: { role: string; content: string }[]) {
  return fetch("https://api.openai.com/v1/chat/completions", {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: "Bearer " + OPENAI_KEY },
    body: JSON.stringify({ model: "gpt-4o-mini", stream: true, messages }),
  });
}
`,
  "src/lib/sms.ts": `const twilioAccountSid = "${keys.twilioSid}";
const twilioAuthToken = "${keys.twilioToken}";

export function sendCode(to: string, code: string) {
  return fetch("https://api.twilio.com/2010-04-01/Accounts/${keys.twilioSid}/Messages.json", {
    method: "POST",
    headers: { Authorization: "Basic " + btoa(twilioAccountSid + ":" + twilioAuthToken) },
    body: new URLSearchParams({ To: to, From: "+15005550006", Body: "Your code: " + code }),
  });
}
`,
  "src/lib/search.ts": `export async function searchProducts(query: string) {
  const res = await fetch("https://${keys.algoliaApp.toLowerCase()}-dsn.algolia.net/1/indexes/products/query", {
    method: "POST",
    headers: { "X-Algolia-Application-Id": "${keys.algoliaApp}", "X-Algolia-API-Key": "${keys.algoliaKey}" },
    body: JSON.stringify({ query, hitsPerPage: 20 }),
  });
  return res.json();
}
`,
  "src/lib/orders.ts": `const SUPABASE_URL = "https://${supabaseRef}.supabase.co";
const SUPABASE_KEY = "${keys.supabase}";

export async function listMyOrders() {
  const res = await fetch("https://${supabaseRef}.supabase.co/rest/v1/orders?select=id,total,status", {
    headers: { apikey: SUPABASE_KEY, Authorization: "Bearer " + SUPABASE_KEY },
  });
  return res.json();
}
`,
  "src/lib/geocode.ts": `const MAPBOX_TOKEN = "${keys.mapbox}";

export async function suggest(q: string) {
  const res = await fetch("https://api.mapbox.com/search/searchbox/v1/suggest?limit=5&language=en&session_token=1&q=" + encodeURIComponent(q) + "&access_token=" + MAPBOX_TOKEN);
  return res.json();
}
`,
  "src/lib/upload.ts": `const awsConfig = { region: "us-east-1", accessKeyId: "${keys.awsId}", secretAccessKey: "${keys.awsSecret}" };
export const bucketUrl = "https://shop-uploads.s3.amazonaws.com/";
export { awsConfig };

// Signed in the browser with the shipped key pair (aws4fetch's AwsClient); one service: S3.
const aws = new AwsClient(awsConfig);
export function uploadPhoto(name: string, file: Blob) {
  return aws.fetch("https://shop-uploads.s3.amazonaws.com/uploads/" + name, { method: "PUT", body: file });
}
`,
  // Tree-shaken out of the chunk; only sourcesContent keeps it.
  "src/lib/email.ts": `const SENDGRID_API_KEY = "${keys.sendgrid}";

export async function sendReceipt(to: string, html: string) {
  await fetch("https://api.sendgrid.com/v3/mail/send", {
    method: "POST",
    headers: { Authorization: "Bearer " + SENDGRID_API_KEY, "Content-Type": "application/json" },
    body: JSON.stringify({ personalizations: [{ to: [{ email: to }] }], from: { email: "shop@example.com" }, subject: "Receipt", content: [{ type: "text/html", value: html }] }),
  });
}
`,
};

// The minified chunk: what esbuild makes of the modules above (minus email.ts).
const chunk = [
  `const Ks="${keys.stripe}";async function Ps(e){return(await fetch("https://api.stripe.com/v1/payment_intents",{method:"POST",headers:{Authorization:\`Bearer \${Ks}\`,"Content-Type":"application/x-www-form-urlencoded"},body:new URLSearchParams({amount:String(e),currency:"usd"})})).json()}async function Cs(e){return(await fetch("https://api.stripe.com/v1/customers/"+e,{headers:{Authorization:\`Bearer \${Ks}\`}})).json()}`,
  filler(),
  `const Oa="${keys.openai}";function Ta(e){return fetch("https://api.openai.com/v1/chat/completions",{method:"POST",headers:{"Content-Type":"application/json",Authorization:"Bearer "+Oa},body:JSON.stringify({model:"gpt-4o-mini",stream:!0,messages:e})})}`,
  filler(),
  `const twilioAccountSid="${keys.twilioSid}",twilioAuthToken="${keys.twilioToken}";function Sm(e,t){return fetch("https://api.twilio.com/2010-04-01/Accounts/${keys.twilioSid}/Messages.json",{method:"POST",headers:{Authorization:"Basic "+btoa(twilioAccountSid+":"+twilioAuthToken)},body:new URLSearchParams({To:e,From:"+15005550006",Body:"Your code: "+t})})}`,
  filler(),
  `async function Qs(e){return(await fetch("https://${keys.algoliaApp.toLowerCase()}-dsn.algolia.net/1/indexes/products/query",{method:"POST",headers:{"X-Algolia-Application-Id":"${keys.algoliaApp}","X-Algolia-API-Key":"${keys.algoliaKey}"},body:JSON.stringify({query:e,hitsPerPage:20})})).json()}`,
  filler(),
  `const Sb="${keys.supabase}";async function Lo(){return(await fetch("https://${supabaseRef}.supabase.co/rest/v1/orders?select=id,total,status",{headers:{apikey:Sb,Authorization:"Bearer "+Sb}})).json()}`,
  filler(),
  `const Mb="${keys.mapbox}";async function Gs(e){return(await fetch("https://api.mapbox.com/search/searchbox/v1/suggest?limit=5&language=en&session_token=1&q="+encodeURIComponent(e)+"&access_token="+Mb)).json()}`,
  filler(),
  `const Aw={region:"us-east-1",accessKeyId:"${keys.awsId}",secretAccessKey:"${keys.awsSecret}"},Bu="https://shop-uploads.s3.amazonaws.com/";const Ac=new Ax(Aw);function Up(e,t){return Ac.fetch("https://shop-uploads.s3.amazonaws.com/uploads/"+e,{method:"PUT",body:t})}`,
  filler(),
  `export{Ps as createPaymentIntent,Cs as getCustomer,Ta as ask,Sm as sendCode,Qs as searchProducts,Lo as listMyOrders,Gs as suggest,Aw as awsConfig,Bu as bucketUrl,Up as uploadPhoto};`,
  `//# sourceMappingURL=index-8c1f2a4b.js.map`,
].join("\n");

const sources = Object.keys(modules);
const map = {
  version: 3,
  file: "index-8c1f2a4b.js",
  sources: sources.map((s) => "../../" + s),
  sourcesContent: sources.map((s) => modules[s]),
  names: [],
  mappings: "AAAA,SAAS",
};

const html = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <title>Shop</title>
    <script src="https://maps.googleapis.com/maps/api/js?key=${keys.maps}&libraries=places&callback=initMap" async defer></script>
    <script type="module" crossorigin src="/assets/index-8c1f2a4b.js"></script>
  </head>
  <body><div id="app"></div></body>
</html>
`;

fs.mkdirSync(path.join(out, "assets"), { recursive: true });
fs.writeFileSync(path.join(out, "index.html"), html);
fs.writeFileSync(path.join(out, "assets/index-8c1f2a4b.js"), chunk + "\n");
fs.writeFileSync(path.join(out, "assets/index-8c1f2a4b.js.map"), JSON.stringify(map));
process.stdout.write(JSON.stringify({ ...keys, supabaseRef }) + "\n");
