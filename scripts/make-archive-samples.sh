#!/usr/bin/env bash
# Builds the container samples of issue 18 in samples/, with the real tools, from the
# web bundle and keys that scripts/make-samples.sh made (run by it before its manifest
# step; runnable alone to rebuild just these):
#   web/dist/main.js.{gz,br,zst}  precompressed assets (gzip -n, brotli, zstd)
#   npm/leaky-sdk-1.0.0.tgz        `npm pack` of a small package
#   electron/app.asar (+ .unpacked/) an Electron archive (samples-util.py mkasar)
#   extension/helper.crx           a CRX3-framed zip of a Chrome extension
#   image/image.tar                a `docker save` (OCI layout) tar: gzipped layer,
#                                  manifest.json, index.json, config with ENV
# and appends their rows to expected-keys.tsv (replacing rows it wrote before).
#
#   scripts/make-archive-samples.sh    # needs gzip brotli zstd tar npm python3 sha256sum
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
S=$ROOT/samples
PY=/usr/bin/python3
UTIL=$ROOT/scripts/samples-util.py
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1735689600}
export TZ=UTC LC_ALL=C.UTF-8
TAR=(tar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner --format=ustar)
W=$(mktemp -d /tmp/leakproof-archive-samples.XXXXXX)
trap 'rm -rf "$W"' EXIT
set -a; . "$S/keys.env"; set +a
TSV=$S/expected-keys.tsv
OWN='^(web/dist|npm|electron|extension|image)/'
grep -Ev "$OWN" "$TSV" > "$W/tsv" && cp "$W/tsv" "$TSV"
expect() {  # file provenance provider LABEL encoding class (as in make-samples.sh)
  local v=${!4}
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${v:0:8}" "$4" "$5" "$6" >> "$TSV"
}
rm -rf "$S/web/dist" "$S/npm" "$S/electron" "$S/extension" "$S/image"
mkdir -p "$S/web/dist" "$S/npm" "$S/electron" "$S/extension" "$S/image"

# -- precompressed web assets: what compression plugins put in dist/ beside main.js
gzip -9 -n -c "$S/web/main.js" > "$S/web/dist/main.js.gz"
brotli -q 11 -c "$S/web/main.js" > "$S/web/dist/main.js.br"
zstd -q -19 -c "$S/web/main.js" > "$S/web/dist/main.js.zst"
for f in gz:gzip br:brotli zst:zstd; do
  expect "web/dist/main.js.${f%%:*}" "[${f#*:}]:js-minified" stripe STRIPE_PUBLISHABLE_KEY_WEB ascii publishable
  expect "web/dist/main.js.${f%%:*}" "[${f#*:}]:js-minified" stripe STRIPE_SECRET_KEY_WEB ascii secret
done

# -- npm pack: an SDK that shipped its maintainer's OpenAI key
P=$W/leaky-sdk
mkdir -p "$P/dist"
cat > "$P/package.json" <<JSON
{"name":"leaky-sdk","version":"1.0.0","main":"dist/index.js","files":["dist"],"license":"MIT"}
JSON
cat > "$P/dist/index.js" <<JS
"use strict";
const DEFAULT_KEY = "$OPENAI_API_KEY_ENV";
module.exports = function client(key) { return { key: key || DEFAULT_KEY }; };
JS
( cd "$P" && npm pack --silent --offline --pack-destination "$S/npm" >/dev/null )
expect npm/leaky-sdk-1.0.0.tgz "package/dist/index.js:js" openai OPENAI_API_KEY_ENV ascii secret

# -- Electron: app.asar with the renderer bundle and a main-process file
E=$W/electron
mkdir -p "$E/dist" "$E/native"
cp "$S/web/main.js" "$E/dist/renderer.js"
cat > "$E/main.js" <<JS
const { app } = require("electron");
const updateToken = "$GITHUB_FINE_GRAINED_PAT_ENV"; // release feed
app.whenReady().then(() => require("./dist/renderer.js"));
JS
echo '{"name":"leaky-app","version":"1.0.0","main":"main.js"}' > "$E/package.json"
printf 'native addon placeholder\n' > "$E/native/addon.node"
"$PY" "$UTIL" mkasar "$S/electron/app.asar" "$E" package.json main.js dist/renderer.js \
  native/addon.node=unpacked
