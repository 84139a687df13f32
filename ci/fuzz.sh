#!/usr/bin/env bash
# ci/fuzz.sh [RUNS_OR_SECONDS] — builds the libFuzzer harnesses of fuzz/
# with clang (ASan + UBSan) and runs each on a corpus seeded from the tests.
#   ci/fuzz.sh 20000    each harness runs 20,000 inputs with a fixed seed:
#                       the same inputs every time (what ci/test.sh does)
#   ci/fuzz.sh 600s     each harness runs for 600 seconds, random seed
#   ci/fuzz.sh build    builds the harnesses and stops (ci/test.sh builds them
#                       while memcheck runs and fuzzes later)
# PG_FUZZ_WORK=DIR keeps the corpora (and logs) in DIR, so a later run goes
# on from what an earlier one found.
# A crash leaves its input in fuzz/crashes/<harness>/ and fails the script;
# make it a regression test (tests/...) before fixing it.
set -euo pipefail
cd "$(dirname "$0")/.."
limit=${1:-20000}
ci/install-deps.sh clang >/dev/null
build=build/fuzz
CC=clang cmake -S . -B "$build" -DPERFGATE_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
harnesses=(budget threshold hist results reports sse scrape gunzip dataset)
cmake --build "$build" -j "$(nproc)" --target "${harnesses[@]/#/fuzz_}" >/dev/null
[ "$limit" != build ] || exit 0
work=${PG_FUZZ_WORK:-$(mktemp -d)}
[ -n "${PG_FUZZ_WORK:-}" ] || trap 'rm -rf "$work"' EXIT

seed() { # seed HARNESS FILES...
  local h=$1
  shift
  mkdir -p "$work/$h"
  for f in "$@"; do [ -f "$f" ] && cp "$f" "$work/$h/$(echo "$f" | tr / _)"; done
  return 0
}
seed budget budgets/*.json tests/config/budgets/*/*.json
seed threshold fuzz/seeds/threshold/*
seed results tests/report/docs/*.json
seed reports tests/report/docs/*.json
seed sse fuzz/seeds/sse/*
mkdir -p "$work/gunzip"
for f in tests/report/docs/*.json; do gzip -c "$f" >"$work/gunzip/$(basename "$f").gz"; done
seed scrape fuzz/seeds/scrape/*
mkdir -p "$work/dataset" # first byte: 0 CSV, 1 JSON
seed dataset fuzz/seeds/dataset/*
for f in tests/config/budgets/valid/data/*; do
  { case $f in *.json) printf '\001' ;; *) printf '\000' ;; esac; cat "$f"; } >"$work/dataset/$(basename "$f")"
done
mkdir -p "$work/hist"
grep -oh '"hdr1:[^"]*"' tests/report/docs/regression.json | tr -d '"' | head -20 |
  while read -r h; do printf '%s' "$h" >"$work/hist/$(printf '%s' "$h" | md5sum | cut -c1-12)"; done

if [[ $limit == *s ]]; then
  bound=(-max_total_time="${limit%s}")
else
  bound=(-runs="$limit" -seed=1)
fi
# one harness per core at a time (they are CPU-bound and not timed)
fuzz_one() { # fuzz_one HARNESS: exit status in $work/HARNESS.rc
  local rc=0
  mkdir -p "fuzz/crashes/$1"
  ASAN_OPTIONS=detect_leaks=1 "$build/fuzz_$1" "${bound[@]}" -max_len=65536 -timeout=10 \
    -rss_limit_mb=2048 -dict=fuzz/json.dict -artifact_prefix="fuzz/crashes/$1/" \
    -print_final_stats=1 "$work/$1" >"$work/$1.log" 2>&1 || rc=$?
  echo $rc >"$work/$1.rc"
}
for h in "${harnesses[@]}"; do
  fuzz_one "$h" &
  while [ "$(jobs -rp | wc -l)" -ge "$(nproc)" ]; do wait -n || true; done
done
wait
fail=0
for h in "${harnesses[@]}"; do
  log="$work/$h.log"
  if [ "$(cat "$work/$h.rc" 2>/dev/null)" = 0 ]; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    secs=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
    echo "fuzz_$h: ${runs:-?} inputs, ${secs:-?}/s, ${cov:-cov: ?}, no crash"
  else
    echo "fuzz_$h: FAILED — input kept in fuzz/crashes/$h/"
    grep -E "ERROR|SUMMARY|runtime error" "$log" | head -5
    fail=1
  fi
done
exit $fail
