#!/usr/bin/env bash
# Peak RSS of perfgate (#16's memory goals):
#   64 VUs at full speed (closed model, 2 threads) against perfgate serve,
#   a short and a long run: <= 16 MiB, and within 10% of each other;
#   CONNS keep-alive connections at once (default 10,000; closed model, one
#   VU per connection) against nginx `return 200`: <= 64 MiB. The
#   connections established 8 s into the run are counted with ss(8), so a
#   figure from fewer is visible.
# Usage: bench/memory.sh [SHORT_S [LONG_S [CONNS]]]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
short=${1:-10}
long=${2:-60}
conns=${3:-10000}
port=18184
bench_build
bench_serve taskset -c 0 "$perfgate" serve --listen 127.0.0.1:0 --threads 1 --quiet
trap 'kill $serve_pid 2>/dev/null || true; bench_nginx_stop' EXIT

# peak URL VUS SECONDS: "peak_rss_kib req/s"
peak() {
  local budget out
  budget=$(bench_closed_budget "$1" "$2" "${3}s")
  out=$(mktemp)
  /usr/bin/time -f "%M" -o "$out.rss" taskset -c 1 "$perfgate" run "$budget" --quiet -o "$out" >/dev/null 2>&1 || true
  echo "$(cat "$out.rss") $(bench_rps "$out")"
  rm -f "$budget" "$out" "$out.rss"
}
read -r a ra <<<"$(peak "$serve_url" 64 "$short")"
read -r b rb <<<"$(peak "$serve_url" 64 "$long")"
echo "64 VUs, ${short}s run: peak RSS $((a / 1024)) MiB ($a KiB) at $ra req/s"
echo "64 VUs, ${long}s run: peak RSS $((b / 1024)) MiB ($b KiB) at $rb req/s"
awk -v a="$a" -v b="$b" 'BEGIN { printf "growth: %+.1f%% (target within 10%%, both <= 16 MiB)\n", (b - a) * 100 / a }'

kill "$serve_pid" 2>/dev/null || true
[ "$(ulimit -Hn)" = unlimited ] || [ "$(ulimit -Hn)" -ge $((conns + 200)) ] ||
  echo "note: the hard limit on open files ($(ulimit -Hn)) is below $conns: fewer connections will open"
BENCH_NGINX_CONNS=$((conns + 100)) bench_nginx "$port" "location = / { return 200 'perfgate bench: ok\n'; }"
(sleep 8; ss -Htn state established "( dport = :$port )" | wc -l >"$nginx_dir/established") &
read -r c rc <<<"$(peak "http://127.0.0.1:$port" "$conns" 10)"
wait
echo "$conns connections ($(cat "$nginx_dir/established") established at 8 s): peak RSS $((c / 1024)) MiB ($c KiB) at $rc req/s (target <= 64 MiB)"
