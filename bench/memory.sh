#!/usr/bin/env bash
# Peak RSS of perfgate at full speed (closed model, 64 VUs, 2 threads)
# against perfgate serve, for a short and a long run: memory must stay flat
# (the goal, #16: <= 16 MiB and within 10% between a short and a 60 s run).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
short=${1:-10}
long=${2:-60}
bench_build
bench_serve taskset -c 0 "$perfgate" serve --listen 127.0.0.1:0 --threads 1 --quiet
trap 'kill $serve_pid 2>/dev/null' EXIT
peak() {
  local budget out
  budget=$(bench_closed_budget "$serve_url" 64 "${1}s")
  out=$(mktemp)
  /usr/bin/time -f "%M" -o "$out.rss" taskset -c 1 "$perfgate" run "$budget" --quiet -o "$out" >/dev/null 2>&1
  echo "$(cat "$out.rss") $(bench_rps "$out")"
  rm -f "$budget" "$out" "$out.rss"
}
read -r a ra <<<"$(peak "$short")"
read -r b rb <<<"$(peak "$long")"
echo "${short}s run: peak RSS $((a / 1024)) MiB ($a KiB) at $ra req/s"
echo "${long}s run: peak RSS $((b / 1024)) MiB ($b KiB) at $rb req/s"
awk -v a="$a" -v b="$b" 'BEGIN { printf "growth: %+.1f%% (target within 10%%, both <= 16 MiB)\n", (b - a) * 100 / a }'
