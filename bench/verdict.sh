#!/usr/bin/env bash
# Is the verdict right both ways?
# 1. N A/A comparisons with `perfgate ab` against one `perfgate serve --delay 5
#    --jitter 1` on both sides: no FAIL allowed.
# 2. N comparisons where B is a second server with --delay 5.5 (10% slower):
#    at least N-1 must FAIL.
# 3. `perfgate compare` with 1,000 baseline files on the ancestry: under 200 ms.
# Each comparison is 2 x 6 s of load. Usage: bench/verdict.sh [N=20]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
n=${1:-20}
bench_build
tmp=$(mktemp -d)
trap 'kill $a_pid $b_pid 2>/dev/null; rm -rf "$tmp"' EXIT
bench_serve taskset -c 0 "$perfgate" serve --listen 127.0.0.1:0 --delay 5 --jitter 1 --quiet
a_pid=$serve_pid a_url=$serve_url
bench_serve taskset -c 0 "$perfgate" serve --listen 127.0.0.1:0 --delay 5.5 --jitter 1 --quiet
b_pid=$serve_pid b_url=$serve_url
cat >"$tmp/b.json" <<JSON
{ "name": "verdict", "target": "$a_url",
  "load": { "executor": "constant-arrival-rate", "rate": 200, "duration": "6s", "warmup": "500ms", "max_connections": 32 },
  "trials": 6, "scenarios": [ { "name": "s", "requests": [ { "path": "/" } ] } ],
  "regression": { "metrics": ["p50", "p95", "rps", "error_rate"] } }
JSON
count() { # count A_URL B_URL -> "fail inconclusive pass max_seconds"
  local f=0 i=0 p=0 max=0 start took out
  for k in $(seq "$n"); do
    start=$(date +%s.%N)
    out=$(taskset -c 1 "$perfgate" ab "$tmp/b.json" --a "$1" --b "$2" --seed "$k" -q 2>/dev/null | tail -1 || true)
    took=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
    max=$(awk -v a="$max" -v b="$took" 'BEGIN { print (b > a) ? b : a }')
    case "$out" in FAILED*) f=$((f + 1)) ;; INCONCLUSIVE*) i=$((i + 1)) ;; *) p=$((p + 1)) ;; esac
  done
  echo "$f $i $p $max"
}
read -r f i p max <<<"$(count "$a_url" "$a_url")"
echo "A/A ($n comparisons, same server): $f FAIL, $i inconclusive, $p pass; longest ${max}s (target: 0 FAIL, <= 60 s)"
read -r f i p max <<<"$(count "$a_url" "$b_url")"
echo "A/B ($n comparisons, B 10% slower): $f FAIL, $i inconclusive, $p pass; longest ${max}s (target: >= $((n - 1)) FAIL)"

# 3. a repository of 1,000 commits, each with a baseline
repo=$tmp/repo
git init -q -b main "$repo"
(
  cd "$repo"
  for k in $(seq 1000); do
    printf 'commit refs/heads/main\ncommitter ci <ci@example.invalid> %d +0000\ndata 4\nc%03d\n' $((1700000000 + k)) $((k % 1000))
    printf '\n'
  done | git fast-import --quiet
  git checkout -q main
)
"$perfgate" run "$tmp/b.json" --target "$a_url" --duration 1s --trials 1 -q -o "$tmp/r.json" >/dev/null 2>&1 || true
mkdir -p "$repo/baselines"
git -C "$repo" rev-list main | while read -r c; do cp "$tmp/r.json" "$repo/baselines/$c.json"; done
start=$(date +%s%N)
"$perfgate" compare "$tmp/r.json" --repo "$repo" --baselines "$repo/baselines" --base main >/dev/null 2>&1 || true
end=$(date +%s%N)
echo "compare with $(ls "$repo/baselines" | wc -l) baselines on the ancestry: $(((end - start) / 1000000)) ms (target < 200 ms)"
