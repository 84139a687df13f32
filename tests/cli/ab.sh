#!/usr/bin/env bash
# tests/cli/ab.sh PERFGATE — B against A on one machine, end to end: two
# `perfgate serve` instances, A answering after 5 ms and B after 9 ms (80%
# slower: a margin that busy loops on every core beside the test do not
# hide, since the duet puts the same noise on both sides).
#   - ab (duet, the default) finds the regression: exit 1, the reports name
#     the schedule and head the sides with --a-name/--b-name
#   - ab --schedule alternate finds it too
#   - A against itself does not fail
#   - check --base-target is ab with A = base, B = the budget's target, and
#     writes the reports check writes
#   - refusals: a bad schedule, too few trials for the paired test, a
#     breaking-point budget, --schedule without --base-target (exit 2 with
#     the reason)
#   - a ramp compares too: each of its trials runs the whole profile
#   - two pools of 300 virtual users under a soft open-file limit of 400:
#     the limit is raised for both sides, no request fails
#   - the service's CPU time: B burning 1.5 ms of CPU per request against
#     A's 1 ms FAILs on service_cpu by about +50% (each side's process is
#     found through its port; CPU time charged to a process does not move
#     with busy loops beside it), and every trial of both sides carries it,
#     with the service's run-queue wait beside it
set -u
bin=$(realpath "$1")
. "$(dirname "$0")/lib.sh"
start a "$bin" serve --listen 127.0.0.1:0 --quiet --delay 5
a=$url
start b "$bin" serve --listen 127.0.0.1:0 --quiet --delay 9
b=$url
cat >"$dir/ab.json" <<JSON
{ "name": "pair", "target": "$b",
  "load": { "executor": "constant-arrival-rate", "rate": 100, "duration": "3s", "warmup": "300ms",
            "max_connections": 32 },
  "trials": 6, "scenarios": [ { "name": "s", "requests": [ { "path": "/" } ] } ],
  "thresholds": { "http_req_failed": ["rate<0.01"] },
  "regression": { "metrics": ["p50", "rps"], "min_effect": "10%" } }
JSON

"$bin" ab "$dir/ab.json" --a "$a" --b "$b" --a-name base --b-name head \
  --json "$dir/duet.json" --markdown "$dir/duet.md" --junit "$dir/duet.xml" >"$dir/duet.out" 2>&1
rc=$?
[ $rc -eq 1 ] || { bad "duet A/B: exit $rc, want 1"; cat "$dir/duet.out"; }
grep -q "FAIL  *p50 " "$dir/duet.out" || { bad "duet A/B: p50 not FAIL"; cat "$dir/duet.out"; }
grep -q "duet schedule, 6 trials each" "$dir/duet.out" || bad "duet A/B: the console does not name the schedule"
grep -q "verdict  *metric  *base  *head " "$dir/duet.out" || bad "duet A/B: the columns are not headed base and head"
grep -q "^| metric | base | head | change" "$dir/duet.md" || bad "duet A/B: the markdown table is not headed base and head"
grep -q "p50 +[0-9.]*% \[CI .*\] p=[0-9.]* vs base" "$dir/duet.xml" || bad "duet A/B: the JUnit message does not say vs base"
python3 - "$dir/duet.json" <<'PY' || fail=1
import json, sys
d = json.load(open(sys.argv[1]))
bl = d["baseline"]
want = {"schedule": "duet", "a_name": "base", "b_name": "head"}
for k, v in want.items():
    if bl.get(k) != v:
        sys.exit("FAIL: baseline.%s is %r, want %r" % (k, bl.get(k), v))
b = d["budgets"][0]
if len(b["trials"]) != 6:
    sys.exit("FAIL: %d trials of B, want 6" % len(b["trials"]))
m = {x["metric"]: x for x in b["comparison"]["metrics"]}
if m["p50"]["verdict"] != "fail" or not m["p50"]["change"] > 1.3:
    sys.exit("FAIL: p50 %r" % m["p50"])
