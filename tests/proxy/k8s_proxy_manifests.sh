#!/usr/bin/env bash
# deploy/k8s/proxy: every manifest is valid YAML with the fields the docs promise (3
# replicas, readiness on /readyz, liveness on /healthz, secrets mounted as files, a Redis
# Service the config points at), and the ConfigMap's bff.toml passes
# `leakproof proxy --check` (the same validation as a start, without secrets).
# Usage: k8s_proxy_manifests.sh <leakproof binary>
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
LEAKPROOF="$1"
WORK="$(mktemp -d /tmp/leakproof-k8s.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
python3 - "$ROOT/deploy/k8s/proxy" "$WORK/bff.toml" <<'PY'
import pathlib, sys, yaml
d, out = pathlib.Path(sys.argv[1]), sys.argv[2]
kust = yaml.safe_load((d / "kustomization.yaml").read_text())
docs = {}
for r in kust["resources"]:
    assert (d / r).is_file(), f"kustomization lists missing {r}"
    for doc in yaml.safe_load_all((d / r).read_text()):
        if doc:
            docs[(doc["kind"], doc["metadata"]["name"])] = doc
patch = yaml.safe_load((d / "vault-agent-patch.yaml").read_text())
assert patch["spec"]["template"]["metadata"]["annotations"]["vault.hashicorp.com/agent-inject"] == "true"
dep = docs[("Deployment", "leakproof-proxy")]["spec"]
assert dep["replicas"] == 3
c = dep["template"]["spec"]["containers"][0]
assert c["readinessProbe"]["httpGet"]["path"] == "/readyz"
assert c["livenessProbe"]["httpGet"]["path"] == "/healthz"
mounts = {m["mountPath"] for m in c["volumeMounts"]}
assert "/var/run/secrets/leakproof" in mounts and "/etc/leakproof" in mounts
assert ("Service", "leakproof-redis") in docs and ("Deployment", "leakproof-redis") in docs
assert ("ExternalSecret", "leakproof-proxy-secrets") in docs
toml = docs[("ConfigMap", "leakproof-proxy-config")]["data"]["bff.toml"]
assert 'store = "redis://leakproof-redis:6379"' in toml
assert "file:/var/run/secrets/leakproof/" in toml
for key in ("openai-api-key", "session-jwt-key"):
    assert f"file:/var/run/secrets/leakproof/{key}" in toml
    assert any(x["secretKey"] == key for x in docs[("ExternalSecret", "leakproof-proxy-secrets")]["spec"]["data"])
open(out, "w").write(toml)
print(f"k8s: {len(docs)} objects ok")
PY
"$LEAKPROOF" proxy --check --config "$WORK/bff.toml"
echo "k8s_proxy_manifests: ok"
