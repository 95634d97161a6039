#!/usr/bin/env bash
# Benchmark: leakproof proxy vs nginx as a plain reverse proxy that injects the same
# Authorization header, both in front of the same local nginx upstream serving a small
# static JSON response. Same machine, same run, loopback only. Prints requests/s and p99
# for both and the ratios (targets: throughput >= 60% of nginx, p99 <= 2x nginx).
#
# Usage: bench/proxy/run.sh [build-dir]   (default build-proxy; needs wrk, nginx, python3)
# Env:   DURATION (s, default 10), CONNECTIONS (default 32), THREADS (proxy + nginx workers, 1)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BUILD="${1:-$ROOT/build-proxy}"
LEAKPROOF="$BUILD/cli/leakproof"
DURATION="${DURATION:-10}"
CONNECTIONS="${CONNECTIONS:-32}"
THREADS="${THREADS:-1}"
for tool in wrk nginx python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install wrk nginx-light)"; exit 2; }
done
[ -x "$LEAKPROOF" ] || { echo "missing $LEAKPROOF (build the leakproof target)"; exit 2; }

WORK="$(mktemp -d /tmp/leakproof-bench.XXXXXX)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for f in "$WORK"/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; done
  sleep 0.3
  [ -n "${KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
UP_PORT=$(free_port); NGX_PORT=$(free_port); LP_PORT=$(free_port)
FAKE_KEY="FAKESECRET-bench-0000000000000000"   # fake; never a real key
SESSION_KEY="bench-session-signing-key-0123456789abcdef"

nginx_conf() {  # $1 name, $2 server block
  mkdir -p "$WORK/$1"
  cat > "$WORK/$1/nginx.conf" <<CONF
worker_processes $THREADS;
pid $WORK/$1.pid;
error_log $WORK/$1/error.log warn;
events { worker_connections 4096; }
http {
  client_body_temp_path $WORK/$1; proxy_temp_path $WORK/$1; fastcgi_temp_path $WORK/$1;
  uwsgi_temp_path $WORK/$1; scgi_temp_path $WORK/$1;
  keepalive_requests 100000;
  $2
}
CONF
}

# Upstream: small static JSON.
nginx_conf upstream "access_log off;
  server { listen 127.0.0.1:$UP_PORT;
    location / { default_type application/json; return 200 '{\"ok\":true,\"items\":[1,2,3]}'; } }"
# nginx reverse proxy injecting the same header; logs each request like leakproof audits.
nginx_conf nginxproxy "access_log $WORK/nginxproxy/access.log;
  upstream up { server 127.0.0.1:$UP_PORT; keepalive 64; }
  server { listen 127.0.0.1:$NGX_PORT;
    location /api/bench/ {
      proxy_pass http://up/;
      proxy_http_version 1.1;
      proxy_set_header Connection \"\";
      proxy_set_header Cookie \"\";
      proxy_set_header Authorization \"Bearer $FAKE_KEY\";
    } }"
nginx -p "$WORK/upstream" -c "$WORK/upstream/nginx.conf"
nginx -p "$WORK/nginxproxy" -c "$WORK/nginxproxy/nginx.conf"

cat > "$WORK/bff.toml" <<CONF
[server]
listen = "127.0.0.1:$LP_PORT"
threads = $THREADS
max_connections = 4096

[session]
cookie = "lp_session"
jwt_alg = "HS256"
jwt_secret = "env:BENCH_SESSION_KEY"

[csrf]
allowed_origins = ["http://127.0.0.1"]

[audit]
path = "$WORK/audit.jsonl"

[[routes]]
name = "bench"
upstream = "http://127.0.0.1:$UP_PORT"
paths = ["/**"]
[routes.credential]
source = "env:BENCH_API_KEY"
auth = "bearer"
CONF
BENCH_SESSION_KEY="$SESSION_KEY" BENCH_API_KEY="$FAKE_KEY" \
  "$LEAKPROOF" proxy --config "$WORK/bff.toml" 2>"$WORK/leakproof.err" &
PIDS+=($!)

TOKEN=$(SESSION_KEY="$SESSION_KEY" python3 - <<'PY'
import base64, hashlib, hmac, json, os, time
b = lambda d: base64.urlsafe_b64encode(d).rstrip(b"=").decode()
h = b(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
p = b(json.dumps({"sub": "bench", "exp": int(time.time()) + 3600}).encode())
sig = hmac.new(os.environ["SESSION_KEY"].encode(), f"{h}.{p}".encode(), hashlib.sha256).digest()
print(f"{h}.{p}.{b(sig)}")
PY
)

wait_ready() {  # $1 port, $2 path: raw keep-alive GET (see "Known issue" in docs/proxy.md)
  for _ in $(seq 1 100); do
    status=$(python3 -c "import socket,sys
try:
  s=socket.create_connection(('127.0.0.1',$1),timeout=1); s.sendall(b'GET $2 HTTP/1.1\\r\\nHost: b\\r\\n\\r\\n')
  print(s.recv(64)[9:12].decode())
except Exception: print(0)" 2>/dev/null)
    [ "$status" = "200" ] && return 0
    sleep 0.1
  done
  echo "not ready: $1$2"; exit 2
}
wait_ready "$LP_PORT" /readyz
wait_ready "$UP_PORT" /

HDRS=(-H "Cookie: lp_session=$TOKEN" -H "X-Requested-With: leakproof")
run_wrk() {  # $1 url -> "rps p99_ms"
  wrk -t1 -c1 -d1s "${HDRS[@]}" "$1" >/dev/null  # warm-up (connections, pools)
  out=$(timeout $((DURATION + 20)) wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency \
        "${HDRS[@]}" "$1")
  echo "$out" >&2
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000}
        else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; print v}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $5}')
  [ -z "$non2xx" ] || { echo "non-2xx responses: $non2xx" >&2; exit 1; }
  echo "$rps $p99"
}

echo "== nginx reverse proxy (127.0.0.1:$NGX_PORT) ==" >&2
read -r NGX_RPS NGX_P99 < <(run_wrk "http://127.0.0.1:$NGX_PORT/api/bench/")
echo "== leakproof proxy (127.0.0.1:$LP_PORT) ==" >&2
read -r LP_RPS LP_P99 < <(run_wrk "http://127.0.0.1:$LP_PORT/api/bench/")

python3 - "$NGX_RPS" "$NGX_P99" "$LP_RPS" "$LP_P99" "$THREADS" "$CONNECTIONS" "$DURATION" <<'PY'
import sys
ngx_rps, ngx_p99, lp_rps, lp_p99 = map(float, sys.argv[1:5])
print(f"\nworkers/threads={sys.argv[5]} connections={sys.argv[6]} duration={sys.argv[7]}s")
print(f"{'':12}{'req/s':>12}{'p99 ms':>10}")
print(f"{'nginx':12}{ngx_rps:12.0f}{ngx_p99:10.2f}")
print(f"{'leakproof':12}{lp_rps:12.0f}{lp_p99:10.2f}")
rps_ratio, p99_ratio = lp_rps / ngx_rps, lp_p99 / ngx_p99
print(f"throughput ratio leakproof/nginx = {rps_ratio:.2f} (target >= 0.60) "
      f"{'OK' if rps_ratio >= 0.6 else 'MISS'}")
print(f"p99 ratio leakproof/nginx        = {p99_ratio:.2f} (target <= 2.00) "
      f"{'OK' if p99_ratio <= 2.0 else 'MISS'}")
PY