# the open model sends both sides the same schedule: no throughput change
if m["rps"]["verdict"] == "fail":
    sys.exit("FAIL: rps failed at a fixed arrival rate: %r" % m["rps"])
if not b["trials"][0].get("timeline"):
    sys.exit("FAIL: B's timeline is missing")
PY

"$bin" ab "$dir/ab.json" --a "$a" --b "$b" --schedule alternate --seed 5 >"$dir/alt.out" 2>&1
rc=$?
[ $rc -eq 1 ] || { bad "alternate A/B: exit $rc, want 1"; cat "$dir/alt.out"; }
grep -q "alternate schedule, 6 trials each" "$dir/alt.out" || bad "alternate: the console does not name the schedule"

"$bin" ab "$dir/ab.json" --a "$a" --b "$a" -q >"$dir/aa.out" 2>&1
rc=$?
[ $rc -eq 0 ] || { bad "duet A/A: exit $rc, want 0"; cat "$dir/aa.out"; }

"$bin" check "$dir/ab.json" --base-target "$a" --markdown "$dir/check.md" --junit "$dir/check.xml" \
  -q >"$dir/check.out" 2>&1
rc=$?
[ $rc -eq 1 ] || { bad "check --base-target: exit $rc, want 1"; cat "$dir/check.out"; }
grep -q "^| metric | base | head | change" "$dir/check.md" || bad "check --base-target: no base/head markdown"
[ -s "$dir/check.xml" ] || bad "check --base-target: no JUnit file"
grep -q "base = $a, head = $b, duet schedule" "$dir/check.out" ||
  { bad "check --base-target: the sides are not described"; cat "$dir/check.out"; }

refuse() { # refuse WANT_TEXT ARGS...
  local want=$1 out rc
  shift
  out=$("$bin" "$@" 2>&1)
  rc=$?
  [ $rc -eq 2 ] || bad "$*: exit $rc, want 2 ($out)"
  case "$out" in *"$want"*) ;; *) bad "$*: says '$out', want '$want'" ;; esac
}
refuse "--schedule takes duet or alternate" ab "$dir/ab.json" --a "$a" --b "$b" --schedule both
refuse "the paired test of an A/B comparison needs 3" ab "$dir/ab.json" --a "$a" --b "$b" --trials 2
refuse "go with --base-target" check "$dir/ab.json" --schedule alternate
refuse "takes an http:// or https:// URL" check "$dir/ab.json" --base-target "ftp://x"
cat >"$dir/capacity.json" <<JSON
{ "name": "cap", "target": "$b",
  "load": { "executor": "breaking-point", "start": 100, "step": 100, "max": 300,
            "step_duration": "500ms" },
  "trials": 6, "scenarios": [ { "name": "s", "requests": [ { "path": "/" } ] } ] }
JSON
refuse "compared by its capacity_rps" ab "$dir/capacity.json" --a "$a" --b "$b"
# HTTP/2 without TLS on a side: refused where libcurl fails every request on
# a reused h2c connection (before 8.0.0), as a budget's own target is
sed 's|"target": "[^"]*"|"target": "https://127.0.0.1:9"|; s|"load": {|"load": { "http": "2", "insecure": true,|' \
  "$dir/ab.json" >"$dir/h2.json"
if [ "$(pkg-config --modversion libcurl | cut -d. -f1)" -lt 8 ]; then
  refuse "side A ($a): \"http\": \"2\" on an http:// target (HTTP/2 without TLS)" \
    ab "$dir/h2.json" --a "$a" --b "$b"
fi

# a ramp compares too: each trial runs the whole profile, both sides at once
sed 's/"executor": "constant-arrival-rate", "rate": 100, "duration": "3s"/"executor": "ramping-arrival-rate", "start_rate": 20, "stages": [{"duration": "1s", "target": 100}]/; s/"trials": 6/"trials": 4/' \
  "$dir/ab.json" >"$dir/ramp.json"
