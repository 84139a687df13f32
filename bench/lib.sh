# bench/lib.sh — shared helpers for the bench scripts (sourced, not run).
# Everything targets 127.0.0.1 and stops by itself.

bench_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
perfgate=$bench_root/build/release/perfgate

bench_build() {
  "$bench_root/ci/install-deps.sh" wrk nginx-light >/dev/null
  "$bench_root/ci/build.sh" "$bench_root/build/release" >/dev/null
}

# Starts perfgate serve with the given flags; sets serve_pid and serve_url.
bench_serve() {
  local log
  log=$(mktemp)
  "$@" >"$log" 2>&1 &
  serve_pid=$!
  for _ in $(seq 50); do grep -q listening "$log" && break; sleep 0.1; done
  serve_url=$(sed -n 's/^listening on //p' "$log")
  rm -f "$log"
}

# Starts nginx serving a small body on 127.0.0.1:$1 (and $2, more lines of
# its server block, e.g. locations that `return 200`); sets nginx_dir.
# BENCH_NGINX_CONNS: connections it accepts at once (default 4096).
bench_nginx() {
  nginx_dir=$(mktemp -d)
  mkdir -p "$nginx_dir/www"
  printf 'perfgate bench: ok\n' >"$nginx_dir/www/index.html"
  cat >"$nginx_dir/nginx.conf" <<CONF
worker_processes 1;
worker_rlimit_nofile $((${BENCH_NGINX_CONNS:-4096} + 64));
pid $nginx_dir/nginx.pid;
error_log $nginx_dir/error.log;
events { worker_connections ${BENCH_NGINX_CONNS:-4096}; }
http {
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 60s;
  server {
    listen 127.0.0.1:$1;
    root $nginx_dir/www;
    ${2:-}
  }
}
CONF
  # the server on core 0, the load generator under test on core 1
  # (BENCH_NGINX_CPUS=0,1: free to use both, as on a 2-core CI runner)
  taskset -c "${BENCH_NGINX_CPUS:-0}" nginx -c "$nginx_dir/nginx.conf"
  sleep 0.3
}

bench_nginx_stop() {
  [ -n "${nginx_dir:-}" ] && [ -f "$nginx_dir/nginx.pid" ] && kill "$(cat "$nginx_dir/nginx.pid")" 2>/dev/null
  sleep 0.2
  rm -rf "${nginx_dir:-/nonexistent}"
}

# A budget file for a closed-model run of $2 VUs for $3 against $1.
bench_closed_budget() {
  local f
  f=$(mktemp --suffix=.json)
  cat >"$f" <<JSON
{ "name": "bench", "target": "$1",
  "load": { "executor": "constant-vus", "vus": $2, "duration": "$3", "warmup": "1s" },
  "trials": 1, "regression": false,
  "scenarios": [ { "name": "get", "requests": [ { "path": "/" } ] } ] }
JSON
  echo "$f"
}

# Requests per second from perfgate's results file ($1).
bench_rps() {
  grep -A12 '"summary"' "$1" | sed -n 's/.*"rps":[[:space:]]*\([0-9.]*\).*/\1/p' | head -1
}

# summary.<object>.<field> from perfgate's results file: bench_summary FILE latency_us p50
bench_summary() {
  sed -n '/"summary"/,$p' "$1" | sed -n "/\"$2\"/,/}/p" | sed -n "s/.*\"$3\":[[:space:]]*\([0-9.]*\).*/\1/p" | head -1
}