mkdir -p "$S/electron/app.asar.unpacked/native"
cp "$E/native/addon.node" "$S/electron/app.asar.unpacked/native/"
expect electron/app.asar "main.js:js" github GITHUB_FINE_GRAINED_PAT_ENV ascii secret
expect electron/app.asar "dist/renderer.js:js-minified" stripe STRIPE_PUBLISHABLE_KEY_WEB ascii publishable
expect electron/app.asar "dist/renderer.js:js-minified" stripe STRIPE_SECRET_KEY_WEB ascii secret

# -- Chrome extension: CRX3 header + zip
X=$W/ext
mkdir -p "$X"
echo '{"manifest_version":3,"name":"helper","version":"1.0","background":{"service_worker":"background.js"}}' > "$X/manifest.json"
printf 'const STRIPE = "%s";\nchrome.runtime.onMessage.addListener(() => STRIPE);\n' "$STRIPE_SECRET_KEY_ENV" > "$X/background.js"
"$PY" "$UTIL" mkzip "$W/ext.zip" "$X" manifest.json background.js
"$PY" "$UTIL" mkcrx3 "$S/extension/helper.crx" "$W/ext.zip"
expect extension/helper.crx "[crx]!background.js:js" stripe STRIPE_SECRET_KEY_ENV ascii secret

# -- docker save (OCI layout) tar: one gzipped layer and a config with ENV
I=$W/image
mkdir -p "$I/layer/app" "$I/oci/blobs/sha256"
printf 'const db = require("./db");\nconst npmToken = process.env.NPM_TOKEN || "%s";\n' "$NPM_TOKEN_ENV" > "$I/layer/app/server.js"
"${TAR[@]}" -cf - -C "$I/layer" app | gzip -9 -n > "$I/layer.tgz"
LAYER=$(sha256sum "$I/layer.tgz" | cut -c1-64)
DIFF=$(gzip -dc "$I/layer.tgz" | sha256sum | cut -c1-64)
mv "$I/layer.tgz" "$I/oci/blobs/sha256/$LAYER"
printf '{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/usr/local/bin:/usr/bin","STRIPE_API_KEY=%s"],"Cmd":["node","/app/server.js"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]},"history":[{"created_by":"ENV STRIPE_API_KEY=%s"},{"created_by":"COPY app /app"}]}' \
  "$STRIPE_RESTRICTED_KEY_JSON" "$DIFF" "$STRIPE_RESTRICTED_KEY_JSON" > "$I/config.json"
CONFIG=$(sha256sum "$I/config.json" | cut -c1-64)
mv "$I/config.json" "$I/oci/blobs/sha256/$CONFIG"
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s"},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:%s"}]}' \
  "$CONFIG" "$LAYER" > "$I/manifest"
MANIFEST=$(sha256sum "$I/manifest" | cut -c1-64)
mv "$I/manifest" "$I/oci/blobs/sha256/$MANIFEST"
printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","annotations":{"io.containerd.image.name":"leaky:1.0"}}]}' "$MANIFEST" > "$I/oci/index.json"
printf '[{"Config":"blobs/sha256/%s","RepoTags":["leaky:1.0"],"Layers":["blobs/sha256/%s"]}]' "$CONFIG" "$LAYER" > "$I/oci/manifest.json"
printf '{"imageLayoutVersion":"1.0.0"}' > "$I/oci/oci-layout"
"${TAR[@]}" -cf "$S/image/image.tar" -C "$I/oci" .
expect image/image.tar "sha256:$LAYER!app/server.js:js" npm NPM_TOKEN_ENV ascii secret
expect image/image.tar "sha256:$CONFIG:image-config ENV STRIPE_API_KEY" stripe STRIPE_RESTRICTED_KEY_JSON ascii secret
expect image/image.tar "sha256:$CONFIG:image-config history" stripe STRIPE_RESTRICTED_KEY_JSON ascii secret

"$PY" "$UTIL" verify "$S"
du -ch "$S/web/dist" "$S/npm" "$S/electron" "$S/extension" "$S/image" | tail -1 >&2
