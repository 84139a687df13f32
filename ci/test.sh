#!/usr/bin/env bash
# The README's test command: installs what is missing, builds with warnings
# as errors, runs the cmocka tests through ctest (two per core: most of them wait), runs the unit tests and
# short runs under valgrind memcheck while it builds again with AddressSanitizer
# and UBSan (and the fuzzing harnesses), runs the tests again, then runs every libFuzzer
# harness on 20,000 inputs with a fixed seed (the same inputs each time; run
# ci/fuzz.sh 600s for a real search). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

ci/install-deps.sh

echo "== build (warnings as errors) (${SECONDS} s in)"
ci/build.sh build/werror -DPERFGATE_WERROR=ON
echo "== tests (${SECONDS} s in)"
ctest --test-dir build/werror --output-on-failure -j"$(($(nproc) * 2))" --timeout 300
# The sanitizer and fuzzing builds compile while memcheck runs: neither is
# timed (beside the first tests, which are, they cost those as much as they
# saved). In a process group of their own, so a failure stops every compiler.
builds_log=$(mktemp)
setsid bash -c 'ci/build.sh build/asan -DPERFGATE_WERROR=ON -DPERFGATE_SANITIZE=ON && ci/fuzz.sh build' \
  >"$builds_log" 2>&1 &
builds=$!
trap 'kill -- -$builds 2>/dev/null || true; rm -f "$builds_log"' EXIT
echo "== valgrind memcheck (unit tests and short runs), beside the builds below (${SECONDS} s in)"
ci/valgrind.sh build/werror

echo "== build (AddressSanitizer + UBSan) and the fuzzing harnesses (${SECONDS} s in)"
wait "$builds" || { cat "$builds_log"; exit 1; }
echo "== tests under sanitizers (${SECONDS} s in)"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build/asan --output-on-failure -j"$(($(nproc) * 2))" --timeout 600

echo "== fuzzing, bounded (ci/fuzz.sh 20000) (${SECONDS} s in)"
ci/fuzz.sh 20000

echo "== all tests passed (${SECONDS} s in)"
