#!/usr/bin/env bash
# The README's main command: installs what is missing, builds, starts
# `perfgate serve` on a free loopback port, runs every budget in budgets/
# against it, records that run as the baseline of HEAD (in results/, not in
# baselines/), runs the gate again against it, prints the markdown summary
# and the paths of the JUnit, HTML and JSON reports, and stops the server.
set -euo pipefail
cd "$(dirname "$0")/.."

ci/install-deps.sh
echo "== build"
ci/build.sh build/release >/dev/null

out=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$out"' EXIT
build/release/perfgate serve --listen 127.0.0.1:0 --quiet >"$out/serve.log" 2>&1 &
server=$!
for _ in $(seq 50); do
  grep -q "listening on" "$out/serve.log" 2>/dev/null && break
  sleep 0.1
done
target=$(sed -n 's/^listening on //p' "$out/serve.log")
[ -n "$target" ] || { cat "$out/serve.log"; exit 3; }
echo "== perfgate serve is up at $target"

mkdir -p results
pg=build/release/perfgate
echo "== 1. perfgate run budgets/*.json (the baseline run)"
set +e
$pg run budgets/*.json --target "$target" -o results/demo-baseline.json
status=$?
set -e
[ $status -le 1 ] || exit $status
if ! $pg baseline record results/demo-baseline.json --baselines results/demo-baselines; then
  echo "== not a git checkout: no baseline to compare with; the run above is the result"
  exit $status
fi
echo "== 2. perfgate check budgets/*.json: run again and compare with the baseline of HEAD"
set +e
$pg check budgets/*.json --target "$target" --baselines results/demo-baselines --base HEAD --quiet \
  --json results/demo.json --junit results/demo-junit.xml --markdown results/demo.md \
  --html results/demo.html >/dev/null
status=$?
set -e
echo "== 3. the markdown summary (what the pull request comment and the job summary show)"
echo
cat results/demo.md
echo
echo "== reports (exit code $status):"
echo "   JUnit XML  $(pwd)/results/demo-junit.xml"
echo "   HTML       $(pwd)/results/demo.html"
echo "   markdown   $(pwd)/results/demo.md"
echo "   JSON       $(pwd)/results/demo.json (results with the verdict; perfgate report renders it again)"
exit $status
