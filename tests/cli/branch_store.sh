#!/usr/bin/env bash
# tests/cli/branch_store.sh PERFGATE — baselines on a branch of their own
# (--baselines branch:NAME), checked with git itself:
#   - record commits to perfgate-baselines and nothing else: git status is
#     clean, HEAD and main stay, no baselines/ folder appears
#   - the stored blob is gzip of the results, at most 16 KB for one budget
#     of six trials (git ls-tree -l)
#   - a clone sees it as origin/perfgate-baselines and finds, compares and
#     records on top of it; git accepts the push as a fast-forward
#   - a push that lost a race: fetch, record again, push again
#   - prune --keep 1 --squash leaves one commit, pushed with --force
set -u
bin=$(realpath "$1")
. "$(dirname "$0")/lib.sh"
git() { command git -c user.name=t -c user.email=t@t -c init.defaultBranch=main "$@"; }

start target "$bin" serve --listen 127.0.0.1:0 --quiet
cat >"$dir/budget.json" <<JSON
{ "name": "smoke", "target": "$url",
  "load": { "executor": "constant-arrival-rate", "rate": 200, "duration": "1500ms" },
  "trials": 6, "scenarios": [ { "name": "s", "requests": [ { "path": "/" } ] } ] }
JSON
git init -q --bare "$dir/origin.git"
git init -q "$dir/a"
echo "service" >"$dir/a/app.txt"
git -C "$dir/a" add app.txt
git -C "$dir/a" commit -qm first
git -C "$dir/a" remote add origin "$dir/origin.git"
git -C "$dir/a" push -q origin main
(cd "$dir/a" && "$bin" run "$dir/budget.json" -o "$dir/r1.json" -q >/dev/null 2>&1) || bad "run 1"
c1=$(git -C "$dir/a" rev-parse HEAD)

(cd "$dir/a" && "$bin" baseline record "$dir/r1.json" --baselines branch:) >"$dir/rec.out" 2>&1 ||
  { bad "record on a branch: exit $?"; cat "$dir/rec.out"; }
grep -q "recorded branch:perfgate-baselines:$c1.json.gz" "$dir/rec.out" || { bad "record says where"; cat "$dir/rec.out"; }
[ -z "$(git -C "$dir/a" status --porcelain)" ] || bad "the working tree changed: $(git -C "$dir/a" status --porcelain)"
[ "$(git -C "$dir/a" symbolic-ref HEAD)" = refs/heads/main ] || bad "HEAD moved"
[ "$(git -C "$dir/a" rev-parse main)" = "$c1" ] || bad "main moved"
[ ! -e "$dir/a/baselines" ] || bad "a baselines/ folder appeared"
size=$(git -C "$dir/a" ls-tree -l perfgate-baselines "$c1.json.gz" | awk '{print $4}')
[ -n "$size" ] && [ "$size" -le 16384 ] || bad "stored blob of one budget is ${size:-missing} bytes, want <= 16384"
raw=$(stat -c %s "$dir/r1.json")
echo "branch_store: one budget of 6 trials: results $raw bytes, stored blob $size bytes"
git -C "$dir/a" show "perfgate-baselines:$c1.json.gz" | gzip -dc | cmp -s - "$dir/r1.json" ||
  bad "the blob is not gzip of the results"
git -C "$dir/a" show perfgate-baselines:README.md | grep -q "perfgate baselines" || bad "no README on the branch"
git -C "$dir/a" push -q origin perfgate-baselines || bad "push the new branch"

# a clone: only origin/perfgate-baselines
git clone -q "$dir/origin.git" "$dir/b"
git -C "$dir/b" rev-parse -q --verify refs/heads/perfgate-baselines >/dev/null && bad "the clone has a local branch already"
echo "change" >>"$dir/b/app.txt"
git -C "$dir/b" commit -qam second
c2=$(git -C "$dir/b" rev-parse HEAD)
expect "find through origin" 0 "^$c1 1 branch:perfgate-baselines:$c1.json.gz" -- \
  bash -c "cd '$dir/b' && '$bin' baseline find --baselines branch: --base main"
(cd "$dir/b" && "$bin" run "$dir/budget.json" -o "$dir/r2.json" -q >/dev/null 2>&1) || bad "run 2"
# (the verdict itself is another test's: here, that the branch's baseline is the one compared with)
(cd "$dir/b" && "$bin" compare "$dir/r2.json" --baselines branch: --base main) >"$dir/cmp.out" 2>&1
rc=$?
{ [ $rc -le 1 ] && grep -q "baseline: ${c1:0:12}" "$dir/cmp.out"; } ||
  { bad "compare with the branch's baseline: exit $rc"; tail -5 "$dir/cmp.out"; }
(cd "$dir/b" && "$bin" baseline record "$dir/r2.json" --baselines branch: >/dev/null) || bad "record in the clone"
[ "$(git -C "$dir/b" rev-parse perfgate-baselines^)" = "$(git -C "$dir/b" rev-parse origin/perfgate-baselines)" ] ||
  bad "the record is not on top of origin's branch"
[ -z "$(git -C "$dir/b" status --porcelain)" ] || bad "the clone's working tree changed"

# repository a records too (say, a later commit there) and pushes first
echo "third" >>"$dir/a/app.txt"
git -C "$dir/a" commit -qam third
(cd "$dir/a" && "$bin" run "$dir/budget.json" -o "$dir/r3.json" -q >/dev/null 2>&1) || bad "run 3"
(cd "$dir/a" && "$bin" baseline record "$dir/r3.json" --baselines branch: >/dev/null) || bad "record in a"
git -C "$dir/a" push -q origin perfgate-baselines || bad "a's push (fast-forward)"
# b lost the race: rejected, then fetch, record again, push again
git -C "$dir/b" push -q origin perfgate-baselines 2>/dev/null && bad "a push behind the remote was accepted"
git -C "$dir/b" fetch -q origin
(cd "$dir/b" && "$bin" baseline record "$dir/r2.json" --baselines branch: >/dev/null) || bad "record again"
git -C "$dir/b" push -q origin perfgate-baselines || bad "the push after fetching and recording again"
n=$(git -C "$dir/b" ls-tree --name-only origin/perfgate-baselines | grep -c '\.json\.gz$')
[ "$n" -eq 3 ] || bad "the remote branch holds $n baselines, want 3"
expect "list" 0 "second" -- bash -c "cd '$dir/b' && '$bin' baseline list --baselines branch:"

# prune to one, squashed: one parentless commit
expect "prune" 0 "removed 2 baselines" -- \
  bash -c "cd '$dir/b' && '$bin' baseline prune --keep 1 --squash --baselines branch:"
[ "$(git -C "$dir/b" rev-list --count perfgate-baselines)" -eq 1 ] || bad "squashed branch has more than one commit"
[ "$(git -C "$dir/b" ls-tree --name-only perfgate-baselines | grep -c '\.json\.gz$')" -eq 1 ] || bad "prune kept more than one"
git -C "$dir/b" push -q --force origin perfgate-baselines || bad "force push of the squashed branch"
[ -z "$(git -C "$dir/b" status --porcelain)" ] || bad "prune changed the working tree"

[ $fail -eq 0 ] && echo "branch_store: all passed"
exit $fail
