#!/usr/bin/env bash
# tests/cli/capacity.sh PERFGATE — the breaking-point executor against
# perfgate serve with 16 connections: a service time of 20 ms can serve at
# most 800 requests/s through them, 40 ms at most 400, so the capacity found
# must move with --delay (and not above those limits). The fast run is the
# baseline; `compare` of the slow server finds capacity_rps regressed (or,
# on a machine loaded enough to break a fast staircase early, significantly
# lower but undecided), and every report names the capacity. A step breaks
# at p(95) 200 ms, 10 and 5 times the service times (at 80 ms, one run
# beside busy loops broke a fast staircase at 100/s).
set -u
bin=$(realpath "$1")
. "$(dirname "$0")/lib.sh"
start fast "$bin" serve --listen 127.0.0.1:0 --quiet --delay 20
fast=$url
start slow "$bin" serve --listen 127.0.0.1:0 --quiet --delay 40
slow=$url
cat >"$dir/capacity.json" <<JSON
{ "name": "capacity", "target": "$fast",
  "load": { "executor": "breaking-point", "start": 100, "step": 100, "max": 1200,
            "step_duration": "500ms", "warmup": "200ms", "max_connections": 16 },
  "trials": 5,
  "regression": { "alpha": 0.05 },
  "thresholds": { "http_req_duration": ["p(95)<200ms"], "capacity_rps": ["med>=200"] },
  "scenarios": [ { "name": "s", "requests": [ { "path": "/" } ] } ] }
JSON
"$bin" run "$dir/capacity.json" --dry-run >"$dir/plan.out" 2>&1 ||
  bad "dry run: $(cat "$dir/plan.out")"
grep -q "breaking-point: 100 iterations/s, up by 100 every 500.0ms to at most 1200" "$dir/plan.out" ||
  bad "the plan does not describe the staircase"

"$bin" run "$dir/capacity.json" -o "$dir/fast.json" >"$dir/fast.out" 2>&1
rc=$?
[ $rc -eq 0 ] || { bad "fast: exit $rc, want 0"; cat "$dir/fast.out"; }
grep -q "capacity step 100/s: .*: held" "$dir/fast.out" || bad "no step lines on stderr"
grep -q "^  capacity [0-9]*/s (median of 5 staircases)" "$dir/fast.out" || bad "no capacity line"
"$bin" run "$dir/capacity.json" --target "$slow" -o "$dir/slow.json" --quiet >"$dir/slow.out" 2>&1 ||
  { bad "slow: exit $?"; cat "$dir/slow.out"; }
