#!/usr/bin/env bash
# tests/cli/monitor.sh PERFGATE — a run with "monitor" against perfgate
# serve: the target named by its pid file is sampled every 500 ms (CPU, RSS,
# threads, open files), its /metrics (Prometheus text) and /metrics.json are
# scraped, every report shows the target's CPU and memory, thresholds on
# them gate (a too-small RSS limit breaks), and an endpoint that is down is
# a note, not a crash.
set -u
bin=$(realpath "$1")
. "$(dirname "$0")/lib.sh"
start target "$bin" serve --listen 127.0.0.1:0 --quiet --delay 2
echo "${servers[0]}" >"$dir/target.pid"
budget() { # budget FILE RSS_LIMIT
  cat >"$1" <<JSON
{ "name": "monitored", "target": "$url",
  "load": { "executor": "constant-arrival-rate", "rate": 300, "duration": "4s", "warmup": "500ms",
            "max_connections": 16 },
  "trials": 2, "regression": false,
  "monitor": { "pid_file": "$dir/target.pid", "interval": "500ms",
               "scrape": [ { "url": "$url/metrics", "every": "500ms",
                             "gauges": { "serve_conns": "perfgate_serve_connections",
                                         "serve_held": "perfgate_serve_waiting" } },
                           { "url": "$url/metrics.json", "format": "json",
                             "gauges": { "serve_requests": "requests" } },
                           { "url": "http://127.0.0.1:9/metrics", "every": "1s",
                             "gauges": { "nobody": "up" } } ] },
  "thresholds": { "target_cpu": ["max<400"], "target_rss": ["max<$2"], "serve_conns": ["max<=40"],
                  "host_mem": ["max<100"] },
  "scenarios": [ { "name": "s", "requests": [ { "path": "/" } ] } ] }
JSON
}
budget "$dir/ok.json" 1GiB
budget "$dir/tight.json" 1MiB

"$bin" run "$dir/ok.json" --dry-run >"$dir/plan.out" 2>&1 || bad "dry run: $(cat "$dir/plan.out")"
grep -q "target from pid file .* and its children" "$dir/plan.out" || bad "plan: no target line"
grep -q "scrape .*/metrics every 500.0ms (Prometheus text): serve_conns = perfgate_serve_connections" \
  "$dir/plan.out" || bad "plan: no scrape line"

"$bin" run "$dir/ok.json" -o "$dir/ok-results.json" --quiet >"$dir/ok.out" 2>&1
rc=$?
[ $rc -eq 0 ] || { bad "ok: exit $rc, want 0"; cat "$dir/ok.out"; }
grep -q "^  target (pid file .*): CPU (% of one core) avg .*RSS avg .*MiB" "$dir/ok.out" ||
  { bad "console: no target line"; cat "$dir/ok.out"; }
grep -q "^  machine: CPU avg" "$dir/ok.out" || bad "console: no machine line"
grep -q "^  scraped: serve_conns avg" "$dir/ok.out" || bad "console: no scraped line"
grep -q "monitor: .*scrapes of http://127.0.0.1:9/metrics failed" "$dir/ok.out" ||
  bad "console: the endpoint that is down is not noted"
python3 - "$dir/ok-results.json" <<'PY' || fail=1
import json, sys
b = json.load(open(sys.argv[1]))["budgets"][0]
series = b["monitor"]["series"]
for name in ("host_cpu", "host_mem", "perfgate_cpu", "target_cpu", "target_rss",
             "target_threads", "target_fds", "serve_conns", "serve_held", "serve_requests"):
    s = series.get(name)
    # 4 s sampled every 500 ms: about 8 samples, all within the measured time
    if not s or not 5 <= len(s["samples"]) <= 10:
        sys.exit("FAIL: %s: %r" % (name, s and len(s["samples"])))
    if any(not 0 <= t <= 4.5 for t, _ in s["samples"]):
        sys.exit("FAIL: %s sampled outside the measured time" % name)
rss = [v for _, v in series["target_rss"]["samples"]]
if not all(1 << 20 < v < 1 << 30 for v in rss):
    sys.exit("FAIL: target RSS %r" % rss)
