#!/usr/bin/env bash
# Builds leakproof's committed test artifacts in samples/: REAL release-style files
# (esbuild bundle + source maps, aapt-packaged + apksigner-signed APK with a smali DEX
# and a Hermes bytecode asset, an XAPK with an arm64 split carrying a native .so,
# an IPA with a fat arm64+x86_64 Mach-O and binary plists, and plain config files),
# each with planted FAKE credentials from samples/keys.env.
#
#   sudo scripts/make-samples.sh            # Debian bookworm, root (installs tools)
#   sudo scripts/make-samples.sh --no-install   # tools already present
#
# Env: WORK (scratch dir, default a fresh mktemp dir, removed on success unless
# KEEP_WORK=1), NPM_DIR (where npm installs hermes-compiler/esbuild; default
# $WORK/npm; point it at a persistent dir to avoid re-downloading),
# SOURCE_DATE_EPOCH (zip timestamps; default 1735689600 = 2025-01-01T00:00:00Z).
#
# Keys come from scripts/sample-keys.py (fixed seed) -> samples/keys.env. Every key is
# fake and random-looking; none contains a placeholder word, so placeholder
# suppression in the scanner is not what makes these samples pass or fail.
#
# Reproducibility: with the pinned tool versions below every output is byte-identical
# across runs (the APK signing key is derived from the seed too, and RSA PKCS#1 v1.5
# signatures are deterministic). Different tool versions (aapt, smali, zlib, clang,
# hermesc, esbuild) will change bytes, never the planted keys.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
S=$ROOT/samples
PY=/usr/bin/python3                       # Debian's python (python3-cryptography)
KEYS_PY=$ROOT/scripts/sample-keys.py
UTIL=$ROOT/scripts/samples-util.py
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1735689600}
export TZ=UTC LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive
HERMES_VERSION=260318099.0.8              # npm hermes-compiler (HBC v99)
ESBUILD_VERSION=0.24.2
INSTALL=1
[ "${1:-}" = "--no-install" ] && INSTALL=0

WORK=${WORK:-$(mktemp -d /tmp/leakproof-samples.XXXXXX)}
mkdir -p "$WORK"
NPM_DIR=${NPM_DIR:-$WORK/npm}
cleanup() { if [ $? -eq 0 ] && [ "${KEEP_WORK:-0}" != 1 ]; then rm -rf "$WORK"; else echo "work dir kept: $WORK" >&2; fi; }
trap cleanup EXIT
log() { printf '\n== %s\n' "$*" >&2; }

# ============================================================== 0. tools
APT_PKGS=(
  aapt android-framework-res zipalign apksigner   # aapt(1) + framework-res.apk as -I platform
  libsmali-java                                   # smali -> real DEX 035 (no dx/d8 in bookworm)
  default-jdk-headless                            # java for smali/apksigner
  libplist-utils                                  # plistutil: XML -> binary plist
  clang lld-14 llvm-14                            # Mach-O (ld64.lld, llvm-lipo), Android ELF
  python3 python3-cryptography                    # key generation, deterministic signer
  zip unzip file nodejs npm
  dexdump                                         # only for the checks at the end
  gzip brotli zstd tar                            # container samples (make-archive-samples.sh)
)
if [ "$INSTALL" = 1 ]; then
  [ "$(id -u)" -eq 0 ] || { echo "make-samples: run as root (apt-get), or pass --no-install" >&2; exit 2; }
  missing=()
  for p in "${APT_PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  # Node may come from elsewhere (nodesource); only ask Debian when there is none.
  if command -v npm >/dev/null; then
    missing=($(printf '%s\n' "${missing[@]}" | grep -vx -e nodejs -e npm || true))
  fi
  if [ "${#missing[@]}" -gt 0 ]; then
    log "apt-get install ${missing[*]}"
    apt-get install -y -qq --no-install-recommends "${missing[@]}" ||
      { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; }
  fi
fi
FW=/usr/share/android-framework-res/framework-res.apk
HERMESC=$NPM_DIR/node_modules/hermes-compiler/hermesc/linux64-bin/hermesc
ESBUILD=$NPM_DIR/node_modules/.bin/esbuild
if [ ! -x "$HERMESC" ] || [ "$("$ESBUILD" --version 2>/dev/null)" != "$ESBUILD_VERSION" ]; then
  log "npm install hermes-compiler@$HERMES_VERSION esbuild@$ESBUILD_VERSION into $NPM_DIR"
  mkdir -p "$NPM_DIR"
  ( cd "$NPM_DIR" && { [ -f package.json ] || npm init -y >/dev/null; } &&
    npm install --no-audit --no-fund --no-save --loglevel=error \
      "hermes-compiler@$HERMES_VERSION" "esbuild@$ESBUILD_VERSION" )
fi
for t in aapt zipalign apksigner smali plistutil clang ld64.lld-14 llvm-lipo-14 llvm-strip-14 "$HERMESC" "$ESBUILD"; do
  command -v "$t" >/dev/null || { echo "make-samples: missing tool $t" >&2; exit 1; }
