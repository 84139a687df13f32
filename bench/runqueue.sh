#!/usr/bin/env bash
# Does each service's run-queue wait explain the latency gaps of A/A duet
# comparisons of a CPU-bound service under steady busy loops (the cell of
# bench/noise.sh that still makes false FAILs)? Two `perfgate serve --cpu 2`,
# a busy loop per core, N `perfgate ab` comparisons as bench/noise.sh makes
# them; before and after each, the sum of run_delay (the second field of
# /proc/PID/task/*/schedstat: ns runnable but not running) of each service.
# Prints per comparison the p50 gap (B - A) beside the gap in run-queue wait
# per request. Usage: bench/runqueue.sh [N=10]. Not a CI step.
set -u
source "$(dirname "$0")/lib.sh"
bench_build
P=$perfgate
bench_serve "$P" serve --listen 127.0.0.1:0 --threads 2 --quiet --cpu 2
A=$serve_pid a_url=$serve_url
bench_serve "$P" serve --listen 127.0.0.1:0 --threads 2 --quiet --cpu 2
B=$serve_pid b_url=$serve_url
tmp=$(mktemp -d)
cat > "$tmp/rq.json" <<'JSON'
{ "name": "noise", "target": "http://127.0.0.1:9",
  "load": { "executor": "constant-arrival-rate", "rate": 200, "duration": "12s", "warmup": "500ms", "max_connections": 64 },
  "trials": 6, "scenarios": [ { "name": "s", "requests": [ { "path": "/" } ] } ],
  "regression": { "metrics": ["p50", "p95", "service_cpu"], "min_effect": "5%" } }
JSON
wait_ns() { local s=0; for f in /proc/$1/task/*/schedstat; do read -r _ d _ < "$f"; s=$((s + d)); done; echo $s; }
sh -c 'while :; do :; done' & L1=$!
sh -c 'while :; do :; done' & L2=$!
trap 'kill $L1 $L2 $A $B 2>/dev/null; rm -rf "$tmp"' EXIT
sleep 1
for k in $(seq ${1:-10}); do
  a0=$(wait_ns $A); b0=$(wait_ns $B)
  $P ab "$tmp/rq.json" --a "$a_url" --b "$b_url" --seed $k -q --json "$tmp/rq-v.json" >/dev/null 2>&1
  a1=$(wait_ns $A); b1=$(wait_ns $B)
  python3 - "$tmp/rq-v.json" $((a1-a0)) $((b1-b0)) $k <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); b = d["budgets"][0]
m = {x["metric"]: x for x in b["comparison"]["metrics"]}
n = sum(t["requests"] for t in b["trials"]) + 100  # + warm-up
wa, wb = int(sys.argv[2]) / n / 1e3, int(sys.argv[3]) / n / 1e3
p = m["p50"]
print(f"seed {sys.argv[4]:>2} {str(d.get('verdict'))[:12]:<12} p50 A {p['baseline']:.0f} B {p['current']:.0f} ({p['change']:.3f}) "
      f"p95 {m['p95']['change']:.3f} svc {m['service_cpu']['change']:.3f} | runq wait/req A {wa:.0f}us B {wb:.0f}us  B-A {wb-wa:+.0f}us vs p50 B-A {p['current']-p['baseline']:+.0f}us")
PY
done
