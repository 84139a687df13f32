#!/usr/bin/env bash
# ci/valgrind.sh [BUILD_DIR] — valgrind memcheck over every cmocka test
# binary of BUILD_DIR (default build/werror, as ci/test.sh leaves it) and over
# one short `perfgate run` against `perfgate serve` on 127.0.0.1. Fails on any
# memcheck error and on any definitely or indirectly lost block; "still
# reachable" (libcurl's and OpenSSL's global state at exit) is allowed.
# Known library leaks are listed, with the reason, in ci/valgrind.supp.
set -uo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/werror}
[ -x "$build/perfgate" ] || { echo "valgrind: no $build/perfgate; run ci/build.sh $build first"; exit 2; }
command -v valgrind >/dev/null || ci/install-deps.sh valgrind
logs=$(mktemp -d)
trap 'kill $server 2>/dev/null; wait 2>/dev/null; rm -rf "$logs"' EXIT
vg=(valgrind --tool=memcheck --leak-check=full --errors-for-leak-kinds=definite,indirect
  --show-leak-kinds=definite,indirect --error-exitcode=99 --track-fds=no
  --suppressions="$PWD/ci/valgrind.supp" --num-callers=30)
fail=0
check() { # check NAME LOG RC
  local lost
  lost=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$2" | tail -1)
  if [ "$3" -ne 0 ]; then
    echo "valgrind: $1 FAILED (exit $3)"
    grep -E "^==[0-9]+== (Invalid|Conditional|Use of|Mismatched|Syscall|.*definitely|.*indirectly)" "$2" | head -10
    fail=1
  else
    echo "valgrind: $1: no errors, definitely lost ${lost:-0} bytes"
  fi
}
for t in "$build"/tests/test_*; do
  [ -x "$t" ] || continue
  name=$(basename "$t")
  # the test binaries find their fixtures relative to the source tree
  (cd "$build/tests" && "${vg[@]}" --log-file="$logs/$name.log" "./$name" >"$logs/$name.out" 2>&1)
  check "$name" "$logs/$name.log" $?
done

# one short run: 2 s, open model, every code path of a real request
"$build/perfgate" serve --listen 127.0.0.1:0 --quiet >"$logs/serve.out" 2>&1 &
server=$!
for _ in $(seq 100); do grep -q "listening on" "$logs/serve.out" && break; sleep 0.05; done
target=$(sed -n 's/^listening on //p' "$logs/serve.out")
cat >"$logs/b.json" <<JSON
{ "name": "valgrind", "target": "$target",
  "load": { "executor": "constant-arrival-rate", "rate": 100, "duration": "2s", "warmup": "1s" },
  "trials": 2, "regression": false,
  "thresholds": { "http_req_duration": ["p(95)<2s"], "http_req_failed": ["rate<0.5"] },
  "scenarios": [ { "name": "s", "requests": [ { "path": "/delay/1", "expect": { "status": [200] } },
                                               { "method": "POST", "path": "/echo", "body": "x" } ] } ] }
JSON
"${vg[@]}" --log-file="$logs/run.log" "$build/perfgate" run "$logs/b.json" -o "$logs/r.json" --quiet \
  >"$logs/run.out" 2>&1
rc=$?
[ $rc -eq 0 ] || [ $rc -eq 1 ] || { echo "valgrind: perfgate run exit $rc"; cat "$logs/run.out"; }
check "perfgate run (2 s against perfgate serve)" "$logs/run.log" $((rc == 99 ? 99 : 0))
requests=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["budgets"][0]["summary"]["requests"])' "$logs/r.json" 2>/dev/null)
echo "valgrind: the run made ${requests:-no} requests"
[ -n "$requests" ] && [ "$requests" -gt 0 ] || fail=1
exit $fail
