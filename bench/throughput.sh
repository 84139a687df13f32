#!/usr/bin/env bash
# perfgate beside wrk on the same nginx, in alternation: closed model,
# 1 thread, 50 connections, N pairs (default 3) of S seconds (default 10).
# nginx runs on core 0, the load generator under test on core 1.
# perfgate runs twice per pair: with its curl_multi_socket_action driver
# (PERFGATE_SOCKET_LOOP=1) and its default curl_multi_poll driver, to compare.
# Target: perfgate >= 0.6x wrk.
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
perfgate_rps() {
  taskset -c 1 env "$@" "$perfgate" run "$budget" --threads 1 --quiet -o "$res" >/dev/null 2>&1
  bench_rps "$res"
}
echo "pair  wrk_rps  socket_action_rps  ratio  multi_poll_rps  ratio"
for i in $(seq "$pairs"); do
  w=$(taskset -c 1 wrk -t1 -c50 -d"${secs}s" "http://127.0.0.1:$port/" | sed -n 's/^Requests\/sec:[[:space:]]*//p')
  s=$(perfgate_rps PERFGATE_SOCKET_LOOP=1)
  p=$(perfgate_rps PERFGATE_BENCH=1)
  echo "$i $w $s $p" | awk '{ printf "%4d %8.0f %18.0f %6.2f %15.0f %6.2f\n", $1, $2, $3, $3 / $2, $4, $4 / $2 }'
done | tee "$res.table"
awk '{ s += $4; p += $6; n++ } END { printf "mean ratio to wrk: socket_action %.2f, multi_poll %.2f (target >= 0.60)\n", s / n, p / n }' "$res.table"
rm -f "$budget" "$res" "$res.table"
