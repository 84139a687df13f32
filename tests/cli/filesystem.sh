#!/usr/bin/env bash
# tests/cli/filesystem.sh PERFGATE — where results and reports go:
#   a missing directory is created; a read-only one is refused before the
#   run (exit 3, the path named, no load sent); a disk that fills during the
#   run gives exit 3 with the path, leaves no half-written or temporary file,
#   and the results are saved to $TMPDIR instead; two `baseline record` at
#   once leave one whole baseline.
# Read-only and full file systems are small tmpfs mounts in a private mount
# namespace (unshare), so the test needs no privileges beyond user namespaces
# and leaves nothing mounted.
set -u
if [ -z "${PG_IN_NAMESPACE:-}" ]; then
  if unshare -rm true 2>/dev/null; then
    PG_IN_NAMESPACE=1 exec unshare -rm bash "$0" "$@"
  fi
  echo "SKIP: unshare -rm is not allowed here (user namespaces off): read-only and full disks not tested"
  PG_IN_NAMESPACE=none exec bash "$0" "$@"
fi
bin=$(realpath "$1")
. "$(dirname "$0")/lib.sh"
on_exit 'umount "$dir/ro" "$dir/full" 2>/dev/null'
start serve "$bin" serve --listen 127.0.0.1:0 --quiet
target=$url
cat >"$dir/b.json" <<JSON
{ "name": "fs", "target": "$target",
  "load": { "executor": "constant-arrival-rate", "rate": 200, "duration": "2s" },
  "trials": 1, "regression": false,
  "scenarios": [ { "name": "s", "requests": [ { "path": "/" } ] } ] }
JSON

# 1. a missing directory is created
"$bin" run "$dir/b.json" -o "$dir/new/deeper/r.json" --quiet >"$dir/missing.out" 2>&1
rc=$?
[ $rc -eq 0 ] || { bad "missing directory: exit $rc, want 0"; cat "$dir/missing.out"; }
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$dir/new/deeper/r.json" 2>/dev/null ||
  bad "missing directory: no valid results in the created directory"
[ $fail -eq 0 ] && echo "ok   missing directory: created, results written"

if [ "${PG_IN_NAMESPACE}" = 1 ]; then
  mkdir -p "$dir/ro" "$dir/full"
  mount -t tmpfs -o ro,size=1m none "$dir/ro"
  # 2. read-only: refused before any load is sent (well under the 2 s run)
  for cmd in "run -o $dir/ro/r.json" "check --repo $dir --baselines $dir/none --junit $dir/ro/sub/j.xml"; do
    t0=$(date +%s%N)
    # shellcheck disable=SC2086
    "$bin" $cmd "$dir/b.json" --quiet >"$dir/ro.out" 2>&1
    rc=$?
    took=$((($(date +%s%N) - t0) / 1000000))
    [ $rc -eq 3 ] || { bad "read-only ($cmd): exit $rc, want 3"; cat "$dir/ro.out"; }
    [ $took -lt 1500 ] || bad "read-only ($cmd): took ${took}ms: the run went ahead"
    grep -q "$dir/ro/.*Read-only file system" "$dir/ro.out" || { bad "read-only ($cmd): message"; cat "$dir/ro.out"; }
  done
  [ $fail -eq 0 ] && echo "ok   read-only: exit 3 before the run: $(head -c 120 "$dir/ro.out")"

  # 3. full: every block taken by a filler file; an empty file (the check
  # before the run) still fits, since it needs an inode and no block
  mount -t tmpfs -o size=64k none "$dir/full"
  head -c 1M /dev/zero >"$dir/full/filler" 2>/dev/null
  mkdir -p "$dir/tmp"
  TMPDIR=$dir/tmp "$bin" run "$dir/b.json" -o "$dir/full/r.json" --quiet >"$dir/full.out" 2>&1
  rc=$?
  [ $rc -eq 3 ] || { bad "disk full: exit $rc, want 3"; cat "$dir/full.out"; }
  grep -q "$dir/full/r.json: .*No space left on device" "$dir/full.out" || { bad "disk full: message"; cat "$dir/full.out"; }
  [ "$(ls -A "$dir/full")" = filler ] || bad "disk full: left behind: $(ls -A "$dir/full")"
  saved=$(sed -n 's/^perfgate: the results were saved to \(.*\) instead$/\1/p' "$dir/full.out")
  if [ -z "$saved" ] || ! python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["budgets"][0]["trials"][0]["requests"] > 0' "$saved"; then
    bad "disk full: the measured results were not saved elsewhere"
  fi
  # reports into the full disk: exit 3, the ones that fit are whole, none half
  "$bin" check "$dir/b.json" --quiet --repo "$dir" --baselines "$dir/none" --html "$dir/full/r.html" \
    --markdown "$dir/full/pr.md" >"$dir/full2.out" 2>&1
  rc=$?
  [ $rc -eq 3 ] || { bad "disk full, reports: exit $rc, want 3"; cat "$dir/full2.out"; }
  ls "$dir/full" | grep -q '\.tmp$' && bad "disk full, reports: a temporary file was left"
  [ ! -e "$dir/full/pr.md" ] || tail -1 "$dir/full/pr.md" | grep -q "<!-- perfgate -->" ||
    bad "disk full, reports: a half-written markdown report"
  [ $fail -eq 0 ] && echo "ok   disk full: exit 3, nothing half-written, results saved to \$TMPDIR"
fi

# 4. two `baseline record` of the same commit at once, 20 times: one whole file
git init -q "$dir/repo"
git -C "$dir/repo" -c user.name=t -c user.email=t@t commit -q --allow-empty -m one
(cd "$dir/repo" && "$bin" run "$dir/b.json" -o "$dir/r1.json" --quiet >/dev/null 2>&1)
(cd "$dir/repo" && "$bin" run "$dir/b.json" -o "$dir/r2.json" --quiet >/dev/null 2>&1)
for _ in $(seq 20); do
  "$bin" baseline record "$dir/r1.json" --repo "$dir/repo" --baselines "$dir/bl" >/dev/null 2>&1 &
  p1=$!
  "$bin" baseline record "$dir/r2.json" --repo "$dir/repo" --baselines "$dir/bl" >/dev/null 2>&1 &
  p2=$!
  wait $p1 || bad "concurrent record: a recorder failed"
  wait $p2 || bad "concurrent record: a recorder failed"
done
n=$(ls "$dir/bl" | wc -l)
[ "$n" -eq 1 ] || bad "concurrent record: $n files in the baselines directory: $(ls "$dir/bl")"
f=$(ls "$dir"/bl/*.json 2>/dev/null | head -1)
if [ -z "$f" ] || ! { cmp -s "$f" "$dir/r1.json" || cmp -s "$f" "$dir/r2.json"; }; then
  bad "concurrent record: the baseline is neither recorded file whole"
fi
[ $fail -eq 0 ] && echo "ok   concurrent baseline record: one whole file after 20 races"
exit $fail
