# tests/cli/lib.sh — what the CLI test scripts share; source it after
# setting bin. Gives:
#   $dir            a temporary directory, removed at exit
#   $here           the folder of the test scripts (tests/cli)
#   start NAME CMD  starts a server that prints "listening on URL", waits for
#                   it, sets $url; every server started so is stopped at exit
#   bad MESSAGE     prints "FAIL: MESSAGE" and makes the script fail
#   $fail           1 once bad was called
#   on_exit CMD     one more command for the exit (before $dir is removed)
#   expect NAME EXIT PATTERN -- CMD...
#                   runs CMD; bad unless it exits EXIT and its output
#                   (stdout and stderr) matches the extended regex PATTERN
dir=$(mktemp -d)
here=$(cd "$(dirname "$0")" && pwd) # the tests/cli folder, wherever the script is run from
fail=0
servers=()
exit_extra=":"
cleanup() {
  for p in "${servers[@]}"; do kill "$p" 2>/dev/null; done
  wait "${servers[@]}" 2>/dev/null
  eval "$exit_extra"
  rm -rf "$dir"
}
trap cleanup EXIT
on_exit() { exit_extra="$exit_extra; $*"; }
bad() {
  echo "FAIL: $*"
  fail=1
}
# Not in $(...): a server started in a subshell would escape the cleanup.
start() {
  local log="$dir/$1.log"
  shift
  "$@" >"$log" 2>&1 &
  servers+=($!)
  for _ in $(seq 100); do grep -qs "listening on" "$log" && break; sleep 0.05; done
  url=$(sed -n 's/^listening on //p' "$log")
  [ -n "$url" ] || { echo "FAIL: the server did not start: $*"; cat "$log"; exit 1; }
}
expect() {
  local name=$1 want=$2 pattern=$3 out rc
  shift 4
  out=$("$@" 2>&1)
  rc=$?
  if [ $rc -ne "$want" ] || ! grep -Eq -- "$pattern" <<<"$out"; then
    bad "$name: exit $rc (want $want), pattern '$pattern'"
    echo "$out" | tail -12
  fi
}
