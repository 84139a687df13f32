#!/usr/bin/env bash
# The cost of realistic traffic (#15): the same two requests an iteration,
# sent plain and then rendered from a 100,000-row CSV (two template fields in
# the path) with a header carrying a token extracted from the first answer's
# JSON, against nginx on core 0 (perfgate on core 1), alternating PAIRS
# times. Prints req/s and peak RSS of each, the ratio, and the CSV's size:
# the goal is throughput within 10% and peak RSS <= plain + 2 x the file.
# nginx answers `return 200` with a fixed JSON body: it is not the
# bottleneck (wrk reaches several times these rates on it).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
pairs=${1:-3}
secs=${2:-5}
vus=${3:-50}
port=18093
bench_build
work=$(mktemp -d)
trap 'bench_nginx_stop; rm -rf "$work"' EXIT
bench_nginx "$port" "default_type application/json;
    location /login { return 200 '{\"auth\": {\"token\": \"tok-0123456789abcdef\"}}'; }
    location / { return 200 '{\"id\": 1}'; }"

awk 'BEGIN { print "user,item"; for (i = 0; i < 100000; i++) printf "user%06d,%d\n", i, i * 7 }' \
  >"$work/users.csv"
csv_bytes=$(stat -c %s "$work/users.csv")

head="\"target\": \"http://127.0.0.1:$port\", \"trials\": 1, \"regression\": false,
  \"load\": { \"executor\": \"constant-vus\", \"vus\": $vus, \"duration\": \"${secs}s\", \"warmup\": \"1s\" },"
cat >"$work/plain.json" <<JSON
{ "name": "plain", $head
  "scenarios": [ { "name": "s", "requests": [
    { "path": "/login" },
    { "path": "/items/700?u=user000100", "headers": { "Authorization": "Bearer tok-0123456789abcdef" } } ] } ] }
JSON
cat >"$work/templated.json" <<JSON
{ "name": "templated", $head
  "data": { "users": "users.csv" },
  "scenarios": [ { "name": "s", "data": "users", "requests": [
    { "path": "/login", "extract": { "token": { "json": "auth.token" } } },
    { "path": "/items/{{users.item}}?u={{users.user}}", "headers": { "Authorization": "Bearer {{token}}" } } ] } ] }
JSON

run() { # run NAME -> "rps rss_kib errors"
  local out=$work/$1-results.json
  /usr/bin/time -f "%M" -o "$work/$1.rss" taskset -c 1 "$perfgate" run "$work/$1.json" --threads 1 \
    --quiet -o "$out" >/dev/null 2>&1 || true
  echo "$(bench_rps "$out") $(cat "$work/$1.rss") $(python3 -c 'import json,sys; print(sum(t["errors"] for t in json.load(open(sys.argv[1]))["budgets"][0]["trials"]))' "$out")"
}

echo "nginx return 200 on core 0, perfgate --threads 1 on core 1, $vus VUs, ${secs}s, $pairs pairs"
echo "data file: 100,000 rows, $csv_bytes bytes"
printf '%-5s %12s %12s %10s %12s %10s %8s\n' pair plain_rps templ_rps ratio plain_rss templ_rss errors
ratios=()
for p in $(seq "$pairs"); do
  read -r pr pm pe <<<"$(run plain)"
  read -r tr tm te <<<"$(run templated)"
  ratio=$(awk -v a="$tr" -v b="$pr" 'BEGIN { printf "%.3f", a / b }')
  ratios+=("$ratio")
  printf '%-5s %12.0f %12.0f %10s %9d KiB %6d KiB %4s/%s\n' "$p" "$pr" "$tr" "$ratio" "$pm" "$tm" "$pe" "$te"
done
median=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
echo "median throughput ratio templated/plain: $median (goal >= 0.90)"
echo "peak RSS goal: templated <= plain + 2 x $csv_bytes bytes = plain + $((2 * csv_bytes / 1024)) KiB"
