#!/usr/bin/env bash
# tests/cli/hostile.sh PERFGATE — broken and hostile targets. Each run must
# end on time with the failures counted under the right kind, a hint on the
# console, a valid results file and the right exit code: never a hang or a
# crash. Targets: tests/cli/hostile_target.py and `perfgate serve`, both on
# 127.0.0.1; the DNS case uses a name glibc refuses before asking any server
# (a label of 64 characters), so nothing leaves the machine.
set -u
bin=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
failures=0
bad() { # with the case's name, and counted per case
  echo "FAIL [$case]: $*"
  fail=1
  failures=$((failures + 1))
}
ok() { # ok MESSAGE — printed only when the current case found no failure
  [ "$failures" -eq "$case_start" ] && echo "ok   $case: $*"
}
begin() {
  case=$1
  case_start=$failures
}

start hostile python3 "$here/hostile_target.py" --lifetime 300
hostile=$url
start serve "$bin" serve --listen 127.0.0.1:0 --quiet
serve=$url
closed_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

budget() { # budget FILE TARGET PATH VUS DURATION TIMEOUT
  cat >"$1" <<JSON
{ "name": "hostile", "target": "$2",
  "load": { "executor": "constant-vus", "vus": $4, "duration": "$5", "timeout": "$6" },
  "trials": 1, "regression": false,
  "thresholds": { "http_req_duration": ["p(95)<500ms"] },
  "scenarios": [ { "name": "s", "requests": [ { "path": "$3" } ] } ] }
JSON
}

# field RESULTS PYTHON-EXPRESSION-ON-b — reads the results with Python's json
# (so the file must be valid JSON and UTF-8) and prints the expression
field() {
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1], encoding="utf-8")); b=d["budgets"][0]; t=b["trials"][0] if b["trials"] else {}; print(eval(sys.argv[2]))' "$1" "$2"
}

# expect CASE TARGET PATH KIND HINT [SECONDS_AT_MOST]: a 2 VU, 2 s run in
# which every request fails with KIND; exit 1 (nothing answered), the console
# names the kind with its hint, and the run ends in time
expect() {
  begin "$1"
  local target=$2 path=$3 kind=$4 hint=$5 most=${6:-8} rc took t0 out="$dir/$1.out" res="$dir/$1.json"
  budget "$dir/$case.budget.json" "$target" "$path" 2 2s 1s
  t0=$(date +%s%N)
  timeout 60 "$bin" run "$dir/$case.budget.json" -o "$res" --quiet >"$out" 2>&1
  rc=$?
  took=$((($(date +%s%N) - t0) / 1000000))
  [ $rc -eq 1 ] || {
    bad "exit $rc, want 1"
    cat "$out"
    return
  }
  [ $took -le $((most * 1000)) ] || bad "took ${took}ms, want at most ${most}s"
  [ "$(field "$res" 'd["format"]')" = perfgate-results/1 ] || bad "results not readable"
  local n all
  n=$(field "$res" "t['errors_by_kind'].get('$kind', 0)")
  all=$(field "$res" "t['requests']")
  [ "$n" -gt 0 ] && [ "$n" = "$all" ] || bad "$kind $n of $all requests, want all"
  grep -q "^    $kind: $hint" "$out" || { bad "no '$kind: $hint' on the console"; cat "$out"; }
  grep -q "first: ." "$out" || bad "no example of the failure on the console"
  [ -n "$(field "$res" "b['error_examples']['$kind']")" ] || bad "no error example in the results"
  grep -q "FAIL  no request got an answer" "$out" || bad "the implied threshold did not fail"
  ok "$all requests, all $kind, exit 1, ${took}ms"
}

