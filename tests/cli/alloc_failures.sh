#!/usr/bin/env bash
# tests/cli/alloc_failures.sh PERFGATE FAIL_ALLOC_SO — a failure can never
# turn into a passing gate. `perfgate compare` of a regressed run (exit 1)
# and of an unchanged one (exit 0), with reports, is run again and again with
# one allocation of the process failing (tests/support/fail_alloc.c): the
# first 60 one by one, then about 60 more spread evenly over the rest of
# what the command allocates (about 25,000; PG_ALLOC_SWEEP=N: N and N,
# PG_ALLOC_SWEEP=all: every one; PG_ALLOC_SWEEP=setup: only the repository,
# for PG_ALLOC_KEEP). The sample is the same each run. Each run must
# end as the reference did, with the same console verdict and the same
# reports, or exit 3 (could not run) and say why; never another verdict,
# never 0 where the reference failed, never a crash of perfgate's own. A
# crash inside libgit2 is counted and shown, not failed: libgit2 1.5 does not
# survive every failed allocation (git_libgit2_init, git_config_snapshot in
# git_repository_open_ext dereference what they did not get), and a crash
# exits by signal, so it cannot pass a gate either. Without load (the
# results are measured once, against perfgate serve on 127.0.0.1).
# PG_ALLOC_KEEP=DIR keeps a copy of the repository there, to replay one:
#   cd DIR && PG_FAIL_ALLOC_AT=N LD_PRELOAD=SO gdb --args perfgate compare slow.json --base main
set -u
bin=$1
shim=$2
. "$(dirname "$0")/lib.sh"

start fast "$bin" serve --listen 127.0.0.1:0 --delay 2 --quiet
fast=$url
start slow "$bin" serve --listen 127.0.0.1:0 --delay 6 --quiet
slow=$url
cd "$dir" || exit 1
git init -q -b main repo && cd repo || exit 1
git config user.email ci@example.invalid && git config user.name ci
cat >b.json <<JSON
{ "name": "api", "target": "$fast",
  "load": { "executor": "constant-arrival-rate", "rate": 100, "duration": "1200ms", "max_connections": 8 },
  "trials": 6, "scenarios": [ { "name": "s", "requests": [ { "path": "/" } ] } ],
  "thresholds": { "http_req_duration": ["p(95)<1s"] },
  "regression": { "metrics": ["p50", "p95", "rps"], "min_effect": "10%" } }
JSON
git add b.json && git commit -qm budget
"$bin" run b.json -q -o base.json >/dev/null 2>&1 || bad "the baseline run failed"
"$bin" run b.json -q --target "$slow" -o slow.json >/dev/null 2>&1 || bad "the slow run failed"
python3 "$here/busy_baseline.py" base.json # this machine's load cannot veto the comparison
"$bin" baseline record base.json >/dev/null || bad "record failed"
git commit -qm baseline --allow-empty
[ -n "${PG_ALLOC_KEEP:-}" ] && rm -rf "$PG_ALLOC_KEEP" && cp -r "$dir/repo" "$PG_ALLOC_KEEP"

first=60
case "${PG_ALLOC_SWEEP:-}" in [1-9]*) first=$PG_ALLOC_SWEEP ;; esac

compare() { # compare RESULTS OUTDIR: the command under test, reports into OUTDIR
  mkdir -p "$2"
  "$bin" compare "$1" --base main --json "$2/v.json" --junit "$2/j.xml" --markdown "$2/m.md" \
    --html "$2/r.html" >"$2/stdout" 2>"$2/stderr"
}
same_as_reference() { # same_as_reference OUTDIR REFDIR
  local f
  for f in stdout v.json j.xml m.md r.html; do
    cmp -s "$1/$f" "$2/$f" || { differs=$f; return 1; }
  done
}
sweep() { # sweep NAME RESULTS WANT_EXIT
  local name=$1 results=$2 want=$3 ref="$dir/$1.ref" total n k rc runs=0 failed=0 libgit2=0
  PG_FAIL_ALLOC_COUNT="$dir/count" LD_PRELOAD="$shim" compare "$results" "$ref"
  rc=$?
  [ "$rc" -eq "$want" ] || { bad "$name: reference exit $rc, want $want"; cat "$ref/stderr"; return; }
  total=$(cat "$dir/count" 2>/dev/null)
  [ -n "$total" ] && [ "$total" -gt "$first" ] || { bad "$name: the shim counted '${total:-nothing}'"; return; }
  # the same run again with nothing failing must match itself (no clock in reports)
  LD_PRELOAD="$shim" compare "$results" "$dir/again"
  same_as_reference "$dir/again" "$ref" || { bad "$name: two runs differ; the sweep cannot compare"; return; }
  local step=$(((total - first) / first + 1))
  [ "${PG_ALLOC_SWEEP:-}" = all ] && step=1
  for ((n = 1; n <= total; n += (n < first ? 1 : step))); do
    k="$dir/k"
    rm -rf "$k"
    PG_FAIL_ALLOC_AT=$n LD_PRELOAD="$shim" compare "$results" "$k"
    rc=$?
    runs=$((runs + 1))
    if [ "$rc" -eq "$want" ] && same_as_reference "$k" "$ref"; then
      continue
    elif [ "$rc" -eq 3 ] && grep -q "perfgate: " "$k/stderr"; then
      failed=$((failed + 1))
      continue
    elif [ "$rc" -gt 128 ] && grep -q "^fail_alloc: signal [0-9]* in .*/libgit2\.so" "$k/stderr"; then
      libgit2=$((libgit2 + 1))
      continue
    fi
    differs=
    [ "$rc" -eq "$want" ] && same_as_reference "$k" "$ref"
    bad "$name: allocation $n of $total failing gave exit $rc (reference $want)${differs:+, and another $differs}"
    head -40 "$k/stderr"
    diff "$ref/stdout" "$k/stdout" | head -6
  done
  echo "$name: $runs runs over $total allocations: the reference's result, or exit 3 ($failed)," \
    "or a crash inside libgit2 ($libgit2)"
}
[ "${PG_ALLOC_SWEEP:-}" = setup ] && exit $fail
sweep regressed slow.json 1
sweep unchanged base.json 0
exit $fail
