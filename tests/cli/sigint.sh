#!/usr/bin/env bash
# SIGINT during a run: the load stops, the results file is still written and
# marked interrupted, and perfgate exits 130. Everything on 127.0.0.1, bounded.
set -u
bin=$1
dir=$(mktemp -d)
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$dir"' EXIT
"$bin" serve --listen 127.0.0.1:0 --quiet >"$dir/serve.log" 2>&1 &
server=$!
for _ in $(seq 50); do grep -q listening "$dir/serve.log" && break; sleep 0.1; done
target=$(sed -n 's/^listening on //p' "$dir/serve.log")
cat >"$dir/b.json" <<JSON
{ "name": "long", "target": "$target",
  "load": { "executor": "constant-arrival-rate", "rate": 100, "duration": "30s" },
  "trials": 5, "scenarios": [ { "name": "s", "requests": [ { "path": "/" } ] } ] }
JSON
start=$(date +%s)
"$bin" run "$dir/b.json" -o "$dir/r.json" --quiet >"$dir/out.txt" 2>&1 &
pid=$!
sleep 2
kill -INT $pid
wait $pid
rc=$?
took=$(( $(date +%s) - start ))
fail=0
[ $rc -eq 130 ] || { echo "FAIL: exit $rc, want 130"; cat "$dir/out.txt"; fail=1; }
[ $took -lt 10 ] || { echo "FAIL: took ${took}s to stop"; fail=1; }
grep -Eq '"interrupted":[[:space:]]*true' "$dir/r.json" || { echo "FAIL: results not marked interrupted"; fail=1; }
grep -Eq '"format":[[:space:]]*"perfgate-results/1"' "$dir/r.json" || { echo "FAIL: no results format"; fail=1; }
grep -q "INTERRUPTED" "$dir/out.txt" || { echo "FAIL: console does not say interrupted"; fail=1; }
# check interrupted mid-trial: exit 130 still, and the reports say what was
# measured, marked interrupted (JUnit: an error, markdown: a warning)
(cd "$dir" && git init -q . 2>/dev/null)
"$bin" check "$dir/b.json" --quiet --repo "$dir" --baselines "$dir/none" --junit "$dir/j.xml" \
  --markdown "$dir/m.md" --html "$dir/r.html" >"$dir/check.txt" 2>&1 &
pid=$!
sleep 2
kill -INT $pid
wait $pid
rc=$?
[ $rc -eq 130 ] || { echo "FAIL: check exit $rc, want 130"; cat "$dir/check.txt"; fail=1; }
grep -q 'error type="Interrupted"' "$dir/j.xml" 2>/dev/null || { echo "FAIL: JUnit of the interrupted check"; fail=1; }
grep -q "interrupted" "$dir/m.md" 2>/dev/null || { echo "FAIL: markdown of the interrupted check"; fail=1; }
[ -s "$dir/r.html" ] || { echo "FAIL: HTML of the interrupted check"; fail=1; }
[ $fail -eq 0 ] && echo "ok   interrupted run and check: exit 130, partial results and reports written"

# SIGTERM (what CI runners and `timeout` send) mid-trial: exit 143, marked
"$bin" run "$dir/b.json" -o "$dir/term.json" --quiet >"$dir/term.txt" 2>&1 &
pid=$!
sleep 1.5
kill -TERM $pid
wait $pid
rc=$?
[ $rc -eq 143 ] || { echo "FAIL: SIGTERM: exit $rc, want 143"; fail=1; }
grep -Eq '"interrupted":[[:space:]]*true' "$dir/term.json" || { echo "FAIL: SIGTERM: results not marked"; fail=1; }
[ $fail -eq 0 ] && echo "ok   SIGTERM mid-trial: exit 143, results marked interrupted"

# during the warm-up: nothing measured yet, which the results say
cat >"$dir/warm.json" <<JSON
{ "name": "warm", "target": "$target",
  "load": { "executor": "constant-vus", "vus": 2, "warmup": "20s", "duration": "10s" },
  "trials": 5, "scenarios": [ { "name": "s", "requests": [ { "path": "/" } ] } ] }
