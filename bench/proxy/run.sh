#!/usr/bin/env bash
# Benchmark: leakproof proxy vs nginx as a plain reverse proxy that injects the same
# Authorization header, both in front of the same local nginx upstream serving a small
# static JSON response. Same machine, same run, loopback only. Prints requests/s and p99
# for both and the ratios (targets: throughput >= 60% of nginx, p99 <= 2x nginx).
#
# Same job for both: keep-alive connections to the upstream, the Cookie removed, the
# same Authorization header injected (the upstream answers 401 without it and 400 when a
# cookie reaches it, and any non-2xx fails the run), one access/audit log line per request
# written to a file (logging on for both, as in production), the same number of worker
# processes/threads. leakproof additionally verifies the HS256 session JWT and the
# anti-CSRF header on every request; nginx checks nothing (it has no JWT module).
#
# A third contender, "leakproof+redis", is the same proxy with its rate-limit budgets in a
# local redis-server ([rate_limit] store = "redis://..."); both leakproof instances have the
# same route budget (global_per_minute, set high enough never to refuse), so the difference
# is the store: one Redis round trip (EVALSHA) per request on the I/O thread.
#
# Usage: bench/proxy/run.sh [build-dir]   (default build-proxy; needs wrk, nginx, python3,
#        redis-server)
# Env:   DURATION (s per measurement, default 10), CONNECTIONS (default 32),
#        THREADS (proxy + nginx workers, default 1), RUNS (default 3; the two proxies are
#        measured alternately, nginx first on odd runs, and medians are reported),
#        KEEP=1 keeps the work dir (configs, logs) for inspection, REDIS_TIMEOUT_MS the
#        Redis command timeout of leakproof+redis (default 50: on a loaded 2-core VM the
#        production default of 5 ms fires when a thread is descheduled, and the global
#        budget then fails closed with 503, which would end the run as non-2xx).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BUILD="${1:-$ROOT/build-proxy}"
LEAKPROOF="$BUILD/cli/leakproof"
DURATION="${DURATION:-10}"
CONNECTIONS="${CONNECTIONS:-32}"
THREADS="${THREADS:-1}"
RUNS="${RUNS:-3}"
WRK_THREADS=2
for tool in wrk nginx python3 curl redis-server; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install wrk nginx-light curl redis-server)"; exit 2; }
done
[ -x "$LEAKPROOF" ] || { echo "missing $LEAKPROOF (build the leakproof target)"; exit 2; }

WORK="$(mktemp -d /tmp/leakproof-bench.XXXXXX)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for f in "$WORK"/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; done
  sleep 0.3
  if [ -n "${KEEP:-}" ]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
UP_PORT=$(free_port); NGX_PORT=$(free_port); LP_PORT=$(free_port)
LPR_PORT=$(free_port); REDIS_PORT=$(free_port)
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
  keepalive_requests 1000000;
  $2
}
CONF
}

