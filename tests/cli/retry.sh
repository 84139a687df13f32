#!/usr/bin/env bash
# A request that fails on a reused connection before any byte of its answer
# (the server closed the connection as the request went out) is sent once
# more on a new connection when it is idempotent, counted as retried, not
# failed; a POST is not (it may have been processed). Against
# tests/cli/hostile_target.py's /drop/N on 127.0.0.1: each connection
# answers N requests, then reads one more and closes without answering.
set -u
bin=$1
. "$(dirname "$0")/lib.sh"

start target python3 "$here/hostile_target.py" --lifetime 120
budget() { # budget FILE LOAD METHOD PATH
  cat >"$1" <<JSON
{ "name": "retry", "target": "$url", "load": $2, "trials": 2, "regression": false,
  "scenarios": [ { "name": "s", "requests": [ { "method": "$3", "path": "$4"$( [ "$3" = POST ] && echo ', "body": "x"') } ] } ] }
JSON
}
total() { # total RESULTS FIELD: the field summed over the trials
  python3 -c 'import json,sys; print(sum(t.get(sys.argv[2], 0) for t in json.load(open(sys.argv[1]))["budgets"][0]["trials"]))' "$1" "$2"
}

budget "$dir/get.json" '{ "executor": "constant-vus", "vus": 2, "duration": "2s" }' GET /drop/1
expect "GET on closing connections" 0 "retried: [0-9]+ requests failed on a reused connection" -- \
  "$bin" run "$dir/get.json" -o "$dir/get-results.json"
[ "$(total "$dir/get-results.json" errors)" = 0 ] || bad "GET: $(total "$dir/get-results.json" errors) errors, want 0"
[ "$(total "$dir/get-results.json" retried)" -gt 0 ] || bad "GET: nothing counted as retried"
[ "$(total "$dir/get-results.json" requests)" -gt 100 ] || bad "GET: too few requests to have met a closing connection"

budget "$dir/open.json" \
  '{ "executor": "constant-arrival-rate", "rate": 200, "duration": "2s", "max_connections": 4 }' DELETE /drop/3
"$bin" run "$dir/open.json" -q -o "$dir/open-results.json" >/dev/null 2>&1
[ "$(total "$dir/open-results.json" errors)" = 0 ] || bad "open model DELETE: $(total "$dir/open-results.json" errors) errors, want 0"
[ "$(total "$dir/open-results.json" retried)" -gt 0 ] || bad "open model DELETE: nothing retried"

budget "$dir/post.json" '{ "executor": "constant-vus", "vus": 2, "duration": "2s" }' POST /drop/1
"$bin" run "$dir/post.json" -q -o "$dir/post-results.json" >/dev/null 2>&1
[ "$(total "$dir/post-results.json" errors)" -gt 0 ] || bad "POST was retried: a request that may have been processed must not be sent twice"
[ "$(total "$dir/post-results.json" retried)" = 0 ] || bad "POST counted as retried"
exit $fail