if min(v for _, v in series["target_threads"]["samples"]) < 2:
    sys.exit("FAIL: perfgate serve runs more than one thread")
reqs = [v for _, v in series["serve_requests"]["samples"]]
if reqs != sorted(reqs) or reqs[-1] - reqs[0] < 600:
    sys.exit("FAIL: the target's own request counter did not grow with the load: %r" % reqs)
if "nobody" in series:
    sys.exit("FAIL: a gauge of an endpoint that is down has samples")
if "failed" not in b["monitor"].get("note", ""):
    sys.exit("FAIL: no note on the endpoint that is down")
for t in b["trials"]:
    m = t["monitor"]
    if m["target_cpu"]["count"] < 2 or m["target_rss"]["max"] <= 0:
        sys.exit("FAIL: trial summaries %r" % m["target_cpu"])
checks = {c["metric"]: c for c in b["checks"]}
if checks["target_rss"]["verdict"] != "pass" or checks["serve_conns"]["verdict"] != "pass":
    sys.exit("FAIL: %r" % checks)
PY

# a repository of its own, without baselines: the test must not depend on
# being run from a git checkout
git init -q "$dir/repo"
"$bin" report "$dir/ok-results.json" --markdown "$dir/pr.md" --junit "$dir/junit.xml" \
  --html "$dir/report.html" --baselines "$dir/none" --repo "$dir/repo" >"$dir/report.out" 2>&1 ||
  { bad "report: exit $?"; cat "$dir/report.out"; }
grep -q "target (pid file .*): CPU (of one core) .* avg / .* max; RSS .*MiB avg" "$dir/pr.md" ||
  { bad "markdown: no target CPU and memory"; grep -i resources "$dir/pr.md"; }
grep -q 'name="target_cpu_max"' "$dir/junit.xml" && grep -q 'name="target_rss_max"' "$dir/junit.xml" ||
  bad "JUnit: no target CPU and memory properties"
grep -q "CPU over time" "$dir/report.html" && grep -q "Target memory over time" "$dir/report.html" &&
  grep -q "Scraped gauge serve_conns" "$dir/report.html" || bad "HTML: resource charts missing"

"$bin" run "$dir/tight.json" --quiet >"$dir/tight.out" 2>&1
rc=$?
[ $rc -eq 1 ] || { bad "tight: exit $rc, want 1"; cat "$dir/tight.out"; }
grep -q "FAIL  target_rss max .*MiB breaks max<1MiB" "$dir/tight.out" ||
  { bad "tight: the RSS threshold did not break"; cat "$dir/tight.out"; }
# "command" names processes, not a tree: beside another perfgate serve (a
# namesake, started first) the tree listening on the target's port is the
# one watched, and the notes say so
start namesake "$bin" serve --listen 127.0.0.1:0 --quiet
start second "$bin" serve --listen 127.0.0.1:0 --quiet
second_pid=${servers[-1]}
cat >"$dir/byname.json" <<JSON
{ "name": "byname", "target": "$url",
  "load": { "executor": "constant-arrival-rate", "rate": 100, "duration": "2s" },
  "trials": 2, "regression": false, "monitor": { "command": "perfgate", "interval": "250ms" },
  "scenarios": [ { "name": "s", "requests": [ { "path": "/" } ] } ] }
JSON
"$bin" run "$dir/byname.json" -o "$dir/byname-results.json" >"$dir/byname.out" 2>&1 ||
  { bad "run by command name: exit $?"; tail -5 "$dir/byname.out"; }
python3 - "$dir/byname-results.json" "$second_pid" <<'PY' || fail=1
import json, sys
b = json.load(open(sys.argv[1]))["budgets"][0]
note = b.get("monitor_note") or b.get("monitor", {}).get("note") or json.dumps(b.get("monitor"))
want = "watched the one listening on the target's port (pid %s)" % sys.argv[2]
if "unrelated process trees are named perfgate" not in note or want not in note:
    sys.exit("FAIL: the notes do not say which namesake was watched: %r" % note)
PY

[ $fail -eq 0 ] && echo "monitor: target and scraped gauges sampled, in every report, gating"
exit $fail