python3 - "$dir/fast.json" "$dir/slow.json" <<'PY' || fail=1
import json, sys
def capacity(path):
    b = json.load(open(path))["budgets"][0]
    caps = [t["capacity_rps"] for t in b["trials"]]
    for t in b["trials"]:
        steps = t["steps"]
        held = [s for s in steps if s["held"]]
        # the staircase climbs from start by step and stops at its first broken step
        if [s["rate"] for s in steps] != [100.0 * (i + 1) for i in range(len(steps))]:
            sys.exit("FAIL: %s: steps %r" % (path, [s["rate"] for s in steps]))
        if steps[-1]["held"] or any(not s["held"] for s in steps[:-1]):
            sys.exit("FAIL: %s: a staircase must stop at its first broken step" % path)
        if t["capacity_rps"] != (held[-1]["rate"] if held else 0):
            sys.exit("FAIL: %s: capacity is not the last step that held" % path)
        if not steps[-1].get("broke"):
            sys.exit("FAIL: %s: the broken step does not say why" % path)
        # the trial holds the capacity step's measurements
        if abs(t["rps"] - t["capacity_rps"]) > 0.1 * t["capacity_rps"]:
            sys.exit("FAIL: %s: trial rps %.1f at capacity %g" % (path, t["rps"], t["capacity_rps"]))
    return sorted(caps)[len(caps) // 2]
fast, slow = capacity(sys.argv[1]), capacity(sys.argv[2])
print("capacity: %g/s at 20 ms, %g/s at 40 ms" % (fast, slow))
if not (500 <= fast <= 800):
    sys.exit("FAIL: at 20 ms through 16 connections the capacity must be 500..800/s, not %g" % fast)
if not (200 <= slow <= 400):
    sys.exit("FAIL: at 40 ms through 16 connections the capacity must be 200..400/s, not %g" % slow)
if fast < 1.5 * slow:
    sys.exit("FAIL: the capacity did not move with the service time (%g vs %g)" % (fast, slow))
PY

# a regression in capacity is a regression. alpha 0.05: a staircase's
# capacity is a step of 100, so trials tie, and on a busy machine a fast
# trial can break early; at 0.01, a tie or two among the 25 pairs
# (p = 0.012) left it undecided once in CI, at 0.05 four pairs may be out
# of order (exact p of 5 against 5 with U = 4: 12/252 = 0.048)
git init -q "$dir/repo"
git -C "$dir/repo" -c user.name=t -c user.email=t@t commit -q --allow-empty -m base
# (measured outside that repository: stored under its HEAD on purpose; marked
# as having seen every core busy, so the machine's load beside this test
# cannot make the comparison "noisy")
python3 "$here/busy_baseline.py" "$dir/fast.json"
"$bin" baseline record "$dir/fast.json" --repo "$dir/repo" --baselines "$dir/bl" --commit HEAD \
  --force >/dev/null ||
  bad "baseline record"
"$bin" compare "$dir/slow.json" --repo "$dir/repo" --baselines "$dir/bl" --base HEAD \
  --json "$dir/verdict.json" --markdown "$dir/pr.md" --junit "$dir/junit.xml" \
  --html "$dir/report.html" >"$dir/compare.out" 2>&1
rc=$?
python3 - "$dir/verdict.json" "$rc" <<'PY' || { fail=1; cat "$dir/compare.out"; }
import json, sys
b = json.load(open(sys.argv[1]))["budgets"][0]
m = {c["metric"]: c for c in b["comparison"]["metrics"]}
c = m.get("capacity_rps")
if not c or c.get("direction") != "higher_is_better" or c["change"] >= 0.9:
    sys.exit("FAIL: capacity_rps not compared as lower is worse, or not lower: %r" % c)
# FAIL (exit 1). With busy loops and other tests on both cores a fast
# trial's staircase can break early (measured: 3 of 6 runs, three at once
# beside two busy loops), and with 5 trials the median's interval then
# reaches back over the 10% min_effect: significant but INCONCLUSIVE (exit
# 0) is the truthful verdict there; a PASS never is.
want = {"fail": 1, "inconclusive": 0}
if c["verdict"] not in want or (c["verdict"] == "inconclusive" and c["p_adjusted"] >= c["alpha"]):
    sys.exit("FAIL: capacity_rps %s (p %.3g): want fail, or a significant inconclusive" %
             (c["verdict"], c["p_adjusted"]))
if int(sys.argv[2]) != want[c["verdict"]]:
    sys.exit("FAIL: compare exited %s on a capacity_rps %s" % (sys.argv[2], c["verdict"]))
PY
grep -q "Capacity: [0-9]* requests/s" "$dir/pr.md" || bad "markdown has no capacity line"
grep -q "Staircase of trial 1" "$dir/pr.md" || bad "markdown has no staircase table"
grep -q 'name="capacity_rps"' "$dir/junit.xml" || bad "JUnit has no capacity_rps property"
grep -q "Latency against offered load" "$dir/report.html" || bad "HTML has no staircase chart"

"$bin" run "$dir/capacity.json" --shard 1/2 --quiet >"$dir/shard.out" 2>&1
rc=$?
[ $rc -eq 2 ] && grep -q "cannot be sharded" "$dir/shard.out" ||
  { bad "--shard on breaking-point: exit $rc, want 2 with a reason"; cat "$dir/shard.out"; }
[ $fail -eq 0 ] && echo "capacity: moves with the service time, regression found against the fast baseline"
exit $fail
