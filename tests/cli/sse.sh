#!/usr/bin/env bash
# tests/cli/sse.sh PERFGATE — a budget on a Server-Sent Events endpoint
# (perfgate serve /stream: 5 events 10 ms apart, data {"seq":N,"text":"tokenN"})
# gates on time to first event: it holds against the server as it is, breaks
# against the same server with --delay 40, and `check` finds the slower
# first event as a regression against the baseline of the fast run.
set -u
bin=$(realpath "$1")
. "$(dirname "$0")/lib.sh"
start fast "$bin" serve --listen 127.0.0.1:0 --quiet
fast=$url
start slow "$bin" serve --listen 127.0.0.1:0 --quiet --delay 40
slow=$url
budget() { # budget FILE THRESHOLD
  cat >"$1" <<JSON
{ "name": "stream", "target": "$fast",
  "load": { "executor": "constant-vus", "vus": 4, "duration": "3s" },
  "trials": 6,
  "regression": { "metrics": ["p50"] },
  "thresholds": { "sse_time_to_first_event": ["$2"], "sse_events": ["count>0"],
                  "sse_events_per_second": ["p(50)>20"] },
  "scenarios": [ { "name": "llm", "requests": [
    { "path": "/stream?events=5&interval=10", "tokens_field": "text" } ] } ] }
JSON
}
budget "$dir/strict.json" "p(95)<35ms"
budget "$dir/loose.json" "p(95)<2s"

"$bin" run "$dir/strict.json" -o "$dir/fast.json" --quiet >"$dir/fast.out" 2>&1
rc=$?
[ $rc -eq 0 ] || { bad "fast: exit $rc, want 0"; cat "$dir/fast.out"; }
python3 - "$dir/fast.json" <<'PY' || fail=1
import json, sys
b = json.load(open(sys.argv[1]))["budgets"][0]
for i, t in enumerate(b["trials"]):
    s = t.get("sse")
    if not s or s["streams"] == 0:
        sys.exit("FAIL: trial %d has no streams" % i)
    # every stream has 5 events of 6 token characters ("token0".."token4")
    if s["events"] != 5 * s["streams"] or s["tokens"] != 6 * s["events"]:
        sys.exit("FAIL: trial %d: %d streams, %d events, %d tokens" % (i, s["streams"], s["events"], s["tokens"]))
    gap = s["inter_event_us"]["p50"]
    if not 8000 <= gap <= 20000:
        sys.exit("FAIL: trial %d: events 10 ms apart measured %d us apart" % (i, gap))
    if not 50 <= s["events_per_second"]["p50"] <= 120:
        sys.exit("FAIL: trial %d: %.1f events/s per stream, want about 100" % (i, s["events_per_second"]["p50"]))
PY
grep -q "streams: .* events; first event p50" "$dir/fast.out" || bad "no streams line on the console"

"$bin" run "$dir/strict.json" --target "$slow" --quiet >"$dir/slow.out" 2>&1
rc=$?
[ $rc -eq 1 ] || { bad "slow: exit $rc, want 1"; cat "$dir/slow.out"; }
grep -q "FAIL  sse_time_to_first_event p(95) .* breaks p(95)<35ms" "$dir/slow.out" ||
  { bad "slow: the first-event threshold did not break"; cat "$dir/slow.out"; }

# regression: the fast run is the baseline of this commit; the slow one is checked against it
git init -q "$dir/repo"
git -C "$dir/repo" -c user.name=t -c user.email=t@t commit -q --allow-empty -m base
(cd "$dir/repo" && "$bin" run "$dir/loose.json" -o "$dir/base.json" --quiet >/dev/null 2>&1)
# marked as having seen every core busy: the machine's load cannot veto the check
python3 "$here/busy_baseline.py" "$dir/base.json"
"$bin" baseline record "$dir/base.json" --repo "$dir/repo" --baselines "$dir/bl" >/dev/null ||
  bad "baseline record"
"$bin" check "$dir/loose.json" --target "$slow" --repo "$dir/repo" --baselines "$dir/bl" --base HEAD \
  --json "$dir/verdict.json" --markdown "$dir/pr.md" --quiet >"$dir/check.out" 2>&1
rc=$?
[ $rc -eq 1 ] || { bad "check slow vs fast baseline: exit $rc, want 1"; cat "$dir/check.out"; }
python3 - "$dir/verdict.json" <<'PY' || fail=1
import json, sys
b = json.load(open(sys.argv[1]))["budgets"][0]
m = {c["metric"]: c for c in b["comparison"]["metrics"]}
c = m.get("sse_time_to_first_event p95")
if not c or c["verdict"] != "fail":
    sys.exit("FAIL: no failed comparison of sse_time_to_first_event p95: %r" % sorted(m))
e = m.get("sse_events_per_second p50")
if not e or e.get("direction") != "higher_is_better":
    sys.exit("FAIL: events per second not compared, or compared as if lower were better")
PY
grep -q "Streams (Server-Sent Events)" "$dir/pr.md" || bad "markdown has no streams table"
[ $fail -eq 0 ] && echo "sse: gates on time to first event (holds fast, breaks with --delay 40), regression found against the fast baseline"
exit $fail
