#!/usr/bin/env bash
# deploy/monitoring: the Prometheus rules pass `promtool check rules` and their unit tests
# (`promtool test rules`), the Grafana dashboard is valid JSON with panels, and every
# leakproof metric either file queries is one the proxy really exports (a renamed metric
# would otherwise leave a silent, never-firing alert). promtool comes from
# scripts/install-deps.sh; without it this test fails rather than skips.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
DIR="$ROOT/deploy/monitoring"
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v promtool >/dev/null || fail "promtool missing (scripts/install-deps.sh installs prometheus)"

promtool check rules "$DIR/leakproof-proxy-rules.yml"
(cd "$DIR" && promtool test rules leakproof-proxy-rules.test.yml)

python3 - "$DIR" "$ROOT/proxy/src/server" <<'PY'
import json, pathlib, re, sys
mon, src = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
dash = json.loads((mon / "leakproof-proxy-dashboard.json").read_text())
panels = dash.get("panels") or []
assert dash.get("uid") and len(panels) >= 8, "dashboard: uid and panels expected"
exprs = [t["expr"] for p in panels for t in p.get("targets", [])]
assert all(exprs) and len(exprs) >= len(panels), "dashboard: every panel needs a query"
rules = (mon / "leakproof-proxy-rules.yml").read_text()
exported = set(re.findall(r"leakproof_proxy_[a-z_]+", "".join(
    f.read_text() for f in src.glob("*.cc"))))
recorded = set(re.findall(r"record: (leakproof:[a-z0-9_:]+)", rules))
used = set(re.findall(r"leakproof_proxy_[a-z_]+", rules + "\n".join(exprs)))
missing = sorted(m for m in used
                 if re.sub(r"_(bucket|sum|count)$", "", m) not in exported and m not in exported)
assert not missing, f"metrics queried but never exported by the proxy: {missing}"
unknown = sorted(set(re.findall(r"leakproof:[a-z0-9_:]+", "\n".join(exprs))) - recorded)
assert not unknown, f"dashboard uses recording rules that do not exist: {unknown}"
print(f"monitoring: {len(panels)} panels, {len(exprs)} queries, {len(used)} metrics, all exported")
PY
echo "monitoring_rules: ok"
