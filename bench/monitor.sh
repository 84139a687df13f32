#!/usr/bin/env bash
# bench/monitor.sh [PAIRS] [SECONDS] — what watching costs: wrk, perfgate
# without a monitor target, and perfgate watching nginx (command "nginx",
# the /proc scan of every process each 500 ms) while scraping a Prometheus
# endpoint (perfgate serve /metrics) every 500 ms, in alternation on the
# same nginx. Closed model, 1 thread, 50 connections; nginx on core 0, the
# generator on core 1. Prints each one's req/s and the ratios to wrk.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
pairs=${1:-3}
secs=${2:-10}
bench_build
port=18183
bench_nginx $port
bench_serve taskset -c 0 "$perfgate" serve --listen 127.0.0.1:0 --quiet
trap 'bench_nginx_stop; kill $serve_pid 2>/dev/null' EXIT
plain=$(bench_closed_budget "http://127.0.0.1:$port" 50 "${secs}s")
watched=$(mktemp --suffix=.json)
cat >"$watched" <<JSON
{ "name": "bench", "target": "http://127.0.0.1:$port",
  "load": { "executor": "constant-vus", "vus": 50, "duration": "${secs}s", "warmup": "1s" },
  "trials": 1, "regression": false,
  "monitor": { "command": "nginx", "interval": "500ms",
               "scrape": [ { "url": "$serve_url/metrics", "every": "500ms",
                             "gauges": { "conns": "perfgate_serve_connections" } } ] },
  "thresholds": { "target_cpu": ["max<1000"] },
  "scenarios": [ { "name": "get", "requests": [ { "path": "/" } ] } ] }
JSON
res=$(mktemp)
rps_of() {
  taskset -c 1 "$perfgate" run "$1" --threads 1 --quiet -o "$res" >/dev/null 2>&1 || true
  bench_rps "$res"
}
echo "pair  wrk_rps  perfgate_rps  ratio  watched_rps  ratio  nginx_cpu_max  samples"
for i in $(seq "$pairs"); do
  w=$(taskset -c 1 wrk -t1 -c50 -d"${secs}s" "http://127.0.0.1:$port/" | sed -n 's/^Requests\/sec:[[:space:]]*//p')
  p=$(rps_of "$plain")
  m=$(rps_of "$watched")
  cpu=$(python3 -c "import json,sys; b=json.load(open(sys.argv[1]))['budgets'][0]; s=b['monitor']['series']; print('%.0f%% %d' % (max(v for _,v in s['target_cpu']['samples']), len(s['target_cpu']['samples'])))" "$res")
  echo "$i $w $p $m $cpu" | awk '{ printf "%4d %8.0f %13.0f %6.2f %12.0f %6.2f %14s %8s\n", $1, $2, $3, $3 / $2, $4, $4 / $2, $5, $6 }'
done | tee "$res.table"
awk '{ p += $4; m += $6; n++ } END { printf "mean ratio to wrk: plain %.2f, watched %.2f (watching costs %.1f%%)\n", p / n, m / n, 100 * (p - m) / p }' "$res.table"
rm -f "$plain" "$watched" "$res" "$res.table"
