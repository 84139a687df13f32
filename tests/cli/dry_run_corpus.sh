#!/usr/bin/env bash
# perfgate check --dry-run on every invalid budget: exit 2 and the exact
# "perfgate: file:line:col: message" of its .err file on stderr; on every
# valid budget: exit 0 and a plan on stdout.
set -u
bin=$1
corpus=$2
cd "$corpus" || exit 1
fail=0
n=0
for f in invalid/*.json; do
  n=$((n + 1))
  want="perfgate: ${f}:$(head -n1 "${f%.json}.err")"
  got=$("$bin" check --dry-run "$f" 2>&1 >/dev/null)
  rc=$?
  if [ "$rc" -ne 2 ] || [ "$got" != "$want" ]; then
    echo "FAIL $f: exit $rc"
    echo "  want: $want"
    echo "  got:  $got"
    fail=1
  fi
done
for f in valid/*.json; do
  n=$((n + 1))
  if ! out=$("$bin" run --dry-run "$f" 2>&1) || ! grep -q "^budget " <<<"$out"; then
    echo "FAIL $f: $out"
    fail=1
  fi
done
echo "$n budgets checked"
exit $fail