"$bin" ab "$dir/ramp.json" --a "$a" --b "$b" --json "$dir/ramp-v.json" >"$dir/ramp.out" 2>&1
rc=$?
[ $rc -eq 1 ] || { bad "ramp A/B: exit $rc, want 1"; cat "$dir/ramp.out"; }
grep -q "duet schedule, 4 trials each" "$dir/ramp.out" || bad "ramp: not 4 trials a side"
python3 - "$dir/ramp-v.json" <<'PY' || fail=1
import json, sys
b = json.load(open(sys.argv[1]))["budgets"][0]
# every trial is the whole profile (1 s), not a quarter of it
for i, t in enumerate(b["trials"]):
    if not 0.9 <= t["duration_s"] <= 1.2:
        sys.exit("FAIL: ramp trial %d lasted %.2f s, want the whole 1 s profile" % (i, t["duration_s"]))
PY

# both sides' connections are one process's open files: with a soft limit
# of 400, two pools of 300 virtual users need the limit raised for both
start slow "$bin" serve --listen 127.0.0.1:0 --quiet --delay 50
cat >"$dir/vus.json" <<JSON
{ "name": "vus", "target": "$url",
  "load": { "executor": "constant-vus", "vus": 300, "duration": "1500ms" },
  "trials": 3, "scenarios": [ { "name": "s", "requests": [ { "path": "/" } ] } ],
  "regression": { "metrics": ["p50"] } }
JSON
(ulimit -Sn 400 && "$bin" ab "$dir/vus.json" --a "$url" --b "$url" --json "$dir/vus-v.json" -q) \
  >"$dir/vus.out" 2>&1 || { bad "300 VUs a side under ulimit -n 400: exit $?"; cat "$dir/vus.out"; }
python3 - "$dir/vus-v.json" <<'PY' || fail=1
import json, sys
b = json.load(open(sys.argv[1]))["budgets"][0]
errors = sum(t["errors"] for t in b["trials"])
if errors:
    sys.exit("FAIL: side B failed %d requests for want of open files: %r" % (errors, b.get("error_examples")))
PY

# a CPU-bound B: the processes' own CPU time per answer tells it
start cpu1 "$bin" serve --listen 127.0.0.1:0 --quiet --cpu 1
cpu1=$url
start cpu15 "$bin" serve --listen 127.0.0.1:0 --quiet --cpu 1.5
cpu15=$url
sed 's/"metrics": \["p50", "rps"\]/"metrics": ["service_cpu"]/' "$dir/ab.json" >"$dir/cpu.json"
"$bin" ab "$dir/cpu.json" --a "$cpu1" --b "$cpu15" --json "$dir/cpu-v.json" >"$dir/cpu.out" 2>&1
rc=$?
[ $rc -eq 1 ] || { bad "CPU-bound A/B: exit $rc, want 1"; cat "$dir/cpu.out"; }
grep -q "FAIL  *service_cpu " "$dir/cpu.out" || { bad "CPU-bound A/B: service_cpu not FAIL"; cat "$dir/cpu.out"; }
python3 - "$dir/cpu-v.json" <<'PY' || fail=1
import json, sys
d = json.load(open(sys.argv[1]))
b = d["budgets"][0]
m = {x["metric"]: x for x in b["comparison"]["metrics"]}["service_cpu"]
# 1.5 ms against 1 ms of burning, plus the server's own few microseconds
if m["verdict"] != "fail" or not 1.3 < m["change"] < 1.6:
    sys.exit("FAIL: service_cpu %r, want a FAIL near +50%%" % m)
if not all(1400 < t.get("service_cpu_us", 0) < 1800 for t in b["trials"]):
    sys.exit("FAIL: B's trials' service_cpu_us %r, want about 1,500 us each" %
             [t.get("service_cpu_us") for t in b["trials"]])
# beside it, how long the service's threads waited for a CPU: a number in
# every trial (how large depends on what else this machine runs)
if not all(isinstance(t.get("service_wait_us"), (int, float)) and t["service_wait_us"] > 0
           for t in b["trials"]):
    sys.exit("FAIL: B's trials' service_wait_us %r, want a wait in each" %
             [t.get("service_wait_us") for t in b["trials"]])
PY

[ $fail -eq 0 ] && echo "ab: all passed"
exit $fail
