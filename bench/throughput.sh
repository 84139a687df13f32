#!/usr/bin/env bash
# perfgate beside wrk on the same nginx, in alternation: closed model,
# 1 thread, 50 connections, N pairs (default 3). Prints req/s and the ratio.
# Target from issue #3: perfgate >= 0.6x wrk.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
pairs=${1:-3}
secs=${2:-10}
bench_build
port=18181
bench_nginx $port
trap bench_nginx_stop EXIT
budget=$(bench_closed_budget "http://127.0.0.1:$port" 50 "${secs}s")
res=$(mktemp)
echo "pair  wrk_rps  perfgate_rps  ratio"
sum=0
for i in $(seq "$pairs"); do
  w=$(taskset -c 1 wrk -t1 -c50 -d"${secs}s" "http://127.0.0.1:$port/" | sed -n 's/^Requests\/sec:[[:space:]]*//p')
  taskset -c 1 "$perfgate" run "$budget" --threads 1 --quiet -o "$res" >/dev/null 2>&1
  p=$(bench_rps "$res")
  r=$(awk -v p="$p" -v w="$w" 'BEGIN { printf "%.2f", p / w }')
  printf "%4d %9.0f %13.0f %6s\n" "$i" "$w" "$p" "$r"
  sum=$(awk -v s="$sum" -v r="$r" 'BEGIN { print s + r }')
done
awk -v s="$sum" -v n="$pairs" 'BEGIN { printf "mean ratio perfgate/wrk: %.2f (target >= 0.60)\n", s / n }'
rm -f "$budget" "$res"
