#!/usr/bin/env bash
# tests/cli/secrets.sh PERFGATE — a token in an Authorization header, a query
# and a request body (from ${NAME} in the budget) and a password in the
# target URL reach the target,
# and nowhere else: not the console, the results, the reports, the GitHub
# summary, outputs or annotations, the dry-run plan. The URL shows "***".
set -u
bin=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
token="tok-$RANDOM$RANDOM-secret"
password="pw-$RANDOM$RANDOM"
export PG_TEST_API_TOKEN=$token HOSTILE_EXPECT_AUTH="Bearer $token" HOSTILE_EXPECT_KEY=$token
start target python3 "$here/hostile_target.py" --lifetime 120
port=${url##*:}
cat >"$dir/secret.json" <<JSON
{ "name": "secret", "target": "http://user:$password@127.0.0.1:$port",
  "load": { "executor": "constant-vus", "vus": 2, "duration": "2s", "timeout": "2s" },
  "trials": 1, "regression": false,
  "thresholds": { "http_req_failed": ["rate==0"] },
  "scenarios": [ { "name": "s", "requests": [
    { "path": "/auth", "headers": { "Authorization": "Bearer \${PG_TEST_API_TOKEN}" } },
    { "path": "/auth?key=\${PG_TEST_API_TOKEN}", "headers": { "Authorization": "Bearer \${PG_TEST_API_TOKEN}" } },
    { "method": "POST", "path": "/auth", "body": "{\"key\": \"\${PG_TEST_API_TOKEN}\"}",
      "headers": { "Authorization": "Bearer \${PG_TEST_API_TOKEN}" } } ] } ] }
JSON
git init -q "$dir/repo"
export GITHUB_ACTIONS=true GITHUB_STEP_SUMMARY=$dir/summary.md GITHUB_OUTPUT=$dir/output.txt
"$bin" check "$dir/secret.json" --repo "$dir/repo" --baselines "$dir/baselines" \
  --json "$dir/verdict.json" --junit "$dir/junit.xml" --markdown "$dir/pr.md" \
  --html "$dir/report.html" >"$dir/check.out" 2>&1
rc=$?
# 0 only if every request was answered 200: the token did reach the target
[ $rc -eq 0 ] || { echo "FAIL: check exit $rc, want 0 (was the token sent?)"; cat "$dir/check.out"; fail=1; }
"$bin" run "$dir/secret.json" --dry-run >"$dir/plan.out" 2>&1
"$bin" run "$dir/secret.json" -o "$dir/results.json" --quiet >"$dir/run.out" 2>&1
files=("$dir"/check.out "$dir"/plan.out "$dir"/run.out "$dir"/verdict.json "$dir"/results.json
  "$dir"/junit.xml "$dir"/pr.md "$dir"/report.html "$dir"/summary.md "$dir"/output.txt)
for f in "${files[@]}"; do
  [ -s "$f" ] || { echo "FAIL: $(basename "$f") missing or empty"; fail=1; }
  if grep -q -e "$token" -e "$password" "$f"; then
    echo "FAIL: a secret is in $(basename "$f")"
    fail=1
  fi
done
grep -q "http://user:\*\*\*@127.0.0.1:$port" "$dir/results.json" || { echo "FAIL: results target not shown as user:***@"; fail=1; }
grep -q "user:\*\*\*@" "$dir/plan.out" || { echo "FAIL: dry-run plan does not show user:***@"; fail=1; }
# an unset variable is a usage error that names the file, line, column and variable
unset PG_TEST_API_TOKEN
"$bin" run "$dir/secret.json" --quiet >"$dir/unset.out" 2>&1
rc=$?
[ $rc -eq 2 ] || { echo "FAIL: unset variable: exit $rc, want 2"; fail=1; }
grep -q "secret.json:6:62: header \"Authorization\" uses \${PG_TEST_API_TOKEN}, which is not set" "$dir/unset.out" ||
  { echo "FAIL: unset variable message"; cat "$dir/unset.out"; fail=1; }
[ $fail -eq 0 ] && echo "secrets: sent to the target, in none of ${#files[@]} outputs; unset variable: exit 2"
exit $fail
