#!/usr/bin/env bash
# perfgate beside wrk on the same nginx, in alternation (#16's figures).
# nginx answers `return 200` from memory, fast enough that the client, not
# the server, is the bottleneck (wrk's req/s is printed beside perfgate's;
# the ratio is meaningful when wrk's is well above perfgate's). Closed model,
# one client thread each, keep-alive:
#   pinned    nginx on core 0, the client on core 1; 50 connections
#   unpinned  both free to use both cores (a 2-core CI runner); 50
#             connections; also CPU time per request of each client
#             (user + system of the process / requests)
#   1000      pinned, 1,000 connections
# PAIRS alternating pairs (default 5) of SECS seconds (default 5) per case;
# medians. Goals (#16): pinned >= 0.9x, unpinned >= 0.75x with CPU per
# request <= 1.3x wrk's, 1000 connections >= 0.7x.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
pairs=${1:-5}
secs=${2:-5}
bench_build
work=$(mktemp -d)
port=18181
trap 'bench_nginx_stop; rm -rf "$work"' EXIT

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# wrk: "rps cpu_seconds"
wrk_run() { # wrk_run CPUS CONNS
  /usr/bin/time -f "%U %S" -o "$work/wrk.time" taskset -c "$1" wrk -t1 -c"$2" -d"${secs}s" \
    "http://127.0.0.1:$port/" >"$work/wrk.out"
  echo "$(sed -n 's/^Requests\/sec:[[:space:]]*//p' "$work/wrk.out") $(awk '{ print $1 + $2 }' "$work/wrk.time")"
}
# perfgate: "rps cpu_seconds requests" (no warm-up: its CPU time is all for
# the requests it counts)
pg_run() { # pg_run CPUS CONNS
  cat >"$work/budget.json" <<JSON
{ "name": "bench", "target": "http://127.0.0.1:$port",
  "load": { "executor": "constant-vus", "vus": $2, "duration": "${secs}s" },
  "trials": 1, "regression": false,
  "scenarios": [ { "name": "get", "requests": [ { "path": "/" } ] } ] }
JSON
  /usr/bin/time -f "%U %S" -o "$work/pg.time" taskset -c "$1" "$perfgate" run "$work/budget.json" \
    --threads 1 --quiet -o "$work/pg.json" >/dev/null 2>&1 || true
  echo "$(bench_rps "$work/pg.json") $(awk '{ print $1 + $2 }' "$work/pg.time") $(python3 -c \
    'import json,sys; print(json.load(open(sys.argv[1]))["budgets"][0]["summary"]["requests"])' "$work/pg.json")"
}

case_run() { # case_run NAME NGINX_CPUS CLIENT_CPUS CONNS
  local name=$1 wr pr ratios=() wrks=() pgs=() cpu_ratios=()
  BENCH_NGINX_CPUS=$2 bench_nginx "$port" "location = / { return 200 'perfgate bench: ok\n'; }"
  for i in $(seq "$pairs"); do
    read -r wr wc <<<"$(wrk_run "$3" "$4")"
    read -r pr pc preq <<<"$(pg_run "$3" "$4")"
    wrks+=("$wr")
    pgs+=("$pr")
    ratios+=("$(awk -v a="$pr" -v b="$wr" 'BEGIN { printf "%.3f", a / b }')")
    # CPU seconds per request of each process
    cpu_ratios+=("$(awk -v pc="$pc" -v n="$preq" -v wc="$wc" -v wr="$wr" -v s="$secs" \
      'BEGIN { printf "%.3f", (pc / n) / (wc / (wr * s)) }')")
    printf '  %-9s pair %d: wrk %8.0f req/s (%.2f CPU s)  perfgate %8.0f req/s (%.2f CPU s)  ratio %s\n' \
      "$name" "$i" "$wr" "$wc" "$pr" "$pc" "${ratios[-1]}"
  done
  bench_nginx_stop
  printf '%-9s median: wrk %.0f req/s, perfgate %.0f req/s, ratio %s' "$name" \
    "$(printf '%s\n' "${wrks[@]}" | median)" "$(printf '%s\n' "${pgs[@]}" | median)" \
    "$(printf '%s\n' "${ratios[@]}" | median)"
  [ "$name" = unpinned ] && printf ', CPU per request perfgate/wrk %s' "$(printf '%s\n' "${cpu_ratios[@]}" | median)"
  echo
}

echo "perfgate vs wrk, nginx return 200, one client thread each, $pairs pairs of ${secs}s"
{
  case_run pinned 0 1 50
  case_run unpinned 0,1 0,1 50
  case_run 1000 0 1 1000
} | tee "$work/all"
echo
echo "goals: pinned >= 0.90, unpinned >= 0.75 with CPU per request <= 1.30, 1000 connections >= 0.70"
grep median "$work/all"
