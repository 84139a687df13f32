#!/usr/bin/env bash
# bench/soak.sh [SECONDS] [RATE] — a long open-model run at a steady rate
# against `perfgate serve` on 127.0.0.1: is perfgate's memory flat, are its
# file descriptors flat, and is every scheduled request accounted for
# (responses + errors + dropped = scheduled)? Samples RSS and open fds of the
# perfgate run process every 10 s and prints start, middle, end and the
# drift. Default 600 s at 2,000 requests/s. Stops by itself. The run also
# watches perfgate serve through "monitor" (pid), so it shows the target's
# RSS over the soak and that perfgate's own sampled series stay small.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
seconds=${1:-600}
rate=${2:-2000}
bench_build
dir=$(mktemp -d)
trap 'kill $serve_pid 2>/dev/null || true; rm -rf "$dir"' EXIT
bench_serve "$perfgate" serve --listen 127.0.0.1:0 --quiet --delay 1
cat >"$dir/soak.json" <<JSON
{ "name": "soak", "target": "$serve_url",
  "load": { "executor": "constant-arrival-rate", "rate": $rate, "duration": "${seconds}s",
            "max_connections": 64 },
  "trials": 1, "regression": false,
  "scenarios": [ { "name": "s", "requests": [ { "path": "/" } ] } ] }
JSON
python3 - "$dir/soak.json" "$serve_pid" <<'PY'
import json, sys
b = json.load(open(sys.argv[1]))
b["monitor"] = {"pid": int(sys.argv[2])}
json.dump(b, open(sys.argv[1], "w"))
PY
"$perfgate" run "$dir/soak.json" -o "$dir/r.json" --quiet >"$dir/out.txt" 2>&1 &
pid=$!
echo "second  rss_kib  fds"
samples=()
while kill -0 $pid 2>/dev/null; do
  rss=$(awk '/^VmRSS/{print $2}' /proc/$pid/status 2>/dev/null || true)
  fds=$(ls /proc/$pid/fd 2>/dev/null | wc -l)
  [ -n "$rss" ] && { samples+=("$rss $fds"); echo "$(( (${#samples[@]} - 1) * 10 ))  $rss  $fds"; }
  sleep 10
done
wait $pid || true
[ -s "$dir/r.json" ] || { cat "$dir/out.txt"; exit 3; }
first=${samples[1]:-${samples[0]}} # the first sample is taken before connections open
last=${samples[$(( ${#samples[@]} - 1 ))]}
python3 - "$dir/r.json" "$rate" "$seconds" "$first" "$last" <<'PY'
import json, sys
b = json.load(open(sys.argv[1]))["budgets"][0]
r = b["summary"]
rate, seconds = float(sys.argv[2]), float(sys.argv[3])
rss0, fd0 = map(int, sys.argv[4].split()); rss1, fd1 = map(int, sys.argv[5].split())
scheduled = int(rate * seconds)
print(f"rss {rss0} KiB at 10 s -> {rss1} KiB at the end ({(rss1 - rss0) / rss0 * 100:+.1f}%)")
print(f"fds {fd0} -> {fd1}")
print(f"scheduled {scheduled}, requests {r['requests']} (of which errors {r['errors']}), dropped {r['dropped']}: "
      f"{'all accounted for' if r['requests'] + r['dropped'] == scheduled else 'MISMATCH'}")
print(f"p50 {r['latency_us']['p50']} us, p99 {r['latency_us']['p99']} us, max {r['latency_us']['max']} us")
series = b.get("monitor", {}).get("series", {})
rss = [v for _, v in series.get("target_rss", {}).get("samples", [])]
if rss:
    print(f"target (perfgate serve) RSS {rss[0] / 1024:.0f} KiB -> {rss[-1] / 1024:.0f} KiB; "
          f"{sum(len(s['samples']) for s in series.values())} samples kept in {len(series)} series")
PY
