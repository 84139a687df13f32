#!/usr/bin/env bash
# Does `check` against a stored baseline still cry wolf on a busy machine?
# A baseline is recorded on a quiet machine; then the unchanged target is
# checked N times while a busy loop holds every core, for an open-model
# budget (latency at 200 req/s) and a closed-model throughput budget (16
# virtual users, rps); then, on the quiet machine again, a target 50% slower
# (perfgate serve --delay 5 against --delay 7.5) is checked N times.
# Targets: no FAIL of the unchanged service under load (the gate says it
# could not decide), and the real slowdown FAILs N of N.
# Prints, per case, FAIL / could not decide / other inconclusive / pass.
# Usage: bench/baseline_noise.sh [N=10]. About 8 minutes. Not a CI step.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
n=${1:-10}
bench_build
tmp=$(mktemp -d)
pids=()
loops=()
trap 'kill "${loops[@]}" "${pids[@]}" 2>/dev/null; rm -rf "$tmp"' EXIT
bench_serve "$perfgate" serve --listen 127.0.0.1:0 --threads 2 --quiet --delay 5
pids+=("$serve_pid")
fast=$serve_url
bench_serve "$perfgate" serve --listen 127.0.0.1:0 --threads 2 --quiet --delay 7.5
pids+=("$serve_pid")
slow=$serve_url

cd "$tmp"
git init -q -b main . && git config user.email ci@example.invalid && git config user.name ci
cat >open.json <<JSON
{ "name": "open", "target": "$fast",
  "load": { "executor": "constant-arrival-rate", "rate": 200, "duration": "6s", "warmup": "500ms",
            "max_connections": 32 },
  "trials": 6, "scenarios": [ { "name": "s", "requests": [ { "path": "/" } ] } ],
  "regression": { "metrics": ["p50", "p95", "rps"] } }
JSON
cat >closed.json <<JSON
{ "name": "closed", "target": "$fast",
  "load": { "executor": "constant-vus", "vus": 16, "duration": "6s", "warmup": "500ms" },
  "trials": 6, "scenarios": [ { "name": "s", "requests": [ { "path": "/" } ] } ],
  "regression": { "metrics": ["rps", "p50"] } }
JSON
git add -A && git commit -qm budgets
"$perfgate" run open.json closed.json -q -o base.json >/dev/null || true
"$perfgate" baseline record base.json >/dev/null

count() { # count ARGS... -> "fail undecided inconclusive pass"
  local f=0 u=0 i=0 p=0 out
  for _ in $(seq "$n"); do
    out=$("$perfgate" check "$@" -q --base main 2>/dev/null || true)
    case "$(tail -1 <<<"$out")" in
    FAILED*) f=$((f + 1)) ;;
    INCONCLUSIVE*"could not decide"*) u=$((u + 1)) ;;
    INCONCLUSIVE*) i=$((i + 1)) ;;
    *) p=$((p + 1)) ;;
    esac
  done
  echo "$f $u $i $p"
}
row() { # row LABEL ARGS...
  local label=$1
  shift
  read -r f u i p <<<"$(count "$@")"
  printf '%-44s %2d/%-2d %9d %12d %5d\n' "$label" "$f" "$n" "$u" "$i" "$p"
}

printf '%-44s %5s %9s %12s %5s\n' case FAIL undecided inconclusive pass
for _ in $(seq "$(nproc)"); do
  bash -c 'while :; do :; done' &
  loops+=($!)
done
row "unchanged, open model, busy loops" open.json
row "unchanged, closed model (rps), busy loops" closed.json
kill "${loops[@]}"
loops=()
sleep 1
row "50% slower, open model, quiet" open.json --target "$slow"
row "50% slower, closed model (rps), quiet" closed.json --target "$slow"
