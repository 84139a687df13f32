#!/usr/bin/env bash
# abort_on_fail (k6's abortOnFail, delayAbortEval): a threshold that breaks
# while the run goes on stops it at once; the results are written, marked
# aborted, the threshold fails and the exit code is 1. Against perfgate serve
# answering 503 on 127.0.0.1: a 20 s budget must end within a few seconds,
# and not before its delay. A threshold that holds never stops anything.
set -u
bin=$1
. "$(dirname "$0")/lib.sh"

start serve "$bin" serve --listen 127.0.0.1:0 --quiet

budget() { # budget FILE PATH THRESHOLD-ENTRY
  cat >"$1" <<JSON
{
  "name": "abort",
  "target": "$url",
  "load": { "executor": "constant-arrival-rate", "rate": 100, "duration": "20s", "max_connections": 8 },
  "trials": 2,
  "scenarios": [ { "name": "s", "requests": [ { "method": "GET", "path": "$2" } ] } ],
  "thresholds": { "http_req_failed": [ $3 ] },
  "regression": false
}
JSON
}

elapsed() { # elapsed CMD... -> $secs, $rc, $out
  local t0=$SECONDS
  out=$("$@" 2>&1)
  rc=$?
  secs=$((SECONDS - t0))
}

budget "$dir/now.json" /status/503 '{ "threshold": "rate<0.01", "abortOnFail": true }'
elapsed "$bin" run "$dir/now.json" -o "$dir/now-results.json" -q
[ "$rc" -eq 1 ] || bad "aborted run: exit $rc, want 1"
[ "$secs" -le 10 ] || bad "aborted run took ${secs}s of a 20 s budget"
grep -q "ABORTED" <<<"$out" || bad "the console does not say the run was aborted"
grep -Eq '"aborted":[[:space:]]*"threshold http_req_failed rate<0.01 broke after' "$dir/now-results.json" ||
  bad "the results do not say why the run was aborted"
grep -Eq '"interrupted":[[:space:]]*true' "$dir/now-results.json" || bad "aborted results are not marked partial"
grep -Eq '"verdict":[[:space:]]*"fail"' "$dir/now-results.json" || bad "the aborting threshold did not fail"

budget "$dir/later.json" /status/503 \
  '{ "threshold": "rate<0.01", "abort_on_fail": true, "delay_abort_eval": "4s" }'
elapsed "$bin" run "$dir/later.json" -o "$dir/later-results.json" -q
[ "$rc" -eq 1 ] || bad "delayed abort: exit $rc, want 1"
[ "$secs" -ge 4 ] && [ "$secs" -le 14 ] || bad "delayed abort took ${secs}s (want 4 to 14)"
grep -q 'broke after [4-9] s' "$dir/later-results.json" || bad "the delayed abort came before 4 s"

# expectations are watched too: checks rate>0.99 on answers that are all 503
budget "$dir/checks.json" /status/503 '{ "threshold": "rate>0.99", "abortOnFail": true }'
sed -i 's/"http_req_failed"/"checks"/; s|"path": "/status/503" }|"path": "/status/503", "expect": { "status": 200 } }|' \
  "$dir/checks.json"
elapsed "$bin" run "$dir/checks.json" -q
[ "$rc" -eq 1 ] && [ "$secs" -le 10 ] || bad "checks abort: exit $rc after ${secs}s"

# a threshold that holds: the whole schedule runs (2 s here)
budget "$dir/holds.json" / '{ "threshold": "rate<0.5", "abortOnFail": true }'
sed -i 's/"duration": "20s"/"duration": "2s"/' "$dir/holds.json"
expect "holding threshold" 0 "thresholds: all hold" -- "$bin" run "$dir/holds.json"

# what cannot be watched live is refused when the budget is read
budget "$dir/gauge.json" / '{ "threshold": "rate<0.5", "abortOnFail": true }'
sed -i 's/"http_req_failed"/"iterations"/; s/rate<0.5/count<5/' "$dir/gauge.json"
expect "unwatchable metric" 2 "abort_on_fail watches http_req_duration" -- \
  "$bin" run "$dir/gauge.json" --dry-run
budget "$dir/both.json" / '{ "threshold": "rate<0.5", "abortOnFail": true, "abort_on_fail": true }'
expect "both spellings" 2 "give one of them" -- "$bin" run "$dir/both.json" --dry-run
budget "$dir/delay.json" / '{ "threshold": "rate<0.5", "delayAbortEval": "2s" }'
expect "delay without abort" 2 "delays abort_on_fail" -- "$bin" run "$dir/delay.json" --dry-run
exit $fail
