#!/usr/bin/env bash
# tests/cli/comparable.sh PERFGATE — stored baselines that know when they are
# not comparable (issue "Stored baselines that know when they are not
# comparable"). A repository whose baseline was recorded from a real run;
# then, against it:
#   - a budget whose rate changed, or a --duration that changed the trials,
#     is "not comparable": INCONCLUSIVE naming what changed, FAIL with
#     --strict, thresholds still gate, every report says it;
#   - a run 10 times slower FAILs (a margin no machine noise reaches); the
#     same run whose trials other processes disturbed (per-trial other_cpu,
#     edited into the file so the test does not depend on this machine's
#     load) is "noisy": INCONCLUSIVE, error rate still decided; steal and a
#     saturated generator likewise;
#   - another --testbed is a note, not a veto;
#   - the monitor sees a busy loop beside the run as other processes' CPU;
#   - --trials, --target and --duration go through the budget file's checks
#     (check refuses trials that cannot reach alpha, run warns);
#   - baseline record stores results under the commit they measured,
#     prune --keep 0 is refused, --require-baseline exits 3 without one.
set -u
bin=$(realpath "$1")
. "$(dirname "$0")/lib.sh"
start fast "$bin" serve --listen 127.0.0.1:0 --quiet --delay 2
fast=$url
start slow "$bin" serve --listen 127.0.0.1:0 --quiet --delay 20
slow=$url
cd "$dir"
git init -q -b main . && git config user.email ci@example.invalid && git config user.name ci
budget() { # budget FILE RATE
  cat >"$1" <<JSON
{ "name": "api", "target": "$fast",
  "load": { "executor": "constant-arrival-rate", "rate": $2, "duration": "3s", "warmup": "300ms",
            "max_connections": 16 },
  "trials": 6, "scenarios": [ { "name": "s", "requests": [ { "path": "/" } ] } ],
  "thresholds": { "http_req_duration": ["p(95)<1s"] },
  "regression": { "metrics": ["p50", "error_rate"], "min_effect": "5%" } }
JSON
}
budget b.json 100
git add b.json && git commit -qm budget
"$bin" run b.json -q -o base.json >/dev/null 2>&1 || bad "the baseline run failed"
"$bin" baseline record base.json >/dev/null || bad "baseline record failed"
baseline=$(ls baselines/*.json)

# not comparable: the rate changed
budget b80.json 80
"$bin" run b80.json -q -o r80.json >/dev/null 2>&1
expect "rate changed" 0 "NOT DECIDED  not comparable: .*load.rate 100 -> 80" -- \
  "$bin" compare r80.json --base main --markdown m80.md --junit j80.xml --json v80.json
expect "rate changed, --strict" 1 "could not decide" -- "$bin" compare r80.json --base main --strict
head -1 m80.md | grep -q "perfgate: could not decide" || bad "markdown headline: $(head -1 m80.md)"
grep -q "The gate could not decide:" m80.md || bad "markdown has no could-not-decide warning"
grep -q "inconclusive: not comparable" j80.xml || bad "JUnit does not say not comparable"
grep -q '"veto"' v80.json || bad "the verdict JSON has no veto"
# not comparable: --duration changed each trial's length
"$bin" run b.json --duration 6s -q -o r6.json >/dev/null 2>&1
expect "duration changed" 0 "not comparable: .*duration_us 3000000 -> 6000000" -- "$bin" compare r6.json --base main
# the monitor's readings of the baseline and of the runs below are set by
# the test (edit), so what this machine does meanwhile cannot decide them
edit() { # edit IN OUT OTHER_CPU STEAL SATURATED: sets every trial's monitor means
  python3 - "$@" <<'PY'
import json, sys
src, dst, other, steal, sat = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), sys.argv[5] == "1"
d = json.load(open(src))
d["env"]["cores"] = 2
for b in d["budgets"]:
    b["generator_saturated"] = sat
    if sat:  # all the CPU of its threads: the generator was the limit
        b["generator_cpu_percent"] = 95.0 * b.get("threads", 1)
    for i, t in enumerate(b["trials"]):
        m = t.setdefault("monitor", {})
        m["other_cpu"] = {"mean": other if i > 0 else 5.0}
        m["cpu_steal"] = {"mean": steal}
json.dump(d, open(dst, "w"))
PY
}
edit "$baseline" "$baseline" 10 0 0
# the same budget is comparable, and a slower target is found
"$bin" run b.json --target "$slow" -q -o slow.json >/dev/null 2>&1
edit slow.json slow.json 5 0 0
expect "slower fails" 1 "FAIL +p50 " -- "$bin" compare slow.json --base main

# noisy: the same slow run, its trials disturbed by other processes (1.7 of
# 2 cores in 5 of 6 trials; the baseline's trials saw 0.1)
edit slow.json noisy.json 170 0 0
expect "noisy" 0 "NOT DECIDED  noisy machine: other processes used up to 1.7 of 2 cores during 5 of 6 trials" -- \
  "$bin" compare noisy.json --base main
expect "noisy keeps error rate" 0 "PASS +error_rate" -- "$bin" compare noisy.json --base main
expect "noisy, --strict" 1 "could not decide" -- "$bin" compare noisy.json --base main --strict
edit slow.json calm.json 30 0 0
expect "a little other CPU is not noise" 1 "FAIL +p50 " -- "$bin" compare calm.json --base main
edit slow.json stolen.json 5 25 0
expect "steal" 0 "noisy machine: the hypervisor took" -- "$bin" compare stolen.json --base main
edit slow.json saturated.json 5 0 1
expect "saturated" 0 "perfgate used all the CPU of its threads" -- "$bin" compare saturated.json --base main

# another testbed: a note, the comparison still decides
"$bin" run b.json --target "$slow" --testbed small-runner -q -o tb.json >/dev/null 2>&1
edit tb.json tb.json 5 0 0
expect "testbed note" 1 "NOTE +the baseline was measured on another testbed: .*this run small-runner" -- \
  "$bin" compare tb.json --base main

# the monitor sees other processes: a busy loop beside the run gets at least
# half a core whatever else runs (two busy loops and this one share 2 cores)
bash -c 'while :; do :; done' &
loop=$!
on_exit "kill $loop 2>/dev/null"
"$bin" run b.json -q -o busy.json >/dev/null 2>&1
kill $loop
b=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["budgets"][0]["summary"]["monitor"]; print(d.get("other_cpu",{}).get("mean",-1))' busy.json)
python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) >= 50 else 1)" "$b" ||
  bad "other_cpu with a busy loop beside the run is ${b}% of one core: want 50 or more"

# command-line overrides go through the budget file's own checks
expect "check --trials 2" 2 "b.json: --trials \(from the command line\): 2 trials per side can never show a regression" -- \
  "$bin" check b.json --trials 2 --dry-run
expect "run --trials 2 warns" 0 "warning: .*2 trials per side can never show a regression" -- \
  "$bin" run b.json --trials 2 --dry-run
expect "--target with a query" 2 "--target \(from the command line\): \"target\" must not have a query" -- \
  "$bin" check b.json --target "http://127.0.0.1:1/?q=1" --dry-run
expect "--duration too short for the trials" 2 "--trials \(from the command line\): 20 trials of a 1s run leave under 100ms" -- \
  "$bin" run b.json --duration 1s --trials 20 --dry-run

# baseline hygiene: stored under the commit measured
git commit -q --allow-empty -m later
expect "record under another commit" 2 "measured on [0-9a-f]{12}, not on [0-9a-f]{12} .*--force" -- \
  "$bin" baseline record base.json --commit HEAD --baselines other
expect "record under another commit, forced" 0 "recorded other/" -- \
  "$bin" baseline record base.json --commit HEAD --force --baselines other
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d.pop("commit"); json.dump(d, open(sys.argv[2], "w"))' base.json nocommit.json
expect "results without a commit" 2 "name no commit .*--commit REV" -- "$bin" baseline record nocommit.json --baselines other
expect "prune --keep 0" 2 "--keep 0 would remove every baseline" -- "$bin" baseline prune --keep 0 --baselines other
expect "--require-baseline without one" 3 "--require-baseline: no baseline" -- \
  "$bin" compare slow.json --base main --baselines none-here --require-baseline
expect "--require-baseline with one" 1 "FAIL +p50 " -- "$bin" compare slow.json --base main --require-baseline

[ $fail -eq 0 ] && echo "comparable: all passed"
exit $fail