done

# ============================================================== 1. keys
log "keys"
mkdir -p "$S"
"$PY" "$KEYS_PY" env > "$S/keys.env"
"$PY" "$KEYS_PY" check "$S/keys.env"
set -a; . "$S/keys.env"; set +a

# Clean only what this script owns (README.md is hand-written and kept).
rm -rf "$S/web" "$S/web-src" "$S/android" "$S/ios" "$S/config"
mkdir -p "$S/web" "$S/web-src/src/api" "$S/android" "$S/ios" "$S/config"

# expected-keys.tsv: file, provenance (zip!chain:format), provider, first 8 chars,
# keys.env label, encoding of the bytes on disk (inside the named member), class.
TSV=$S/expected-keys.tsv
DECOYS=$S/expected-decoys.tsv
HDR=$'#file\tprovenance-hint\tprovider\tkey-prefix-8\tkeys-env-label\tencoding\tclass'
echo "$HDR" > "$TSV"
echo "$HDR" > "$DECOYS"
expect() {  # file provenance provider LABEL encoding class
  local v=${!4}
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${v:0:8}" "$4" "$5" "$6" >> "$TSV"
}
decoy() {   # file provenance provider LABEL-or-literal encoding why
  local p l
  if [[ $4 =~ ^[A-Z][A-Z0-9_]*$ ]]; then p=${!4}; p=${p:0:8}; l=$4; else p=${4:0:8}; l=-; fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$p" "$l" "$5" "$6" >> "$DECOYS"
}

# ============================================================== 2. web: esbuild bundle + maps
log "web (esbuild $ESBUILD_VERSION)"
WS=$S/web-src
cat > "$WS/package.json" <<'EOF'
{
  "name": "acmepay-web",
  "version": "2.3.1",
  "private": true,
  "scripts": {
    "build": "npm run build:main && npm run build:widget",
    "build:main": "esbuild src/main.ts --bundle --minify --target=es2020 --format=iife --define:process.env.NODE_ENV=\\\"production\\\" --sourcemap --outfile=../web/main.js",
    "build:widget": "esbuild src/widget.ts --bundle --minify --target=es2020 --format=iife --define:process.env.NODE_ENV=\\\"production\\\" --sourcemap=inline --outfile=../web/widget.js"
  },
  "devDependencies": { "esbuild": "0.24.2" }
}
EOF
cat > "$WS/tsconfig.json" <<'EOF'
{ "compilerOptions": { "target": "ES2020", "module": "ESNext", "strict": true, "lib": ["ES2020", "DOM"] } }
EOF
cat > "$WS/src/api/client.ts" <<EOF
// Summaries for the dashboard. In development the browser talks to OpenAI directly
// with the key below; production builds go through our /api proxy and the bundler
// drops this branch (process.env.NODE_ENV is define-replaced with "production"),
// so the key never reaches main.js -- but it is still in main.js.map (sourcesContent).
const OPENAI_DEV_KEY = "$OPENAI_API_KEY_WEB_SRC";

export interface Summary { text: string; model: string }

