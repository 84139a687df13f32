#!/usr/bin/env bash
# The gate end to end: a repository with a baseline on main and a branch;
# `check` passes against the unchanged server, fails against one 2.5 times
# slower and names the regressed metric; `compare` without a baseline still gates
# thresholds and reports regressions as skipped; exit codes per docs/design.md.
# Servers on 127.0.0.1, runs of 3 s. (The test builds its repository with
# the git command; perfgate itself reads it with libgit2.)
set -u
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
# (not in $(...): a server started in a subshell escapes the cleanup)
serve() { # serve DELAY_MS -> sets $url
  "$bin" serve --listen 127.0.0.1:0 --delay "$1" --jitter 0.1 --quiet >"$dir/serve.$1" 2>&1 &
  pids+=($!)
  for _ in $(seq 50); do grep -q listening "$dir/serve.$1" && break; sleep 0.1; done
  url=$(sed -n 's/^listening on //p' "$dir/serve.$1")
}
serve 2
fast=$url
serve 5
slow=$url
fail=0
check() { # check NAME EXPECTED_EXIT PATTERN -- CMD...
  local name=$1 want=$2 pattern=$3
  shift 4
  out=$("$@" 2>&1)
  rc=$?
  if [ $rc -ne "$want" ] || ! grep -Eq -- "$pattern" <<<"$out"; then
    echo "FAIL $name: exit $rc (want $want), pattern '$pattern'"
    echo "$out" | tail -15
    fail=1
  else
    echo "ok   $name"
  fi
}
cd "$dir"
git init -q -b main . && git config user.email ci@example.invalid && git config user.name ci
cat >b.json <<JSON
{ "name": "api", "target": "$fast",
  "load": { "executor": "constant-arrival-rate", "rate": 200, "duration": "3s", "warmup": "300ms", "max_connections": 16 },
  "trials": 6, "scenarios": [ { "name": "s", "requests": [ { "path": "/" } ] } ],
  "thresholds": { "http_req_duration": ["p(95)<100ms"], "http_req_duration{scenario:s}": ["p(90)<100ms"] },
  "regression": { "metrics": ["p50", "p95", "rps"], "min_effect": "25%" } }
JSON
# min_effect 25%: the baseline and the checks run seconds apart while ctest
# runs other load tests beside them, and a stored baseline cannot tell that
# from the code (a CI run saw the unchanged server +9.6% at p50 and +16% at
# p95, every interval above 5%); the slow server is about +120% at p50
git add b.json && git commit -qm "budget"
check "compare without baseline" 0 "SKIPPED +regression checks: no baseline" -- bash -c "'$bin' run b.json -q -o r.json >/dev/null && '$bin' compare r.json --base main"
# the baseline saw every core busy: what this machine does meanwhile cannot
# make the checks below "noisy" (tests/cli/comparable.sh tests that veto)
python3 "$here/busy_baseline.py" r.json
check "record" 0 "recorded baselines/[0-9a-f]{40}.json" -- "$bin" baseline record r.json
git checkout -qb feature && echo change >f && git add f && git commit -qm "change"
check "find" 0 "^[0-9a-f]{40} 0 baselines/" -- "$bin" baseline find --base main
check "unchanged passes" 0 "(PASSED|INCONCLUSIVE)( \\([^)]*\\))?: 0 thresholds broken, 0 regressions" -- "$bin" check b.json -q --base main
check "slower fails" 1 "FAIL +p50 .*\\+[0-9.]+% +\\[\\+" -- env GITHUB_ACTIONS=true GITHUB_STEP_SUMMARY="$dir/summary.md" GITHUB_OUTPUT="$dir/out.txt" "$bin" check b.json -q --base main --target "$slow" --json v.json --junit j.xml --markdown m.md --html r.html
# every report of the failing check, and GitHub's files since its variables were set
head -1 m.md | grep -q "perfgate: regression" || { echo "FAIL: markdown verdict line"; head -3 m.md; fail=1; }
grep -q "<!-- perfgate -->" summary.md || { echo "FAIL: job summary"; fail=1; }
grep -q "^fail$" out.txt && grep -q "^j.xml$" out.txt || { echo "FAIL: step outputs"; cat out.txt; fail=1; }
grep -q 'type="PerformanceRegression"' j.xml || { echo "FAIL: JUnit failure"; fail=1; }
grep -q "<svg" r.html || { echo "FAIL: HTML charts"; fail=1; }
# report renders the same reports again from the verdict JSON, without running
check "report from the verdict" 0 "" -- "$bin" report v.json --markdown m2.md --junit j2.xml --html r2.html
cmp -s m.md m2.md && cmp -s j.xml j2.xml && cmp -s r.html r2.html || { echo "FAIL: report differs from check's reports"; fail=1; }
check "report from plain results" 0 "baseline: " -- "$bin" report r.json --base main --markdown m3.md
head -1 m3.md | grep -q "perfgate:" || { echo "FAIL: report of plain results"; fail=1; }
grep -Eq '"verdict":[[:space:]]*"fail"' v.json || { echo "FAIL: verdict JSON"; fail=1; }
grep -Eq '"comparison"' v.json || { echo "FAIL: comparison in JSON"; fail=1; }
# the metric a threshold names is compared too
grep -Eq '"metric":[[:space:]]*"http_req_duration\{scenario:s\} p90"' v.json || { echo "FAIL: threshold series not compared"; fail=1; }
check "bad results file" 2 "not a perfgate results file" -- bash -c "echo '{}' > x.json && '$bin' compare x.json"
check "unknown base" 0 "no baseline: --base nope" -- "$bin" compare r.json --base nope
check "not a repository" 3 "cannot open the git repository" -- "$bin" compare r.json --repo /
[ $fail -eq 0 ] && echo "gate end to end: ok"
exit $fail
