#!/usr/bin/env bash
# The command line: help for every command, version, exit codes for usage
# errors and for commands not built yet.
set -u
bin=$1
fail=0
expect() { # expect EXIT_CODE PATTERN -- ARGS...
  local code=$1 pattern=$2
  shift 3
  out=$("$bin" "$@" 2>&1)
  rc=$?
  if [ "$rc" -ne "$code" ] || ! grep -q -- "$pattern" <<<"$out"; then
    echo "FAIL perfgate $*: exit $rc (want $code), output:"
    echo "$out" | head -5
    fail=1
  fi
}
expect 0 "Usage: perfgate COMMAND" -- --help
expect 0 "^perfgate [0-9]" -- --version
expect 2 "Usage: perfgate COMMAND" --
expect 2 "unknown command 'frobnicate'" -- frobnicate
for cmd in run check compare ab baseline report merge comment serve; do
  expect 0 "Usage: perfgate $cmd" -- "$cmd" --help
  expect 0 "Usage: perfgate $cmd" -- help "$cmd"
done
expect 2 "usage: perfgate merge SHARD... -o merged.json" -- merge x
expect 2 "cannot open" -- merge /nonexistent.json -o m.json
expect 2 "nothing to write" -- report x.json
expect 2 "give exactly one results file; usage: perfgate report" -- report --junit j.xml
expect 2 "cannot open" -- report /nonexistent.json --junit j.xml
expect 2 "usage: perfgate comment --pr N --body FILE" -- comment --pr 3
expect 2 "cannot open" -- comment --pr 3 --body /nonexistent.md
body=$(mktemp)
echo "report" >"$body"
env -u GITHUB_TOKEN GITHUB_REPOSITORY=o/r "$bin" comment --pr 3 --body "$body" >/dev/null 2>&1
[ $? -eq 2 ] || { echo "FAIL comment without a token: want exit 2"; fail=1; }
out=$(GITHUB_TOKEN=ghp_secret_value GITHUB_REPOSITORY=o/r GITHUB_API_URL=http://127.0.0.1:1 \
  "$bin" comment --pr 3 --body "$body" 2>&1)
rc=$?
if [ $rc -ne 3 ] || grep -q ghp_secret_value <<<"$out" || ! grep -q "GITHUB_API_URL" <<<"$out"; then
  echo "FAIL comment against an unreachable API: exit $rc, output: $out"
  fail=1
fi
rm -f "$body"
expect 2 "no budget file given" -- run
expect 2 "unknown or incomplete option '--bogus'" -- run --bogus x.json
expect 2 "cannot open" -- run --dry-run /nonexistent.json
expect 2 "takes a whole number" -- serve --threads=0
expect 2 "--listen takes ADDR:PORT" -- serve --listen 8080
expect 2 "go together" -- serve --stall-every 5
[ $fail -eq 0 ] && echo "command line ok"
exit $fail