JSON
"$bin" run "$dir/warm.json" -o "$dir/warm-r.json" --quiet >"$dir/warm.txt" 2>&1 &
pid=$!
sleep 1.5
kill -INT $pid
wait $pid
rc=$?
[ $rc -eq 130 ] || { echo "FAIL: warm-up: exit $rc, want 130"; cat "$dir/warm.txt"; fail=1; }
python3 - "$dir/warm-r.json" <<'PY' || fail=1
import json, sys
b = json.load(open(sys.argv[1]))["budgets"][0]
if not b["interrupted"] or b["trials"]:
    sys.exit("FAIL: warm-up: want interrupted with no trials, got %r, %d trials" % (b["interrupted"], len(b["trials"])))
PY
[ $fail -eq 0 ] && echo "ok   SIGINT in the warm-up: exit 130, results with no trials, marked interrupted"

# while the files are written: fsync is held for 3 s by strace, and the
# signal lands then. One SIGINT: every file is still finished (the
# measurement was whole), exit 130. SIGINT then SIGTERM: perfgate leaves at
# once, and leaves neither the temporary file nor a half-written result.
# (Both signals are pending when fsync returns; the kernel may run the
# handlers nested, so either one can be "the second": exit 130 or 143.)
if ! command -v strace >/dev/null; then
  echo "FAIL: strace is needed (ci/install-deps.sh installs it)"
  exit 1
fi
cat >"$dir/short.json" <<JSON
{ "name": "short", "target": "$target",
  "load": { "executor": "constant-arrival-rate", "rate": 50, "duration": "1s" },
  "trials": 1, "regression": false, "scenarios": [ { "name": "s", "requests": [ { "path": "/" } ] } ] }
JSON
in_write() { # in_write OUTDIR SIGNALS... — signals perfgate once a .tmp file exists in OUTDIR
  local out=$1 child
  shift
  for _ in $(seq 200); do
    ls "$out" 2>/dev/null | grep -q '\.tmp$' && break
    sleep 0.05
  done
  child=$(pgrep -P "$tracer" | head -1)
  for s in "$@"; do
    kill "-$s" "$child"
    sleep 0.3
  done
}
mkdir -p "$dir/w1" "$dir/w2"
# LeakSanitizer cannot work under ptrace: off for the traced runs only
export ASAN_OPTIONS="${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}detect_leaks=0"
strace -f -o /dev/null -e trace=fsync -e inject=fsync:delay_enter=3000000 \
  "$bin" check "$dir/short.json" --quiet --repo "$dir" --baselines "$dir/none" -o "$dir/w1/r.json" \
  --junit "$dir/w1/j.xml" --markdown "$dir/w1/m.md" >"$dir/w1.txt" 2>&1 &
tracer=$!
in_write "$dir/w1" INT
wait $tracer
rc=$?
[ $rc -eq 130 ] || { echo "FAIL: SIGINT while writing: exit $rc, want 130"; cat "$dir/w1.txt"; fail=1; }
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$dir/w1/r.json" || { echo "FAIL: SIGINT while writing: results"; fail=1; }
tail -1 "$dir/w1/m.md" 2>/dev/null | grep -q "<!-- perfgate -->" || { echo "FAIL: SIGINT while writing: markdown"; fail=1; }
grep -q "</testsuites>" "$dir/w1/j.xml" 2>/dev/null || { echo "FAIL: SIGINT while writing: JUnit"; fail=1; }
ls "$dir/w1" | grep -q '\.tmp$' && { echo "FAIL: SIGINT while writing: a temporary file left"; fail=1; }
[ $fail -eq 0 ] && echo "ok   SIGINT while writing: every file finished, exit 130"
strace -f -o /dev/null -e trace=fsync -e inject=fsync:delay_enter=3000000 \
  "$bin" run "$dir/short.json" --quiet -o "$dir/w2/r.json" >"$dir/w2.txt" 2>&1 &
tracer=$!
in_write "$dir/w2" INT TERM
wait $tracer
rc=$?
[ $rc -eq 143 ] || [ $rc -eq 130 ] || { echo "FAIL: second signal while writing: exit $rc, want 130 or 143"; cat "$dir/w2.txt"; fail=1; }
grep -q "second signal: stopped at once" "$dir/w2.txt" || { echo "FAIL: second signal: no message"; fail=1; }
[ -z "$(ls -A "$dir/w2")" ] || { echo "FAIL: second signal while writing: left $(ls -A "$dir/w2")"; fail=1; }
[ $fail -eq 0 ] && echo "ok   second signal while writing: exit $rc at once, no temporary or half file"
exit $fail
