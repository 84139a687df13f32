#!/usr/bin/env bash
# bench/capacity.sh [DELAYS_MS...] — does the breaking-point executor find
# the capacity a closed-model tool saturates at? For each service time
# (default 10 and 20 ms) perfgate serve answers through 16 connections, so it
# can serve at most 16 / delay requests/s. wrk with 16 connections measures
# the throughput it reaches; perfgate's staircase (steps of 5% of that
# bound, 500 ms each, 3 trials) reports the highest rate that held p99 under
# 4x the service time with under 1% dropped. Prints both and their ratio:
# an open-model capacity holds its latency, so it sits a little under the
# closed-model maximum. Server on core 0, generators on core 1.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
delays=("$@")
[ ${#delays[@]} -gt 0 ] || delays=(10 20)
bench_build
budget=$(mktemp --suffix=.json)
res=$(mktemp)
trap 'rm -f "$budget" "$res"; kill ${serve_pid:-} 2>/dev/null || true' EXIT
echo "delay_ms  bound_rps  wrk_rps  capacity_rps  capacity/wrk  staircases"
for d in "${delays[@]}"; do
  bench_serve taskset -c 0 "$perfgate" serve --listen 127.0.0.1:0 --quiet --delay "$d"
  bound=$((16000 / d))
  step=$((bound / 20))
  w=$(taskset -c 1 wrk -t1 -c16 -d5s "$serve_url/" | sed -n 's/^Requests\/sec:[[:space:]]*//p')
  cat >"$budget" <<JSON
{ "name": "capacity", "target": "$serve_url",
  "load": { "executor": "breaking-point", "start": $step, "step": $step, "max": $((bound * 2)),
            "step_duration": "500ms", "warmup": "500ms", "max_connections": 16 },
  "trials": 3, "regression": false,
  "thresholds": { "http_req_duration": ["p(99)<$((d * 4))ms"] },
  "scenarios": [ { "name": "s", "requests": [ { "path": "/" } ] } ] }
JSON
  taskset -c 1 "$perfgate" run "$budget" --threads 1 --quiet -o "$res" >/dev/null 2>&1 || true
  caps=$(python3 -c "import json,sys; print(','.join('%g' % t['capacity_rps'] for t in json.load(open(sys.argv[1]))['budgets'][0]['trials']))" "$res")
  c=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['budgets'][0]['summary']['capacity_rps'])" "$res")
  echo "$d $bound $w $c $caps" | awk '{ printf "%8d %10d %8.0f %13.0f %13.2f  %s\n", $1, $2, $3, $4, $4 / $3, $5 }'
  kill "$serve_pid"
  wait "$serve_pid" 2>/dev/null || true
done
