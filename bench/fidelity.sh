#!/usr/bin/env bash
# Does perfgate measure what is there?
# 1. Against `perfgate serve --delay 5`, the same load pattern for both: a
#    closed model of 2 connections (perfgate constant-vus 2, wrk -t1 -c2),
#    3 alternating pairs; perfgate's p50 beside wrk's (the goal: within 3%,
#    median of the pairs' ratios).
# 2. Send lateness (intended start to send) of the open model at 1,000 req/s
#    against nginx `return 200` (the goal: p50 <= 50 us, p99 <= 1 ms).
# 3. Against a server that stalls 500 ms every 5 s, 200 req/s open model:
#    latency from the intended start (coordinated omission corrected) must
#    show the stall (p99 >= 400 ms) while latency from the actual send hides it.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
secs=${1:-10}
bench_build
tmp=$(mktemp -d)
trap 'kill $serve_pid 2>/dev/null; rm -rf "$tmp"' EXIT

bench_serve taskset -c 0 "$perfgate" serve --listen 127.0.0.1:0 --delay 5 --quiet
cat >"$tmp/delay.json" <<JSON
{ "name": "fidelity", "target": "$serve_url",
  "load": { "executor": "constant-vus", "vus": 2, "duration": "${secs}s", "warmup": "1s" },
  "trials": 1, "regression": false, "scenarios": [ { "name": "s", "requests": [ { "path": "/" } ] } ] }
JSON
ratios=()
for pair in 1 2 3; do
  w=$(taskset -c 1 wrk -t1 -c2 -d"${secs}s" --latency "$serve_url/" | awk '$1 == "50%" { v = $2; if (v ~ /ms$/) { sub(/ms$/, "", v); v *= 1000 } else if (v ~ /us$/) { sub(/us$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1e6 } print v }')
  taskset -c 1 "$perfgate" run "$tmp/delay.json" --threads 1 --quiet -o "$tmp/delay.out" >/dev/null 2>&1
  p=$(bench_summary "$tmp/delay.out" latency_us p50)
  r=$(awk -v p="$p" -v w="$w" 'BEGIN { printf "%.4f", p / w }')
  ratios+=("$r")
  awk -v p="$p" -v w="$w" -v k="$pair" 'BEGIN {
    printf "  delay 5ms, pair %d: wrk -c2 p50 %.0fus, perfgate 2 VUs p50 %.0fus (%+.1f%%)\n", k, w, p, (p - w) * 100 / w }'
done
kill $serve_pid
wait $serve_pid 2>/dev/null || true
printf '%s\n' "${ratios[@]}" | sort -n | awk '{ r[NR] = $1 } END {
  printf "delay 5ms, closed model of 2 connections: median perfgate/wrk p50 %+.1f%% (target within 3%%)\n", (r[2] - 1) * 100 }'
BENCH_NGINX_CPUS=0 bench_nginx 18184 "location = / { return 200 'ok'; }"
cat >"$tmp/late.json" <<JSON
{ "name": "lateness", "target": "http://127.0.0.1:18184",
  "load": { "executor": "constant-arrival-rate", "rate": 1000, "duration": "${secs}s", "warmup": "1s", "max_connections": 32 },
  "trials": 1, "regression": false, "scenarios": [ { "name": "s", "requests": [ { "path": "/" } ] } ] }
JSON
taskset -c 1 "$perfgate" run "$tmp/late.json" --threads 1 --quiet -o "$tmp/late.out" >/dev/null 2>&1
bench_nginx_stop
echo "send lateness at 1,000 req/s (open model, nginx return 200): p50 $(bench_summary "$tmp/late.out" send_lateness_us p50)us (target <= 50us), p99 $(bench_summary "$tmp/late.out" send_lateness_us p99)us (target <= 1000us)"

bench_serve taskset -c 0 "$perfgate" serve --listen 127.0.0.1:0 --stall-every 5 --stall-for 500 --quiet
cat >"$tmp/stall.json" <<JSON
{ "name": "stall", "target": "$serve_url",
  "load": { "executor": "constant-arrival-rate", "rate": 200, "duration": "20s", "max_connections": 8 },
  "trials": 1, "regression": false, "scenarios": [ { "name": "s", "requests": [ { "path": "/" } ] } ] }
JSON
taskset -c 1 "$perfgate" run "$tmp/stall.json" --threads 1 --quiet -o "$tmp/stall.out" >/dev/null 2>&1
c99=$(bench_summary "$tmp/stall.out" latency_us p99)
u99=$(bench_summary "$tmp/stall.out" latency_uncorrected_us p99)
w99=$(taskset -c 1 wrk -t1 -c8 -d20s --latency "$serve_url/" | awk '$1 == "99%" { print $2 }')
echo "stall 500ms every 5s at 200 req/s: p99 from intended start $((c99 / 1000))ms (target >= 400ms), from actual send $((u99 / 1000))ms; wrk -c8 p99 $w99"
