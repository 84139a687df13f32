#!/usr/bin/env bash
# action/services.sh start|start-head|stop — the base-and-head steps of the perfgate
# action: build and start the service twice on this runner, once from the
# pull request's head (the working tree) and once from the merge-base of
# HEAD and the base branch (a git worktree beside it), wait until both
# answer, and stop both afterwards. `perfgate check --base-target` then
# measures them side by side (the duet schedule), so the comparison is
# between two versions on one machine at one time.
#
# Environment (the action passes its inputs so; nothing is pasted into code):
#   PERFGATE_BUILD          command run in each tree before it starts (may be empty)
#   PERFGATE_START          command that starts the service in the foreground;
#                           {port} in it is replaced by the side's port, which
#                           is also in $PORT; it must listen on 127.0.0.1
#   PERFGATE_BASE_REF       base branch (default $GITHUB_BASE_REF, else main)
#   PERFGATE_READY_PATH     path polled until the service answers (default /)
#   PERFGATE_READY_TIMEOUT  seconds to wait for each side (default 60)
#   PERFGATE_BASE_PORT, PERFGATE_HEAD_PORT   (default 18081, 18082)
#   PERFGATE_STATE          where the worktree, logs and pids go
#                           (default $RUNNER_TEMP/perfgate-services)
# start writes base_url, head_url and merge_base to $GITHUB_OUTPUT (when set)
# and prints them. start-head starts only the working tree's service (the
# record mode: this commit's baseline) and writes head_url. Exit 3, with an ::error:: line naming the side and the end
# of its log, when a tree cannot be made, built or started.
set -euo pipefail
state=${PERFGATE_STATE:-${RUNNER_TEMP:-/tmp}/perfgate-services}
base_port=${PERFGATE_BASE_PORT:-18081}
head_port=${PERFGATE_HEAD_PORT:-18082}
timeout=${PERFGATE_READY_TIMEOUT:-60}
ready_path=${PERFGATE_READY_PATH:-/}

die() { # die SIDE MESSAGE [LOG]
  echo "::error title=perfgate ${1}::${2}"
  if [ -n "${3:-}" ] && [ -f "$3" ]; then
    echo "--- the last lines of $3:"
    tail -n 40 "$3"
  fi
  exit 3
}

output() {
  echo "$1=$2"
  [ -z "${GITHUB_OUTPUT:-}" ] || echo "$1=$2" >>"$GITHUB_OUTPUT"
}

merge_base() { # sets mb (not in $(...): die must print where GitHub reads it)
  local ref=${PERFGATE_BASE_REF:-${GITHUB_BASE_REF:-main}} r
  for r in "origin/$ref" "$ref"; do
    if git rev-parse -q --verify "$r^{commit}" >/dev/null; then
      mb=$(git merge-base HEAD "$r") && return 0
      die base "HEAD and $r have no merge-base: check out the whole history (actions/checkout with fetch-depth: 0)"
    fi
  done
  die base "the base branch '$ref' is not in this clone: check out with fetch-depth: 0, or set the base input"
}

start_side() { # start_side SIDE TREE PORT
  local side=$1 tree=$2 port=$3 cmd
  if [ -n "${PERFGATE_BUILD:-}" ]; then
    echo "building the $side in $tree"
    (cd "$tree" && PORT=$port bash -c "$PERFGATE_BUILD") >"$state/$side-build.log" 2>&1 ||
      die "$side" "building the $side failed ($PERFGATE_BUILD)" "$state/$side-build.log"
  fi
  cmd=${PERFGATE_START//\{port\}/$port}
  echo "starting the $side: $cmd"
  # a session of its own, so stop ends the service and everything it started
  (cd "$tree" && PORT=$port exec setsid bash -c "$cmd") >"$state/$side.log" 2>&1 &
  echo $! >"$state/$side.pid"
}

wait_side() { # wait_side SIDE PORT
  local side=$1 url="http://127.0.0.1:$2" deadline=$((SECONDS + timeout)) pid
  pid=$(cat "$state/$side.pid")
  until curl -s -o /dev/null --max-time 2 "$url$ready_path"; do
    kill -0 "$pid" 2>/dev/null || die "$side" "the $side service exited before it answered on $url" "$state/$side.log"
    [ $SECONDS -lt "$deadline" ] || die "$side" "the $side service did not answer on $url within ${timeout}s" "$state/$side.log"
    sleep 0.2
  done
  echo "the $side answers on $url"
}

stop_side() { # stop_side SIDE
  local f="$state/$1.pid" pid
  [ -f "$f" ] || return 0
  pid=$(cat "$f")
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$f"
  echo "stopped the $1"
}

case "${1:-}" in
start)
  [ -n "${PERFGATE_START:-}" ] || die head "the start input is empty"
  mkdir -p "$state"
  merge_base
  git worktree remove --force "$state/base" >/dev/null 2>&1 || rm -rf "$state/base"
  git worktree add --detach "$state/base" "$mb" >"$state/worktree.log" 2>&1 ||
    die base "cannot make a worktree of the merge-base $mb" "$state/worktree.log"
  start_side base "$state/base" "$base_port"
  start_side head "$PWD" "$head_port"
  wait_side base "$base_port"
  wait_side head "$head_port"
  output merge_base "$mb"
  output base_url "http://127.0.0.1:$base_port"
  output head_url "http://127.0.0.1:$head_port"
  ;;
start-head)
  [ -n "${PERFGATE_START:-}" ] || die head "the start input is empty"
  mkdir -p "$state"
  start_side head "$PWD" "$head_port"
  wait_side head "$head_port"
  output head_url "http://127.0.0.1:$head_port"
  ;;
stop)
  stop_side base
  stop_side head
  git worktree remove --force "$state/base" >/dev/null 2>&1 || true
  ;;
*)
  echo "usage: action/services.sh start|start-head|stop" >&2
  exit 2
  ;;
esac