# Upstream: small static JSON, only when the injected credential arrived and no cookie
# did. /__stub counts accepted connections (upstream keep-alive reuse check).
nginx_conf upstream "access_log off;
  server { listen 127.0.0.1:$UP_PORT;
    location = /__stub { stub_status; }
    location / {
      if (\$http_authorization != \"Bearer $FAKE_KEY\") { return 401; }
      if (\$http_cookie != \"\") { return 400; }
      default_type application/json; return 200 '{\"ok\":true,\"items\":[1,2,3]}'; } }"
# nginx reverse proxy injecting the same header; logs each request (like leakproof's audit).
nginx_conf nginxproxy "access_log $WORK/nginxproxy/access.log;
  upstream up { server 127.0.0.1:$UP_PORT; keepalive 64; keepalive_requests 1000000; }
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

lp_conf() {  # $1 port, $2 audit file, $3 extra top-level config
  cat <<CONF
[server]
listen = "127.0.0.1:$1"
threads = $THREADS
max_connections = 4096

[session]
cookie = "lp_session"
jwt_alg = "HS256"
jwt_secret = "env:BENCH_SESSION_KEY"

[csrf]
allowed_origins = ["http://127.0.0.1"]

[audit]
path = "$2"
$3
[[routes]]
name = "bench"
upstream = "http://127.0.0.1:$UP_PORT"
paths = ["/**"]
[routes.rate_limit]
global_per_minute = 100000000
[routes.credential]
source = "env:BENCH_API_KEY"
auth = "bearer"
CONF
}
lp_conf "$LP_PORT" "$WORK/audit.jsonl" "" > "$WORK/bff.toml"
lp_conf "$LPR_PORT" "$WORK/audit-redis.jsonl" "
[rate_limit]
store = \"redis://127.0.0.1:$REDIS_PORT\"
command_timeout_ms = ${REDIS_TIMEOUT_MS:-50}
" > "$WORK/bff-redis.toml"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
  --dir "$WORK" >"$WORK/redis.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 100); do
  [ "$(redis-cli -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ] && break
  sleep 0.1
done
BENCH_SESSION_KEY="$SESSION_KEY" BENCH_API_KEY="$FAKE_KEY" \
  "$LEAKPROOF" proxy --config "$WORK/bff.toml" 2>"$WORK/leakproof.err" &
PIDS+=($!)
BENCH_SESSION_KEY="$SESSION_KEY" BENCH_API_KEY="$FAKE_KEY" \
  "$LEAKPROOF" proxy --config "$WORK/bff-redis.toml" 2>"$WORK/leakproof-redis.err" &
PIDS+=($!)

token() {  # $1 signing key -> HS256 session JWT for "bench", valid for an hour
  SESSION_KEY="$1" python3 - <<'PY'
import base64, hashlib, hmac, json, os, time
b = lambda d: base64.urlsafe_b64encode(d).rstrip(b"=").decode()
h = b(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
p = b(json.dumps({"sub": "bench", "exp": int(time.time()) + 3600}).encode())
sig = hmac.new(os.environ["SESSION_KEY"].encode(), f"{h}.{p}".encode(), hashlib.sha256).digest()
print(f"{h}.{p}.{b(sig)}")
PY
}
TOKEN=$(token "$SESSION_KEY")
FORGED=$(token "not-the-session-key-0123456789abcdef")

wait_ready() {  # $1 url
  for _ in $(seq 1 100); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" = "200" ] && return 0
    sleep 0.1
  done
  fail "not ready: $1"
}
wait_ready "http://127.0.0.1:$LP_PORT/readyz"
wait_ready "http://127.0.0.1:$LPR_PORT/readyz"
curl -s "http://127.0.0.1:$LPR_PORT/readyz" | grep -q "rate-limit store: redis .* up" ||
  fail "leakproof+redis does not use Redis"
wait_ready "http://127.0.0.1:$UP_PORT/__stub"

# Both proxies give the browser the same answer, and each check really runs: the
# upstream refuses a request without the injected key, leakproof one without a valid
# session or without the anti-CSRF header.
HDRS=(-H "Cookie: lp_session=$TOKEN" -H "X-Requested-With: leakproof")
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
[ "$(code "http://127.0.0.1:$UP_PORT/")" = 401 ] || fail "upstream does not demand the key"
NGX_BODY=$(curl -sf "${HDRS[@]}" "http://127.0.0.1:$NGX_PORT/api/bench/") || fail "nginx proxy"
LP_BODY=$(curl -sf "${HDRS[@]}" "http://127.0.0.1:$LP_PORT/api/bench/") || fail "leakproof proxy"
[ "$NGX_BODY" = "$LP_BODY" ] || fail "different bodies: nginx '$NGX_BODY' leakproof '$LP_BODY'"
LPR_BODY=$(curl -sf "${HDRS[@]}" "http://127.0.0.1:$LPR_PORT/api/bench/") || fail "leakproof+redis"
[ "$NGX_BODY" = "$LPR_BODY" ] || fail "different bodies: nginx '$NGX_BODY' leakproof+redis '$LPR_BODY'"
[ "$(code -H "X-Requested-With: leakproof" "http://127.0.0.1:$LP_PORT/api/bench/")" = 401 ] ||
  fail "leakproof accepted a request without a session"
[ "$(code -H "Cookie: lp_session=$FORGED" -H "X-Requested-With: leakproof" \
  "http://127.0.0.1:$LP_PORT/api/bench/")" = 401 ] || fail "leakproof accepted a forged session"
[ "$(code -H "Cookie: lp_session=$TOKEN" "http://127.0.0.1:$LP_PORT/api/bench/")" = 403 ] ||
  fail "leakproof accepted a request without the anti-CSRF header"

upstream_accepts() { curl -s "http://127.0.0.1:$UP_PORT/__stub" | awk 'NR==3 {print $1}'; }
# Runs in this shell (not a subshell) so `fail` ends the script.
run_wrk() {  # $1 name, $2 url -> $WORK/last: "rps p99_ms requests upstream_connections_opened"
  wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d1s "${HDRS[@]}" "$2" >/dev/null  # warm-up: pools
  local before out rps p99 n errors opened
  before=$(upstream_accepts)
  out=$(timeout $((DURATION + 20)) wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${DURATION}s" \
        --latency "${HDRS[@]}" "$2")
  opened=$(( $(upstream_accepts) - before - 1 ))  # minus the stub request itself
  echo "== $1 ==" >&2
  echo "$out" >&2
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  n=$(echo "$out" | awk '/requests in/ {print $1}')
  p99=$(echo "$out" | awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000}
        else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; print v}')
  ! grep -q 'Non-2xx' <<<"$out" || fail "$1: non-2xx responses"
  errors=$(echo "$out" | awk '/Socket errors/ {print}')
  [ -z "$errors" ] || echo "warning: $1: $errors" >&2
  [ -n "$rps" ] && [ -n "$p99" ] && [ -n "$n" ] || fail "$1: could not parse wrk output"
  echo "$rps $p99 $n $opened" > "$WORK/last"
}

RESULTS="$WORK/results.txt"
: > "$RESULTS"
LP_TOTAL=0
for run in $(seq 1 "$RUNS"); do
  order=(nginx leakproof leakproof+redis)
  [ $((run % 2)) -eq 0 ] && order=(leakproof+redis leakproof nginx)
  for who in "${order[@]}"; do
    case "$who" in
      nginx) port=$NGX_PORT ;;
      leakproof) port=$LP_PORT ;;
      *) port=$LPR_PORT ;;
    esac
    run_wrk "run $run: $who (127.0.0.1:$port)" "http://127.0.0.1:$port/api/bench/"
    read -r rps p99 n opened < "$WORK/last"
    [ "$who" != nginx ] && LP_TOTAL=$((LP_TOTAL + n))
    echo "$run $who $rps $p99 $n $opened" >> "$RESULTS"
  done
done

# Every request leakproof answered was a verified session: one audit line each, with a
# hashed session id (the warm-ups and checks above add a few more lines).
sleep 0.2
AUDITED=$(cat "$WORK/audit.jsonl" "$WORK/audit-redis.jsonl" |
  grep -c '"session":"[0-9a-f]\{16\}","status":200' || true)
[ "$AUDITED" -ge "$LP_TOTAL" ] || fail "audit lines with a session: $AUDITED < $LP_TOTAL requests"
LOGGED=$(wc -l < "$WORK/nginxproxy/access.log")

python3 - "$RESULTS" "$THREADS" "$CONNECTIONS" "$DURATION" "$WRK_THREADS" "$AUDITED" "$LOGGED" <<'PY'
import statistics, sys
path, threads, conns, dur, wrk_threads, audited, logged = sys.argv[1:8]
rows = [line.split() for line in open(path)]
by = {"nginx": [], "leakproof": [], "leakproof+redis": []}
print(f"\nworkers/threads={threads} (nginx worker_processes, leakproof [server] threads); "
      f"wrk -t{wrk_threads} -c{conns} -d{dur}s; logging on for both "
      f"(nginx access_log, leakproof audit file)")
print(f"{'run':>3} {'':16}{'req/s':>10}{'p99 ms':>9}{'requests':>10}{'upstream conns':>16}")
for run, who, rps, p99, n, opened in rows:
    by[who].append((float(rps), float(p99)))
    print(f"{run:>3} {who:16}{float(rps):10.0f}{float(p99):9.2f}{int(n):10d}{int(opened):16d}")
med = {w: (statistics.median(r for r, _ in v), statistics.median(p for _, p in v))
       for w, v in by.items()}
print(f"\nmedian of {len(by['nginx'])} run(s):")
print(f"{'':16}{'req/s':>12}{'p99 ms':>10}")
for w in ("nginx", "leakproof", "leakproof+redis"):
    print(f"{w:16}{med[w][0]:12.0f}{med[w][1]:10.2f}")
rps_ratio = med["leakproof"][0] / med["nginx"][0]
p99_ratio = med["leakproof"][1] / med["nginx"][1]
print(f"throughput ratio leakproof/nginx = {rps_ratio:.2f} (target >= 0.60) "
      f"{'OK' if rps_ratio >= 0.6 else 'MISS'}")
print(f"p99 ratio leakproof/nginx        = {p99_ratio:.2f} (target <= 2.00) "
      f"{'OK' if p99_ratio <= 2.0 else 'MISS'}")
r_rps = med["leakproof+redis"][0] / med["nginx"][0]
r_p99 = med["leakproof+redis"][1] / med["nginx"][1]
print(f"leakproof+redis/nginx: throughput {r_rps:.2f}, p99 {r_p99:.2f}; "
      f"vs in-memory budgets: throughput "
      f"{med['leakproof+redis'][0] / med['leakproof'][0]:.2f}, p99 "
      f"{med['leakproof+redis'][1] / med['leakproof'][1]:.2f}")
print(f"log lines: leakproof audit with a verified session {audited}, nginx access log {logged}")
PY
