#!/usr/bin/env bash
# tests/ci/action_services.sh PERFGATE SOURCE_DIR — the action's base-and-head
# steps (action/services.sh) as the action runs them, in a scratch repository
# whose "service" is perfgate serve with the delay its tree says: 5 ms on
# main, 8 ms on the pull request's branch.
#   - start builds each tree (the build command leaves a file to prove it
#     ran there), starts both on their ports, and both answer;
#   - perfgate check --base-target between them finds the slower head;
#   - stop ends both services and removes the worktree;
#   - a service that exits, a build that fails and a missing base branch
#     exit 3 with an ::error:: line naming the side.
set -u
bin=$(realpath "$1")
services=$(realpath "$2/action/services.sh")
. "$(dirname "$0")/../cli/lib.sh"
repo=$dir/repo
git init -q -b main "$repo"
cd "$repo"
g() { git -c user.name=t -c user.email=t@example.invalid "$@"; }
echo 5 >delay
cat >budget.json <<'JSON'
{ "name": "svc", "target": "http://127.0.0.1:1",
  "load": { "executor": "constant-arrival-rate", "rate": 100, "duration": "3s", "warmup": "300ms",
            "max_connections": 16 },
  "trials": 6, "scenarios": [ { "name": "s", "requests": [ { "path": "/" } ] } ],
  "regression": { "metrics": ["p50"], "min_effect": "10%" } }
JSON
g add -A && g commit -q -m base
g checkout -q -b feature
echo 8 >delay
g commit -q -am slower

ports=$(python3 -c 'import socket
s=[socket.socket() for _ in range(2)]
[x.bind(("127.0.0.1",0)) for x in s]
print(*[x.getsockname()[1] for x in s])')
read -r bp hp <<<"$ports"
export PERFGATE_STATE=$dir/state PERFGATE_BASE_PORT=$bp PERFGATE_HEAD_PORT=$hp PERFGATE_READY_TIMEOUT=20
export GITHUB_OUTPUT=$dir/out PERFGATE_BASE_REF=main
export PERFGATE_BUILD='pwd > built-here'
export PERFGATE_START="$bin serve --listen 127.0.0.1:{port} --delay \$(cat delay) --quiet"
on_exit "bash '$services' stop >/dev/null 2>&1"

bash "$services" start >"$dir/start.out" 2>&1
rc=$?
[ $rc -eq 0 ] || { bad "start: exit $rc"; cat "$dir/start.out"; exit 1; }
grep -q "^base_url=http://127.0.0.1:$bp$" "$dir/out" || bad "no base_url output"
grep -q "^head_url=http://127.0.0.1:$hp$" "$dir/out" || bad "no head_url output"
grep -q "^merge_base=$(git rev-parse main)$" "$dir/out" || bad "merge_base is not main's commit"
[ "$(cat "$dir/state/base/built-here")" = "$dir/state/base" ] || bad "the base was not built in its worktree"
[ "$(cat built-here)" = "$repo" ] || bad "the head was not built in the working tree"
[ "$(cat "$dir/state/base/delay")" = 5 ] || bad "the worktree is not the merge-base"
curl -s "http://127.0.0.1:$bp/" | grep -q ok || bad "the base does not answer"

"$bin" check budget.json --base-target "http://127.0.0.1:$bp" --target "http://127.0.0.1:$hp" \
  --a-name base --b-name head -q >"$dir/check.out" 2>&1
rc=$?
[ $rc -eq 1 ] || { bad "check --base-target: exit $rc, want 1 (head is 60% slower)"; cat "$dir/check.out"; }

bash "$services" stop >"$dir/stop.out" 2>&1 || bad "stop: exit $?"
sleep 0.3
curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$bp/" && bad "the base still answers after stop"
curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$hp/" && bad "the head still answers after stop"
[ -e "$dir/state/base" ] && bad "the worktree is still there after stop"
rm -f built-here

expect_error() { # expect_error WANT  (env set by the caller)
  local out rc
  out=$(bash "$services" start 2>&1)
  rc=$?
  bash "$services" stop >/dev/null 2>&1
  [ $rc -eq 3 ] || bad "want exit 3 for '$1', got $rc: $out"
  case "$out" in *"::error title=perfgate "*"$1"*) ;; *) bad "want an ::error:: saying '$1', got: $out" ;; esac
}
PERFGATE_START="echo about to fail; exit 1" expect_error "the base service exited before it answered"
PERFGATE_BUILD="echo compiler says no; exit 2" expect_error "building the base failed"
PERFGATE_BASE_REF=no-such-branch expect_error "the base branch 'no-such-branch' is not in this clone"

[ $fail -eq 0 ] && echo "action services: all passed"
exit $fail
