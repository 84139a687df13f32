#!/usr/bin/env bash
# The README's main command: installs what is missing, builds, starts
# `perfgate serve` on a free loopback port, runs every budget in budgets/
# against it, prints the measured results, and stops the server.
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
echo "== perfgate run budgets/*.json --target $target"
set +e
build/release/perfgate run budgets/*.json --target "$target" -o results/demo.json
status=$?
set -e
echo "== results written to results/demo.json (exit code $status)"
exit $status