expect refused "http://127.0.0.1:$closed_port" / refused "nothing accepted"
grep -q "the target could not be reached" "$dir/refused.out" || bad "no 'could not be reached'"
expect dns "http://$(printf 'x%.0s' $(seq 64)).invalid:8080" / dns "the host name"
expect reset "$hostile" /reset reset "the target closed or reset"
expect close "$hostile" /close reset "the target closed or reset"
# the answer never comes: every request ends at its 1 s timeout, and the run
# at its 2 s duration plus one timeout of grace for requests in flight
expect silent "$hostile" /silent timeout "no complete answer" 6
expect trickle "$hostile" /trickle timeout "no complete answer" 6
expect malformed "$hostile" /malformed protocol "the answer was not valid HTTP"
expect badstatus "$hostile" /badstatus protocol "the answer was not valid HTTP"
# TLS spoken to a plain-HTTP server: the handshake fails
expect tls "${serve/http:/https:}" / tls "the TLS handshake failed"

# a body of 3 GiB: counted and discarded, perfgate's memory stays flat
begin huge
size=$((3 << 30))
budget "$dir/huge.budget.json" "$hostile" "/huge/$size" 1 1s 60s
sed -i 's/p(95)<500ms/p(95)<60s/' "$dir/huge.budget.json"
timeout 120 "$bin" run "$dir/huge.budget.json" -o "$dir/huge.json" --quiet >"$dir/huge.out" 2>&1
rc=$?
if [ $rc -ne 0 ]; then
  bad "exit $rc, want 0"
  cat "$dir/huge.out"
else
  got=$(field "$dir/huge.json" "t['bytes_in']")
  rss=$(field "$dir/huge.json" "b['generator_max_rss_kib']")
  [ "$got" -ge "$size" ] || bad "received $got bytes, want at least $size"
  [ "$rss" -lt 262144 ] || bad "peak RSS ${rss} KiB after a 3 GiB body"
  ok "$got bytes received, peak RSS $rss KiB"
fi

# hostile headers and body: a normal answer; none of its text reaches the results
begin hostile
budget "$dir/hostile.budget.json" "$hostile" /hostile 1 1s 1s
timeout 60 "$bin" run "$dir/hostile.budget.json" -o "$dir/hostile.json" --quiet >"$dir/hostile.out" 2>&1
rc=$?
[ $rc -eq 0 ] || { bad "exit $rc, want 0"; cat "$dir/hostile.out"; }
! grep -q -e "script" -e "pwned" "$dir/hostile.json" "$dir/hostile.out" || bad "the target's text reached the results"
ok "answers counted, none of their text kept"

# 10,000 connections at once to perfgate serve (the open-file limit raised
# as far as needed), then the same budget where the limit cannot be raised:
# exit 3 and a message that says what to do
begin 10k
cat >"$dir/10k.budget.json" <<JSON
{ "name": "ten-thousand", "target": "$serve",
  "load": { "executor": "constant-vus", "vus": 10000, "duration": "3s", "timeout": "20s" },
  "trials": 1, "regression": false,
  "thresholds": { "http_req_failed": ["rate<0.01"] },
  "scenarios": [ { "name": "s", "think_time": "1s", "requests": [ { "path": "/" } ] } ] }
JSON
if [ "$(ulimit -Hn)" != unlimited ] && [ "$(ulimit -Hn)" -lt 10200 ]; then
  echo "skip 10k: this machine's hard open-file limit is $(ulimit -Hn) (< 10,200)"
else
  timeout 120 "$bin" run "$dir/10k.budget.json" -o "$dir/10k.json" --quiet >"$dir/10k.out" 2>&1
  rc=$?
  if [ $rc -ne 0 ]; then
    bad "exit $rc, want 0"
    cat "$dir/10k.out"
  else
    conns=$(field "$dir/10k.json" "t['connect_us']['count']")
    [ "$conns" -eq 10000 ] || bad "$conns connections opened, want 10000"
    ok "$conns connections, $(field "$dir/10k.json" "t['requests']") requests, exit 0"
  fi
fi
begin fdlimit
prlimit --nofile=512:512 "$bin" run "$dir/10k.budget.json" --quiet >"$dir/fdlimit.out" 2>&1
rc=$?
[ $rc -eq 3 ] || bad "exit $rc, want 3"
grep -q "open-file limit is 512 (hard limit 512).*ulimit -n" "$dir/fdlimit.out" || { bad "message"; cat "$dir/fdlimit.out"; }
ok "exit 3, $(cut -c1-90 "$dir/fdlimit.out")..."
exit $fail
