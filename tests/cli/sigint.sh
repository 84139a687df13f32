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
[ $fail -eq 0 ] && echo "interrupted run and check: exit 130, partial results and reports written"
exit $fail
