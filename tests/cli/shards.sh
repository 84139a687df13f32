#!/usr/bin/env bash
# tests/cli/shards.sh PERFGATE — four shards of one load, run at once on this
# machine against perfgate serve, merged: the merged totals are the sums of
# the parts, the rate is the budget's (each shard ran a quarter of it), and
# the merged result compares with a single run's baseline like a single run.
# (The server's 4-5 ms service time dominates latency, so four processes on
# two cores cost little; at 1 ms they measured 16% slower than one process,
# a real difference of the machine, not of the merge. min_effect is 30%:
# the baseline and the shards run seconds apart while ctest runs other load
# tests beside them; a CI run saw p95 +16% [+14%, +27.5%] with 10%.)
# Shards that do not go together are refused.
set -u
bin=$(realpath "$1")
. "$(dirname "$0")/lib.sh"
start serve "$bin" serve --listen 127.0.0.1:0 --quiet
target=$url
cat >"$dir/b.json" <<JSON
{ "name": "sharded", "target": "$target",
  "load": { "executor": "constant-arrival-rate", "rate": 400, "duration": "3s" },
  "trials": 6,
  "regression": { "metrics": ["p50", "p95", "rps", "error_rate"], "min_effect": "30%" },
  "thresholds": { "http_req_duration": ["p(95)<200ms"], "http_reqs": ["rate>300"] },
  "scenarios": [ { "name": "a", "weight": 3, "requests": [ { "path": "/delay/5" } ] },
                 { "name": "b", "weight": 1, "requests": [ { "path": "/delay/4" } ] } ] }
JSON
git init -q "$dir/repo"
git -C "$dir/repo" -c user.name=t -c user.email=t@t commit -q --allow-empty -m base

# the baseline: one unsharded run
(cd "$dir/repo" && "$bin" run "$dir/b.json" -o "$dir/single.json" --quiet >/dev/null 2>&1) || bad "single run"
(cd "$dir/repo" && "$bin" baseline record "$dir/single.json" --baselines "$dir/bl" >/dev/null) || bad "record"
# four shards at once, one thread each (wait for them, not for the server)
shards=()
for i in 1 2 3 4; do
  (cd "$dir/repo" && "$bin" run "$dir/b.json" --shard "$i/4" --threads 1 -o "$dir/s$i.json" --quiet \
    >"$dir/s$i.out" 2>&1) &
  shards+=($!)
done
wait "${shards[@]}"
"$bin" merge "$dir"/s{1,2,3,4}.json -o "$dir/merged.json" --quiet >"$dir/merge.out" 2>&1
rc=$?
[ $rc -eq 0 ] || { bad "merge exit $rc"; cat "$dir/merge.out"; }
python3 - "$dir" <<'PY' || fail=1
import json, sys
d = sys.argv[1]
shards = [json.load(open("%s/s%d.json" % (d, i)))["budgets"][0] for i in range(1, 5)]
m = json.load(open(d + "/merged.json"))
b = m["budgets"][0]
if m.get("merged_shards") != 4:
    sys.exit("FAIL: merged_shards %r" % m.get("merged_shards"))
for t in range(6):
    mt = b["trials"][t]
    for key in ("requests", "errors", "dropped", "iterations", "bytes_in", "bytes_out"):
        want = sum(s["trials"][t][key] for s in shards)
        if mt[key] != want:
            sys.exit("FAIL: trial %d %s %d, the shards add up to %d" % (t, key, mt[key], want))
    for sc in ("a", "b"):
        want = sum(s["trials"][t]["scenarios"][sc]["count"] for s in shards)
        if mt["scenarios"][sc]["count"] != want:
            sys.exit("FAIL: trial %d scenario %s count" % (t, sc))
# each shard ran a quarter of the rate; together they ran the budget's
rate = b["summary"]["rps"]
if not 360 <= rate <= 440:
    sys.exit("FAIL: merged rate %.1f/s, want about 400" % rate)
for s in shards:
    if not 80 <= s["summary"]["rps"] <= 120:
        sys.exit("FAIL: a shard ran %.1f/s, want about 100" % s["summary"]["rps"])
checks = {c["metric"]: c["verdict"] for c in b["checks"]}
if checks.get("http_reqs") != "pass":
    sys.exit("FAIL: the merged rate threshold (rate>300) was not judged on the merged data: %r" % checks)
PY
# compared with the single run's baseline: no regression, as a single run would
(cd "$dir/repo" && "$bin" compare "$dir/merged.json" --baselines "$dir/bl" --base HEAD \
  --json "$dir/verdict.json" >"$dir/compare.out" 2>&1)
rc=$?
[ $rc -eq 0 ] || { bad "compare merged vs single baseline: exit $rc"; cat "$dir/compare.out"; }
python3 - "$dir/verdict.json" <<'PY' || fail=1
import json, sys
d = json.load(open(sys.argv[1]))
cmp = d["budgets"][0]["comparison"]["metrics"]
if len(cmp) < 4 or not d.get("baseline", {}).get("commit"):
    sys.exit("FAIL: the merged run was not compared with the baseline: %r" % d.get("baseline"))
bad = [c["metric"] for c in cmp if c["verdict"] == "fail"]
if bad:
    sys.exit("FAIL: the merged run was judged a regression on %s" % bad)
PY
# refusals
"$bin" merge "$dir"/s{1,2,3}.json -o "$dir/x.json" >"$dir/missing.out" 2>&1
[ $? -eq 2 ] && grep -q "3 of 4 shards given; missing 4/4" "$dir/missing.out" || { bad "3 of 4 shards"; cat "$dir/missing.out"; }
"$bin" merge "$dir"/s1.json "$dir/single.json" "$dir"/s3.json "$dir"/s4.json -o "$dir/x.json" >"$dir/single.out" 2>&1
[ $? -eq 2 ] && grep -q "single.json: is not the result of a shard" "$dir/single.out" || { bad "unsharded file"; cat "$dir/single.out"; }
[ -e "$dir/x.json" ] && bad "a refused merge wrote its output"
[ $fail -eq 0 ] && echo "shards: 4 shards merged add up exactly, rate $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["budgets"][0]["summary"]["rps"])' "$dir/merged.json")/s, compare passes like a single run; missing and unsharded files refused"
exit $fail