export async function summarize(text: string): Promise<Summary> {
  if (process.env.NODE_ENV !== "production") {
    const r = await fetch("https://api.openai.com/v1/chat/completions", {
      method: "POST",
      headers: { Authorization: \`Bearer \${OPENAI_DEV_KEY}\`, "Content-Type": "application/json" },
      body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: text }] }),
    });
    const j = await r.json();
    return { text: j.choices[0].message.content, model: j.model };
  }
  const r = await fetch("/api/summarize", { method: "POST", body: text });
  return r.json();
}
EOF
cat > "$WS/src/api/payments.ts" <<EOF
// Checkout. The publishable key is meant to ship; the secret key is NOT.
export const STRIPE_PUBLISHABLE_KEY = "$STRIPE_PUBLISHABLE_KEY_WEB";
const STRIPE_SECRET_KEY = "$STRIPE_SECRET_KEY_WEB";

export async function charge(amountCents: number, source: string): Promise<unknown> {
  const body = new URLSearchParams({ amount: String(amountCents), currency: "usd", source });
  const r = await fetch("https://api.stripe.com/v1/charges", {
    method: "POST",
    headers: { Authorization: "Bearer " + STRIPE_SECRET_KEY, "Content-Type": "application/x-www-form-urlencoded" },
    body,
  });
  if (!r.ok) throw new Error("charge failed: " + r.status);
  return r.json();
}
EOF
cat > "$WS/src/ui.ts" <<'EOF'
export function render(root: HTMLElement, html: string): void {
  root.innerHTML = html;
}
export const fmt = (cents: number): string => "$" + (cents / 100).toFixed(2);
EOF
cat > "$WS/src/main.ts" <<'EOF'
import { summarize } from "./api/client";
import { charge, STRIPE_PUBLISHABLE_KEY } from "./api/payments";
import { render, fmt } from "./ui";

declare const Stripe: (key: string) => { elements(): unknown };

const stripe = Stripe(STRIPE_PUBLISHABLE_KEY);
document.querySelector("#pay")?.addEventListener("click", async () => {
  await charge(1999, "tok_visa");
  render(document.body, `<p>Paid ${fmt(1999)}</p>`);
});
document.querySelector("#sum")?.addEventListener("click", async () => {
  const s = await summarize(document.body.innerText);
  render(document.body, `<pre>${s.text}</pre>`);
});
console.debug(stripe.elements());
EOF
cat > "$WS/src/widget.ts" <<'EOF'
// Embeddable help widget: a separate bundle with an inline (data: URL) source map.
import { summarize } from "./api/client";

export function mountHelp(el: HTMLElement): void {
  el.addEventListener("click", async () => {
    el.textContent = (await summarize(document.title)).text;
  });
}
(window as unknown as { mountHelp: typeof mountHelp }).mountHelp = mountHelp;
EOF
(
  cd "$WS"
  ESB=(--bundle --minify --target=es2020 --format=iife --log-level=warning
       "--define:process.env.NODE_ENV=\"production\"")
  "$ESBUILD" src/main.ts "${ESB[@]}" --sourcemap --outfile=../web/main.js
  "$ESBUILD" src/widget.ts "${ESB[@]}" --sourcemap=inline --outfile=../web/widget.js
)
expect web-src/src/api/client.ts   ":typescript"                         openai "OPENAI_API_KEY_WEB_SRC" ascii secret
expect web-src/src/api/payments.ts ":typescript"                         stripe "STRIPE_PUBLISHABLE_KEY_WEB" ascii publishable
expect web-src/src/api/payments.ts ":typescript"                         stripe "STRIPE_SECRET_KEY_WEB" ascii secret
expect web/main.js                 ":js-minified"                        stripe "STRIPE_PUBLISHABLE_KEY_WEB" ascii publishable
expect web/main.js                 ":js-minified"                        stripe "STRIPE_SECRET_KEY_WEB" ascii secret
expect web/main.js.map             ":sourcemap-sourcesContent"           openai "OPENAI_API_KEY_WEB_SRC" ascii secret
expect web/main.js.map             ":sourcemap-sourcesContent"           stripe "STRIPE_PUBLISHABLE_KEY_WEB" ascii publishable
expect web/main.js.map             ":sourcemap-sourcesContent"           stripe "STRIPE_SECRET_KEY_WEB" ascii secret
expect web/widget.js               ":inline-sourcemap-sourcesContent"    openai "OPENAI_API_KEY_WEB_SRC" base64-datauri secret

# ============================================================== 3. Android APK
log "android apk (aapt + smali + hermesc + apksigner)"
A=$WORK/apk; rm -rf "$A"; mkdir -p "$A"/{res/values,assets,smali/com/acmepay/wallet/net,rn,sign}
cat > "$A/AndroidManifest.xml" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android"
    package="com.acmepay.wallet" android:versionCode="231" android:versionName="2.3.1">
    <uses-sdk android:minSdkVersion="24" android:targetSdkVersion="33"/>
    <uses-permission android:name="android.permission.INTERNET"/>
    <application android:label="@string/app_name" android:allowBackup="false">
        <meta-data android:name="com.google.android.geo.API_KEY" android:value="$GOOGLE_MAPS_KEY_MANIFEST"/>
        <activity android:name=".MainActivity" android:exported="true">
            <intent-filter>
                <action android:name="android.intent.action.MAIN"/>
                <category android:name="android.intent.category.LAUNCHER"/>
            </intent-filter>
        </activity>
    </application>
</manifest>
EOF
cat > "$A/res/values/strings.xml" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<resources>
    <string name="app_name">AcmePay</string>
    <string name="google_api_key" translatable="false">$GOOGLE_API_KEY_RES</string>
    <string name="gcm_defaultSenderId" translatable="false">418273645091</string>
    <string name="firebase_database_url" translatable="false">https://acmepay-wallet.firebaseio.com</string>
    <string name="slack_bot_token" translatable="false">$SLACK_BOT_TOKEN_RES</string>
    <string name="support_channel">#wallet-support</string>
</resources>
EOF
cat > "$A/smali/com/acmepay/wallet/MainActivity.smali" <<'EOF'
.class public Lcom/acmepay/wallet/MainActivity;
.super Landroid/app/Activity;
.source "MainActivity.java"

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Landroid/app/Activity;-><init>()V
    return-void
.end method
EOF
# What javac + d8 make of:  private static final String SENDGRID_KEY = "SG...";
# (a static-final String is an encoded static value AND inlined as const-string).
cat > "$A/smali/com/acmepay/wallet/net/MailClient.smali" <<EOF
.class public final Lcom/acmepay/wallet/net/MailClient;
.super Ljava/lang/Object;
.source "MailClient.java"

.field private static final SENDGRID_KEY:Ljava/lang/String; = "$SENDGRID_API_KEY_DEX"
.field private static final SEND_URL:Ljava/lang/String; = "https://api.sendgrid.com/v3/mail/send"

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public static authHeader()Ljava/lang/String;
    .registers 2
    new-instance v0, Ljava/lang/StringBuilder;
    invoke-direct {v0}, Ljava/lang/StringBuilder;-><init>()V
    const-string v1, "Bearer "
    invoke-virtual {v0, v1}, Ljava/lang/StringBuilder;->append(Ljava/lang/String;)Ljava/lang/StringBuilder;
    const-string v1, "$SENDGRID_API_KEY_DEX"
    invoke-virtual {v0, v1}, Ljava/lang/StringBuilder;->append(Ljava/lang/String;)Ljava/lang/StringBuilder;
    invoke-virtual {v0}, Ljava/lang/StringBuilder;->toString()Ljava/lang/String;
    move-result-object v0
    return-object v0
.end method
EOF
# React Native (Metro) style bundle, compiled to Hermes bytecode like a release build.
# The GitHub token is split over two string literals whose overlap (4 chars) makes
# hermesc's OptimizePacking store them back to back: the raw string storage then
# contains the whole token, although no JS string does (decoy).
GH_A=${GITHUB_TOKEN_HBC_DECOY:0:24}
GH_B=${GITHUB_TOKEN_HBC_DECOY:20}
cat > "$A/rn/index.android.js" <<EOF
var __BUNDLE_START_TIME__=this.nativePerformanceNow?nativePerformanceNow():Date.now(),__DEV__=false,process=this.process||{};process.env=process.env||{};process.env.NODE_ENV=process.env.NODE_ENV||"production";
__d(function(g,r,i,a,m,e,d){"use strict";Object.defineProperty(e,"__esModule",{value:!0});e.ANTHROPIC_URL="https://api.anthropic.com/v1/messages";e.ANTHROPIC_KEY="$ANTHROPIC_API_KEY_HBC";e.MODEL="claude-3-5-haiku-latest"},42,[],"src/config/ai.js");
__d(function(g,r,i,a,m,e,d){"use strict";var t={owner:"$GH_A",repo:"$GH_B"};m.exports=t},43,[],"src/config/repo.js");
__d(function(g,r,i,a,m,e,d){"use strict";var c=r(d[0]),o=r(d[1]);m.exports=function(s){return fetch(c.ANTHROPIC_URL,{method:"POST",headers:{"x-api-key":c.ANTHROPIC_KEY,"anthropic-version":"2023-06-01","content-type":"application/json"},body:JSON.stringify({model:c.MODEL,max_tokens:256,messages:[{role:"user",content:s+" "+o.owner+"/"+o.repo}]})})}},44,[42,43],"src/api/ask.js");
__r(44);
EOF
# relative input path: hermesc records the source file name in the bytecode
( cd "$A/rn" && "$HERMESC" -emit-binary -O -out ../assets/index.android.bundle index.android.js )
( cd "$A"
  smali a -o classes.dex smali/
  aapt package -f -M AndroidManifest.xml -S res -A assets -I "$FW" -F app.aapt.apk >/dev/null
  aapt add app.aapt.apk classes.dex >/dev/null
  "$PY" "$UTIL" repack app.aapt.apk app.unsigned.apk
  zipalign -f -p 4 app.unsigned.apk app.aligned.apk
  "$PY" "$KEYS_PY" signer sign
  apksigner sign --key sign/signer.pk8 --cert sign/signer.x509.pem \
    --v1-signing-enabled true --v2-signing-enabled true --v3-signing-enabled true \
    --out app.apk app.aligned.apk
  apksigner verify app.apk
)
cp "$A/app.apk" "$S/android/app.apk"
apk_rows() {  # file chain-prefix
  expect "$1" "${2}AndroidManifest.xml:axml-meta-data"     google    GOOGLE_MAPS_KEY_MANIFEST utf16le conditional
  expect "$1" "${2}resources.arsc:arsc-string/google_api_key"  google GOOGLE_API_KEY_RES      ascii   conditional
  expect "$1" "${2}resources.arsc:arsc-string/slack_bot_token" slack  SLACK_BOT_TOKEN_RES     ascii   secret
  expect "$1" "${2}classes.dex:dex-string"                 sendgrid  SENDGRID_API_KEY_DEX     ascii   secret
  expect "$1" "${2}assets/index.android.bundle:hermes-bytecode" anthropic ANTHROPIC_API_KEY_HBC ascii secret
  decoy  "$1" "${2}assets/index.android.bundle:hermes-bytecode" github GITHUB_TOKEN_HBC_DECOY ascii \
    "two HBC strings ($GH_A / ${GH_B:0:4}...) packed back to back; no single JS string is this token"
}
apk_rows android/app.apk ""

# ============================================================== 4. native lib + XAPK
log "native .so (aarch64) + split apk + xapk"
N=$WORK/native; rm -rf "$N"; mkdir -p "$N"
cat > "$N/native.c" <<EOF
/* libnative.so: the token ends up in .rodata as a plain C string. */
typedef struct { const char *owner, *repo, *token; } gh_cfg;
static const char kGithubToken[] = "$GITHUB_TOKEN_NATIVE";
static const gh_cfg kCfg = { "acmepay", "wallet-releases", kGithubToken };
__attribute__((visibility("default"))) const gh_cfg *acme_release_config(void) { return &kCfg; }
__attribute__((visibility("default"))) int JNI_OnLoad(void *vm, void *reserved) { (void)vm; (void)reserved; return 0x00010006; }
EOF
clang --target=aarch64-linux-android24 -O2 -fPIC -shared -nostdlib -fuse-ld=lld \
  -fvisibility=hidden -Wl,-soname,libnative.so -Wl,--build-id=none -Wl,--hash-style=gnu \
  -o "$N/libnative.so" "$N/native.c"
llvm-strip-14 --strip-unneeded "$N/libnative.so"
SP=$A/split; rm -rf "$SP"; mkdir -p "$SP/lib/arm64-v8a"
cat > "$SP/AndroidManifest.xml" <<'EOF'
<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android"
    package="com.acmepay.wallet" split="config.arm64_v8a"
    android:versionCode="231" android:versionName="2.3.1" android:isFeatureSplit="false">
    <uses-sdk android:minSdkVersion="24" android:targetSdkVersion="33"/>
    <application android:hasCode="false"/>
</manifest>
EOF
cp "$N/libnative.so" "$SP/lib/arm64-v8a/"
( cd "$SP"
  aapt package -f -M AndroidManifest.xml -I "$FW" -F split.aapt.apk >/dev/null
  # native libs are stored uncompressed + page aligned (extractNativeLibs=false style)
  aapt add split.aapt.apk lib/arm64-v8a/libnative.so >/dev/null
  "$PY" "$UTIL" repack split.aapt.apk split.unsigned.apk .so
  zipalign -f -p 4 split.unsigned.apk split.aligned.apk     # -p: .so page-aligned
  apksigner sign --key "$A/sign/signer.pk8" --cert "$A/sign/signer.x509.pem" \
    --out config.arm64_v8a.apk split.aligned.apk
  apksigner verify config.arm64_v8a.apk
)
X=$WORK/xapk; rm -rf "$X"; mkdir -p "$X"
cp "$A/app.apk" "$X/base.apk"; cp "$SP/config.arm64_v8a.apk" "$X/"
BASE_SIZE=$(stat -c %s "$X/base.apk"); SPLIT_SIZE=$(stat -c %s "$X/config.arm64_v8a.apk")
cat > "$X/manifest.json" <<EOF
{
  "xapk_version": 2,
  "package_name": "com.acmepay.wallet",
  "name": "AcmePay",
  "version_code": "231",
  "version_name": "2.3.1",
  "min_sdk_version": "24",
  "target_sdk_version": "33",
  "permissions": ["android.permission.INTERNET"],
  "split_configs": ["config.arm64_v8a"],
  "total_size": $((BASE_SIZE + SPLIT_SIZE)),
  "split_apks": [
    { "file": "base.apk", "id": "base" },
    { "file": "config.arm64_v8a.apk", "id": "config.arm64_v8a" }
  ]
}
EOF
"$PY" "$UTIL" mkzip "$S/android/app.xapk" "$X" manifest.json base.apk=stored config.arm64_v8a.apk=stored
apk_rows android/app.xapk "base.apk!"
expect android/app.xapk "config.arm64_v8a.apk!lib/arm64-v8a/libnative.so:elf-aarch64-rodata" github GITHUB_TOKEN_NATIVE ascii secret

# ============================================================== 5. iOS IPA
log "ios ipa (clang/ld64.lld fat Mach-O, plistutil)"
I=$WORK/ipa; rm -rf "$I"; mkdir -p "$I"
cat > "$I/aws.c" <<EOF
/* Upload helper: AWS credentials as C strings -> __TEXT,__cstring in each slice. */
struct aws_creds { const char *region, *access_key_id, *secret_access_key; };
static const struct aws_creds kCreds = {
  "us-east-1",
  "$AWS_ACCESS_KEY_ID_IOS",
  "$AWS_SECRET_ACCESS_KEY_IOS",
};
const struct aws_creds *acme_upload_creds(void) { return &kCreds; }
int main(void) { return acme_upload_creds()->region[0] == 'u' ? 0 : 1; }
EOF
( cd "$I"
  clang -target arm64-apple-ios15.0 -O2 -c aws.c -o aws_arm64.o
  clang -target x86_64-apple-ios15.0-simulator -O2 -c aws.c -o aws_x86_64.o
  ld64.lld-14 -arch arm64 -platform_version ios 15.0 15.0 -execute -e _main \
    -undefined dynamic_lookup -o App_arm64 aws_arm64.o
  ld64.lld-14 -arch x86_64 -platform_version ios-simulator 15.0 15.0 -execute -e _main \
    -undefined dynamic_lookup -o App_x86_64 aws_x86_64.o
  llvm-lipo-14 -create App_arm64 App_x86_64 -output App
)
cat > "$I/Info.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>CFBundleDevelopmentRegion</key><string>en</string>
  <key>CFBundleDisplayName</key><string>AcmePay</string>
  <key>CFBundleExecutable</key><string>App</string>
  <key>CFBundleIdentifier</key><string>com.acmepay.wallet</string>
  <key>CFBundleInfoDictionaryVersion</key><string>6.0</string>
  <key>CFBundleName</key><string>App</string>
  <key>CFBundlePackageType</key><string>APPL</string>
  <key>CFBundleShortVersionString</key><string>2.3.1</string>
  <key>CFBundleVersion</key><string>231</string>
  <key>CFBundleSupportedPlatforms</key><array><string>iPhoneOS</string></array>
  <key>LSRequiresIPhoneOS</key><true/>
  <key>MinimumOSVersion</key><string>15.0</string>
  <key>UIDeviceFamily</key><array><integer>1</integer></array>
  <key>NSAppTransportSecurity</key><dict><key>NSAllowsArbitraryLoads</key><false/></dict>
</dict>
</plist>
EOF
# Firebase config. TWILIO_NOTE mixes "Café Délice" with the Twilio SID:token in one
# string, so the binary plist stores it as UTF-16BE (an ASCII scan misses it).
cat > "$I/GoogleService-Info.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>API_KEY</key><string>$GOOGLE_API_KEY_IOS</string>
  <key>BUNDLE_ID</key><string>com.acmepay.wallet</string>
  <key>CLIENT_ID</key><string>418273645091-q7v3hk2m9d0rjf5b1n8lce4wzt6yxaup.apps.googleusercontent.com</string>
  <key>DISPLAY_NAME</key><string>Café Délice</string>
  <key>GCM_SENDER_ID</key><string>418273645091</string>
  <key>GOOGLE_APP_ID</key><string>1:418273645091:ios:$FIREBASE_WEB_APP_ID_HEX</string>
  <key>IS_ANALYTICS_ENABLED</key><false/>
  <key>PLIST_VERSION</key><string>1</string>
  <key>PROJECT_ID</key><string>acmepay-wallet</string>
  <key>STORAGE_BUCKET</key><string>acmepay-wallet.appspot.com</string>
  <key>TWILIO_NOTE</key><string>Café Délice SMS — $TWILIO_ACCOUNT_SID_IOS:$TWILIO_AUTH_TOKEN_IOS</string>
</dict>
</plist>
EOF
cat > "$I/mail.js" <<EOF
// React Native (JSC, no Hermes) bundle fragment: receipts via Mailgun.
const MAILGUN_DOMAIN = "mg.acmepay.io";
const MAILGUN_KEY = "$MAILGUN_API_KEY_IOS";
export function sendReceipt(to, html) {
  const body = new FormData();
  body.append("from", "AcmePay <receipts@" + MAILGUN_DOMAIN + ">");
  body.append("to", to);
  body.append("subject", "Your receipt");
  body.append("html", html);
  return fetch("https://api.mailgun.net/v3/" + MAILGUN_DOMAIN + "/messages", {
    method: "POST",
    headers: { Authorization: "Basic " + btoa("api:" + MAILGUN_KEY) },
    body,
  });
}
globalThis.__acmeMail = { sendReceipt };
EOF
P=$I/Payload/App.app; mkdir -p "$P"
cp "$I/App" "$P/App"
plistutil -i "$I/Info.xml" -o "$P/Info.plist" -f bin
plistutil -i "$I/GoogleService-Info.xml" -o "$P/GoogleService-Info.plist" -f bin
printf 'APPL????' > "$P/PkgInfo"
"$ESBUILD" "$I/mail.js" --bundle --minify --format=iife --target=es2019 --log-level=warning \
  --outfile="$P/main.jsbundle"
"$PY" "$UTIL" mkzip "$S/ios/App.ipa" "$I" Payload/App.app/App=exec Payload/App.app/Info.plist \
  Payload/App.app/GoogleService-Info.plist Payload/App.app/PkgInfo Payload/App.app/main.jsbundle
expect ios/App.ipa "Payload/App.app/App:macho-arm64-cstring"          aws AWS_ACCESS_KEY_ID_IOS ascii secret
expect ios/App.ipa "Payload/App.app/App:macho-x86_64-cstring"         aws AWS_ACCESS_KEY_ID_IOS ascii secret
expect ios/App.ipa "Payload/App.app/App:macho-arm64-cstring"          aws AWS_SECRET_ACCESS_KEY_IOS ascii secret
expect ios/App.ipa "Payload/App.app/App:macho-x86_64-cstring"         aws AWS_SECRET_ACCESS_KEY_IOS ascii secret
expect ios/App.ipa "Payload/App.app/GoogleService-Info.plist:bplist-ascii"   google GOOGLE_API_KEY_IOS ascii conditional
expect ios/App.ipa "Payload/App.app/GoogleService-Info.plist:bplist-utf16be" twilio TWILIO_ACCOUNT_SID_IOS utf16be conditional
expect ios/App.ipa "Payload/App.app/GoogleService-Info.plist:bplist-utf16be" twilio TWILIO_AUTH_TOKEN_IOS utf16be secret
expect ios/App.ipa "Payload/App.app/main.jsbundle:js-minified"        mailgun MAILGUN_API_KEY_IOS ascii secret

# ============================================================== 6. config files
log "config"
C=$S/config
cat > "$C/.env" <<EOF
# AcmePay API server -- production values (should have been in the secret store)
NODE_ENV=production
PORT=8080
OPENAI_API_KEY=$OPENAI_API_KEY_ENV
STRIPE_SECRET_KEY=$STRIPE_SECRET_KEY_ENV
AWS_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID_ENV
AWS_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY_ENV
AWS_REGION=eu-west-1
GITHUB_TOKEN=$GITHUB_FINE_GRAINED_PAT_ENV
SLACK_WEBHOOK_URL=https://hooks.slack.com/services/$SLACK_WEBHOOK_PATH_ENV
NPM_TOKEN=$NPM_TOKEN_ENV
DATABASE_URL=postgres://wallet_api:$POSTGRES_PASSWORD_ENV@db.internal.acmepay.io:5432/wallet
# left over from onboarding docs -- placeholders, must not be reported
SENDGRID_API_KEY=SG.your_sendgrid_api_key_here
MAILGUN_API_KEY=key-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
EOF
cat > "$C/config.json" <<EOF
{
  "env": "production",
  "api": { "baseUrl": "https://api.acmepay.io", "timeoutMs": 15000 },
  "stripe": { "restrictedKey": "$STRIPE_RESTRICTED_KEY_JSON", "webhookPath": "/hooks/stripe" },
  "google": {
    "oauth": {
      "clientId": "418273645091-b5n2kqj8v7r0m3cx6w1t9zdh4fpgyl0s.apps.googleusercontent.com",
      "clientSecret": "$GOOGLE_OAUTH_CLIENT_SECRET_JSON",
      "redirectUri": "https://app.acmepay.io/auth/callback"
    }
  },
  "sentry": { "dsn": "https://$SENTRY_DSN_KEY_JSON@o4506281.ingest.sentry.io/4506281937" },
  "datadog": { "site": "datadoghq.eu", "apiKey": "$DATADOG_API_KEY_JSON" }
}
EOF
cat > "$C/firebase.js" <<EOF
// Firebase web config: the apiKey is a publishable identifier (restrict it by
// HTTP referrer in the Google Cloud console); it is not a server secret.
import { initializeApp } from "firebase/app";

const firebaseConfig = {
  apiKey: "$FIREBASE_WEB_API_KEY",
  authDomain: "acmepay-wallet.firebaseapp.com",
  projectId: "acmepay-wallet",
  storageBucket: "acmepay-wallet.appspot.com",
  messagingSenderId: "418273645091",
  appId: "1:418273645091:web:$FIREBASE_WEB_APP_ID_HEX",
  measurementId: "G-7QK2M9XRWB",
};

export const app = initializeApp(firebaseConfig);
EOF
expect config/.env ":dotenv" openai   OPENAI_API_KEY_ENV          ascii secret
expect config/.env ":dotenv" stripe   STRIPE_SECRET_KEY_ENV       ascii secret
expect config/.env ":dotenv" aws      AWS_ACCESS_KEY_ID_ENV       ascii secret
expect config/.env ":dotenv" aws      AWS_SECRET_ACCESS_KEY_ENV   ascii secret
expect config/.env ":dotenv" github   GITHUB_FINE_GRAINED_PAT_ENV ascii secret
expect config/.env ":dotenv" slack    SLACK_WEBHOOK_PATH_ENV      ascii secret
expect config/.env ":dotenv" npm      NPM_TOKEN_ENV               ascii secret
expect config/.env ":dotenv" postgres POSTGRES_PASSWORD_ENV       ascii secret
decoy  config/.env ":dotenv" sendgrid "SG.your_sendgrid_api_key_here" ascii "placeholder (your_)"
decoy  config/.env ":dotenv" mailgun  "key-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" ascii "placeholder (xxxxx)"
expect config/config.json ":json" stripe  STRIPE_RESTRICTED_KEY_JSON      ascii secret
expect config/config.json ":json" google  GOOGLE_OAUTH_CLIENT_SECRET_JSON ascii secret
expect config/config.json ":json" sentry  SENTRY_DSN_KEY_JSON             ascii publishable
expect config/config.json ":json" datadog DATADOG_API_KEY_JSON            ascii secret
expect config/firebase.js ":js"   google  FIREBASE_WEB_API_KEY            ascii publishable
# the Firebase app id suffix is an identifier, listed so the verifier accounts for it
expect config/firebase.js ":js"   google  FIREBASE_WEB_APP_ID_HEX         ascii identifier
expect ios/App.ipa "Payload/App.app/GoogleService-Info.plist:bplist-ascii" google FIREBASE_WEB_APP_ID_HEX ascii identifier

# ============================================================== 6b. containers (issue 18)
log "containers: precompressed dist/, npm pack, asar, crx, docker save tar"
bash "$ROOT/scripts/make-archive-samples.sh"

# ============================================================== 7. manifest + checks
log "EXPECTED.md + verify"
{
  cat <<'EOF'
# Expected findings in samples/

Generated by `scripts/make-samples.sh` from `samples/keys.env` -- do not edit by hand.
All keys are FAKE (random, deterministic: `scripts/sample-keys.py`, fixed seed) but shaped
exactly like real ones; none contains a placeholder marker, so a scanner must find them on
their shape. Machine-readable copies: `expected-keys.tsv` (must be found) and
`expected-decoys.tsv` (must NOT be reported as that key).

Columns: `file` (relative to samples/), `where` = zip member chain joined by `!`, then `:`
and the inner format (empty chain = the file itself), `provider`, first 8 characters of
the key, the `keys.env` label holding the full value, how the bytes are stored inside
that member (`ascii` = plain UTF-8/MUTF-8 bytes; `utf16le`/`utf16be`; `base64-datauri` =
only after base64-decoding the inline `sourceMappingURL=data:` map), and the class
(`secret`, `publishable`, `conditional` = same shape public or secret, `identifier` =
not a credential). Note that zip members may be deflated: only `app.xapk`'s `.apk`
members and `config.arm64_v8a.apk`'s `.so` and the APKs' `resources.arsc` are stored.

Points each sample is there to exercise:
- `web/main.js` keeps `pk_live_` and `sk_live_` (fetch to api.stripe.com/v1/charges); the
  OpenAI `sk-proj-` key was dead-code-eliminated and exists only in `main.js.map`
  `sourcesContent` (JSON-escaped source) and, base64-encoded, in `widget.js`'s inline map.
- APK: the manifest `meta-data` value is only in UTF-16LE (binary XML string pool);
  `strings.xml` values are in `resources.arsc` (stored, UTF-8 pool); the SendGrid key is a
  DEX string (encoded static value + `const-string`, one string_id);
  `assets/index.android.bundle` is Hermes bytecode (HBC v99): the Anthropic key sits
  glued between neighbouring strings (`...v1/messagesk-ant-api03-...AANTHROPIC_KEY...`,
  string overlap packing), so word-boundary regexes on raw bytes fail; and the decoy
  GitHub token is two separate JS strings that the packer stores back to back.
- XAPK: the APK again as stored `base.apk`, plus `config.arm64_v8a.apk` whose stored
  `lib/arm64-v8a/libnative.so` (ELF aarch64) has a `ghp_` token (valid CRC32 checksum) in
  `.rodata`.
- IPA: the fat Mach-O has every AWS string twice (arm64 + x86_64 slice) -- report once per
  slice or dedupe, but do not miss either; binary plists: ASCII `API_KEY` and a UTF-16BE
  string with the Twilio SID:token next to "Café Délice"; `main.jsbundle` is plain JS.
- `config/.env` also contains two placeholders (decoys) that must be suppressed.
- Containers (`scripts/make-archive-samples.sh`): `web/dist/` holds `main.js` precompressed
  (gzip, brotli, zstd) as compression plugins ship it; `npm/` an `npm pack` tarball;
  `electron/app.asar` the bundle and a main-process file (plus `app.asar.unpacked/`);
  `extension/helper.crx` a CRX3-framed zip; `image/image.tar` a `docker save` (OCI
  layout) tar whose gzipped layer has `app/server.js` and whose config bakes a key in
  with `ENV` (also visible in the history's `created_by`).

## Expected

EOF
  "$PY" "$UTIL" expected-md "$S"
  echo
  echo "## Sizes"
  echo
  echo '```'
  ( cd "$S" && find . -type f ! -name '*.md' ! -name '*.tsv' | sort | xargs stat -c '%8s  %n' )
  echo '```'
} > "$S/EXPECTED.md"

"$PY" "$UTIL" verify "$S"
# tool-level checks (printed, not fatal beyond set -e)
{
  aapt dump badging "$S/android/app.apk" | head -4
  dexdump -d "$A/classes.dex" 2>/dev/null | grep -c 'const-string' | sed 's/^/const-string count: /'
  file "$S/ios/App.ipa" "$P/App" "$P/Info.plist" "$N/libnative.so" "$A/assets/index.android.bundle"
  llvm-lipo-14 -info "$P/App"
} >&2
du -sh "$S" >&2
echo "make-samples: done -> $S" >&2
