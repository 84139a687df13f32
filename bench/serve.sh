#!/usr/bin/env bash
# perfgate serve's own throughput: wrk (core 1) against `perfgate serve
# --threads 1` (core 0), small body on "/", keep-alive. The goal is
# at least 30,000 req/s on one core so the target never limits a benchmark.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
secs=${1:-10}
bench_build
bench_serve taskset -c 0 "$perfgate" serve --listen 127.0.0.1:0 --threads 1 --quiet
trap 'kill $serve_pid 2>/dev/null' EXIT
for c in 50 200; do
  r=$(taskset -c 1 wrk -t1 -c$c -d"${secs}s" "$serve_url/" | sed -n 's/^Requests\/sec:[[:space:]]*//p')
  echo "perfgate serve, 1 thread, wrk -c$c: $r req/s (target >= 30000)"
done
