#!/usr/bin/env bash
# Does the same-runner gate hold under machine noise? `perfgate ab` with both
# schedules (duet, alternate) under three conditions of the machine:
#   quiet   nothing else running
#   steady  a busy loop on every core for the whole comparison
#   bursty  a busy loop on every core, 1.5 s on, 1.5 s off
# and four kinds of comparison, each against two `perfgate serve` processes
# on this machine (unpinned: both may use both cores, as on a CI runner):
#   A/A          --delay 5 on both sides: every FAIL is a false alarm
#   delay +10%   --delay 5 against --delay 5.5 (a longer service time)
#   cpu +10%     --cpu 2 against --cpu 2.2 (a CPU-bound service: on 2
#                cores a slower B also slows A)
#   delay +5%    --delay 5 against --delay 5.25, min_effect 2% (quiet only)
# Each comparison: open model, 200 req/s, 6 trials of 2 s (duet: 12 s of
# load per side at once; alternate: 24 s one side after the other).
# Prints, per cell, FAIL / inconclusive / pass counts and the longest
# comparison. Targets (duet): A/A 0 FAIL everywhere; +10% FAIL >= 9 of 10
# everywhere; +5% FAIL >= 8 of 10 when quiet.
# Compared: p50, p95 and the service's CPU time per request (service_cpu:
# each `perfgate serve` is a process on this machine).
# Usage: bench/noise.sh [N=10 comparisons per cell] [conditions="quiet steady bursty"]
#                       [schedules="duet alternate"] [rows=REGEX of the comparisons to run]
# NOISE_LOG=FILE appends each comparison's verdict per metric (name=verdict:change),
# and when latency was held undecided, the service's run-queue wait as shares
# of A's and B's latency (queued=A/B).
# Takes about 85 minutes with N=10. Not a CI step.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
n=${1:-10}
conditions=${2:-quiet steady bursty}
schedules=${3:-duet alternate}
rows=${4:-.}
bench_build
tmp=$(mktemp -d)
pids=()
noise_pid=
stop_noise() {
  if [ -n "$noise_pid" ]; then
    kill -- -"$noise_pid" 2>/dev/null || kill "$noise_pid" 2>/dev/null || true
    wait "$noise_pid" 2>/dev/null || true
    noise_pid=
  fi
  pkill -f 'perfgate-noise-busy' 2>/dev/null || true
}
trap 'stop_noise; kill "${pids[@]}" 2>/dev/null; rm -rf "$tmp"' EXIT
cores=$(nproc)

busy() { # one busy loop per core until killed; named so it can be found
  for _ in $(seq "$cores"); do bash -c 'exec -a perfgate-noise-busy bash -c "while :; do :; done"' & done
  wait
}
start_noise() {
  case "$1" in
  quiet) ;;
  steady) set -m; busy & noise_pid=$!; set +m ;;
  bursty)
    set -m
    (while :; do busy & b=$!; sleep 1.5; kill $b 2>/dev/null; pkill -f perfgate-noise-busy; wait $b 2>/dev/null; sleep 1.5; done) &
    noise_pid=$!
    set +m
    ;;
  esac
}

serve() { # serve FLAGS... -> url
  bench_serve "$perfgate" serve --listen 127.0.0.1:0 --threads 2 --quiet "$@"
  pids+=("$serve_pid")
  echo "$serve_url" >"$tmp/url.$serve_pid"
  last_url=$serve_url
}
serve --delay 5; d5=$last_url
serve --delay 5; d5b=$last_url
serve --delay 5.5; d55=$last_url
serve --delay 5.25; d525=$last_url
serve --cpu 2; c1=$last_url
serve --cpu 2; c1b=$last_url
serve --cpu 2.2; c11=$last_url

budget() { # budget FILE MIN_EFFECT
  cat >"$1" <<JSON
{ "name": "noise", "target": "$d5",
  "load": { "executor": "constant-arrival-rate", "rate": 200, "duration": "12s", "warmup": "500ms",
            "max_connections": 64 },
  "trials": 6, "scenarios": [ { "name": "s", "requests": [ { "path": "/" } ] } ],
  "regression": { "metrics": ["p50", "p95", "service_cpu"], "min_effect": "$2" } }
JSON
}
budget "$tmp/b5.json" 5%
budget "$tmp/b2.json" 2%

cell() { # cell SCHEDULE BUDGET A_URL B_URL -> "fail inconclusive pass longest"
  local f=0 i=0 p=0 max=0 start took out
  for k in $(seq "$n"); do
    start=$(date +%s.%N)
    out=$("$perfgate" ab "$2" --a "$3" --b "$4" --schedule "$1" --seed "$k" -q \
      --json "$tmp/verdict.json" 2>/dev/null | tail -1 || true)
    if [ -n "${NOISE_LOG:-}" ] && [ -s "$tmp/verdict.json" ]; then # each metric's verdict and change
      python3 - "$tmp/verdict.json" "$cond $1 ${label// /_} seed=$k ${out%%:*}" >>"$NOISE_LOG" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
import re
rows = [f"{m['metric']}={m['verdict']}:{m.get('change', float('nan')):.4f}"
        for b in doc["budgets"] for m in b["comparison"]["metrics"]]
# latency held undecided: the service's run-queue wait as shares of latency
held = [re.search(r"waited for a CPU (\S+) \(A\) and (\S+) \(B\)", m.get("why", ""))
        for b in doc["budgets"] for m in b["comparison"]["metrics"]]
held = [h for h in held if h]
print(sys.argv[2], " ".join(rows), f"queued={held[0].group(1)}/{held[0].group(2)}" if held else "")
PY
    fi
    rm -f "$tmp/verdict.json"
    took=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
    max=$(awk -v a="$max" -v b="$took" 'BEGIN { print (b > a) ? b : a }')
    case "$out" in FAILED*) f=$((f + 1)) ;; INCONCLUSIVE*) i=$((i + 1)) ;; *) p=$((p + 1)) ;; esac
  done
  echo "$f $i $p $max"
}

printf '%-7s %-9s %-22s %5s %5s %5s %8s\n' condition schedule comparison FAIL inc pass longest
for cond in $conditions; do
  start_noise "$cond"
  sleep 1
  for sched in $schedules; do
    row() { # row LABEL BUDGET A B
      [[ $1 =~ $rows ]] || return 0
      label=$1
      read -r f i p max <<<"$(cell "$sched" "$2" "$3" "$4")"
      printf '%-7s %-9s %-22s %2d/%-2d %5d %5d %7ss\n' "$cond" "$sched" "$1" "$f" "$n" "$i" "$p" "$max"
    }
    row "A/A delay 5ms" "$tmp/b5.json" "$d5" "$d5b"
    row "A/A cpu 2ms" "$tmp/b5.json" "$c1" "$c1b"
    row "delay +10%" "$tmp/b5.json" "$d5" "$d55"
    row "cpu +10%" "$tmp/b5.json" "$c1" "$c11"
    [ "$cond" = quiet ] && row "delay +5% (min 2%)" "$tmp/b2.json" "$d5" "$d525"
  done
  stop_noise
done
