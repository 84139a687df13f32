#!/usr/bin/env bash
# tests/cli/init.sh PERFGATE SOURCE_DIR — perfgate init:
#   - each executor's starter budget passes run --dry-run, says what it does
#     in "description" keys, and (constant-arrival-rate) runs against perfgate
#     serve with its thresholds holding
#   - it needs no git repository and never overwrites: a second init writes
#     nothing at all and exits 2 naming the file
#   - --github writes the examples/workflows files byte for byte, or with
#     --build/--start filled in (YAML-quoted); a scratch repository holding
#     only a tiny service, the budget and those workflows passes
#     tests/ci/copyable.py, and so does it with every example workflow
#     (perf-shards.yml too)
#   - bad flags exit 2 with the reason
set -u
bin=$(realpath "$1")
src=$(realpath "$2")
. "$(dirname "$0")/lib.sh"

for e in constant-arrival-rate constant-vus ramping-vus ramping-arrival-rate breaking-point; do
  mkdir -p "$dir/$e"
  (cd "$dir/$e" && "$bin" init --executor "$e" >/dev/null) || bad "init --executor $e"
  expect "dry run of $e" 0 "load +$e" -- "$bin" run "$dir/$e/budgets/perfgate.json" --dry-run
  python3 - "$dir/$e/budgets/perfgate.json" <<'PY' || fail=1
import json, sys
b = json.load(open(sys.argv[1]))
for where, o in (("the budget", b), ("load", b["load"]), ("the scenario", b["scenarios"][0]), ("regression", b["regression"])):
    if not isinstance(o.get("description"), str) or len(o["description"]) < 20:
        sys.exit("FAIL: %s: %s has no description" % (sys.argv[1], where))
PY
done
[ -e "$dir/constant-vus/.github" ] && bad "init without --github wrote workflows"

# it measures: against perfgate serve, shortened
start target "$bin" serve --listen 127.0.0.1:0 --quiet
expect "the starter budget runs" 0 "thresholds: all hold" -- \
  "$bin" run "$dir/constant-arrival-rate/budgets/perfgate.json" --target "$url" --duration 3s

# never overwrites, and writes nothing when one file is there
mkdir -p "$dir/again"
(cd "$dir/again" && "$bin" init >/dev/null) || bad "first init"
cp "$dir/again/budgets/perfgate.json" "$dir/first.json"
expect "second init" 2 "budgets/perfgate.json exists; not overwriting" -- bash -c "cd '$dir/again' && '$bin' init --github --executor constant-vus"
cmp -s "$dir/first.json" "$dir/again/budgets/perfgate.json" || bad "the budget was overwritten"
[ ! -e "$dir/again/.github" ] || bad "init wrote workflows although it refused"

# --github: the examples as they are, or filled in
mkdir -p "$dir/plain"
"$bin" init --github --dir "$dir/plain" >/dev/null || bad "init --github --dir"
for f in perf-gate.yml perf-comment.yml perf-baseline.yml; do
  cmp -s "$src/examples/workflows/$f" "$dir/plain/.github/workflows/$f" || bad "$f differs from examples/workflows/$f"
done
[ -e "$dir/plain/.git" ] && bad "init made a repository"

# a scratch repository of a user: a tiny service, the budget, the workflows
scratch=$dir/scratch
mkdir -p "$scratch"
cat >"$scratch/app.py" <<'PY'
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer
class H(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.end_headers(); self.wfile.write(b"ok")
HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PY
(cd "$scratch" && "$bin" init --github --build 'python3 -m py_compile app.py' --start 'python3 app.py {port}' \
  --target http://127.0.0.1:8080 >/dev/null) || bad "init --github in the scratch repository"
python3 - "$scratch/.github/workflows/perf-gate.yml" <<'PY' || fail=1
import sys, yaml
w = yaml.safe_load(open(sys.argv[1]))["jobs"]["gate"]["steps"][1]["with"]
if w.get("build") != "python3 -m py_compile app.py" or w.get("start") != "python3 app.py {port}":
    sys.exit("FAIL: build/start not filled in: %r" % w)
PY
python3 "$here/../ci/copyable.py" "$scratch" perfgate/perfgate@v1 || bad "the scratch repository's workflows are not self-contained"
cp "$src/examples/workflows/perf-shards.yml" "$scratch/.github/workflows/"
python3 "$here/../ci/copyable.py" "$scratch" perfgate/perfgate@v1 >/dev/null || bad "perf-shards.yml is not self-contained"
# the check itself finds what a copied workflow of perfgate's own repository would need
mkdir -p "$dir/own/.github/workflows" "$dir/own/budgets" && cp "$scratch/budgets/perfgate.json" "$dir/own/budgets/"
cp "$src/.github/workflows/perf-gate.yml" "$dir/own/.github/workflows/"
python3 "$here/../ci/copyable.py" "$dir/own" perfgate/perfgate@v1 >"$dir/own.out" && bad "copyable.py did not notice perfgate's own workflow (uses: ./, ci/build.sh)"
grep -q "uses ./" "$dir/own.out" || { bad "copyable.py: no finding on uses: ./"; cat "$dir/own.out"; }
# a fork of the action
mkdir -p "$dir/fork"
"$bin" init --github --dir "$dir/fork" --action me/perfgate@v2 >/dev/null || bad "init --action"
grep -q "uses: me/perfgate@v2" "$dir/fork/.github/workflows/perf-gate.yml" || bad "--action not used"
grep -q "perfgate/perfgate@v1" "$dir/fork/.github/workflows/"*.yml && bad "--action left perfgate/perfgate@v1 somewhere"

expect "unknown executor" 2 "want one of constant-arrival-rate" -- "$bin" init --dir "$dir/x" --executor warp
expect "start without a port" 2 "put \{port\}" -- "$bin" init --dir "$dir/x" --github --start "./app"
expect "build without --github" 2 "go with --github" -- "$bin" init --dir "$dir/x" --build make
expect "bad target" 2 "budgets/perfgate.json:[0-9]+:[0-9]+: .*target" -- "$bin" init --dir "$dir/x" --target "ftp://nope"
expect "bad name" 2 "--name takes letters" -- "$bin" init --dir "$dir/x" --name "../evil"
[ ! -e "$dir/x" ] || bad "a refused init wrote something"

[ $fail -eq 0 ] && echo "init: all passed"
exit $fail
