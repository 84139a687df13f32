#!/usr/bin/env bash
# k6's sub-metrics beyond one scenario or request: {status:N}, {method:M},
# {expected_response:true|false} and several tags at once, measured on the
# answers they name. Against perfgate serve on 127.0.0.1: /delay/60 answers
# 200 after 60 ms, /status/404 at once (not an expected status). A
# threshold on the 404s alone holds where the whole run's would not; one on
# the 200s alone breaks; the verdicts are kept in the results, and judged the
# same again when two shards' results are merged (read back from files).
set -u
bin=$1
. "$(dirname "$0")/lib.sh"

start serve "$bin" serve --listen 127.0.0.1:0 --quiet
cat >"$dir/tags.json" <<JSON
{
  "name": "tags",
  "target": "$url",
  "load": { "executor": "constant-vus", "vus": 4, "duration": "2s" },
  "trials": 2,
  "scenarios": [ { "name": "mixed", "requests": [
    { "name": "slow", "path": "/delay/60" },
    { "name": "missing", "method": "GET", "path": "/status/404" } ] } ],
  "thresholds": {
    "http_req_duration": ["max>=55ms"],
    "http_req_duration{status:404}": ["max<40ms"],
    "http_req_duration{expected_response:false,method:GET}": ["max<40ms"],
    "http_req_duration{expected_response:true}": ["min>=55ms"],
    "http_req_duration{status:200,name:slow}": ["max<40ms"],
    "http_req_duration{status:500}": ["max<1ms"]
  },
  "regression": false
}
JSON
verdicts() { # verdicts RESULTS -> "metric expr verdict" lines
  python3 -c '
import json, sys
for c in json.load(open(sys.argv[1]))["budgets"][0]["checks"]:
    print(c["metric"], c["expr"] if "expr" in c else c.get("threshold"), c["verdict"])' "$1"
}
check() { # check RESULTS LABEL
  local v
  v=$(verdicts "$1")
  for want in "http_req_duration max>=55ms pass" \
    "http_req_duration{status:404} max<40ms pass" \
    "http_req_duration{expected_response:false,method:GET} max<40ms pass" \
    "http_req_duration{expected_response:true} min>=55ms pass" \
    "http_req_duration{status:200,name:slow} max<40ms fail"; do
    grep -qxF "$want" <<<"$v" || bad "$2: want '$want' among: $(tr '\n' ';' <<<"$v")"
  done
  # no answer was a 500: that threshold has no data and is not judged a pass
  grep -q '^http_req_duration{status:500} max<1ms pass$' <<<"$v" && bad "$2: {status:500} passed on no data"
}
"$bin" run "$dir/tags.json" -o "$dir/results.json" -q >"$dir/run.out" 2>&1
[ $? -eq 1 ] || bad "run: a broken threshold must exit 1"
check "$dir/results.json" run

"$bin" run "$dir/tags.json" --shard 1/2 -o "$dir/s1.json" -q >/dev/null 2>&1
"$bin" run "$dir/tags.json" --shard 2/2 -o "$dir/s2.json" -q >/dev/null 2>&1
"$bin" merge "$dir/s1.json" "$dir/s2.json" -o "$dir/merged.json" >/dev/null 2>&1
check "$dir/merged.json" merge
exit $fail
