#!/usr/bin/env bash
# tests/ci/action_modes.sh PERFGATE SOURCE_DIR — the action's install,
# record and comment steps as the action runs them, against local stand-ins:
#   install (action/install.sh):
#     - download: a release tarball and its .sha256 served on 127.0.0.1 are
#       verified, unpacked and run; a wrong checksum, a missing asset and a
#       binary that does not run are each refused with the reason, leaving
#       nothing behind
#     - auto: a cached binary that runs is used as it is; with a release tag
#       ref and the release URL, the download is used (no build)
#     - key: the same for the same source, another for a changed source
#   record (action/record.sh): runs the budget, records onto the branch,
#     pushes it; when another clone pushed first, fetches, records again and
#     pushes (the remote ends with both baselines)
#   comment (action/comment.sh): posts through the fake GitHub API; not when
#     the pull request's head moved; a bad pr-number is an error
set -u
bin=$(realpath "$1")
src=$(realpath "$2")
. "$(dirname "$0")/../cli/lib.sh"
install_sh=$src/action/install.sh
export PATH="$(dirname "$bin"):$PATH"
git() { command git -c user.name=t -c user.email=t@t -c init.defaultBranch=main "$@"; }

# ---- install: download and verify
rel=$dir/release
mkdir -p "$rel/good" "$rel/badsum" "$rel/broken"
cp "$bin" "$dir/perfgate"
tar -czf "$rel/good/perfgate-linux-x86_64.tar.gz" -C "$dir" perfgate
(cd "$rel/good" && sha256sum perfgate-linux-x86_64.tar.gz >perfgate-linux-x86_64.tar.gz.sha256)
cp "$rel/good/perfgate-linux-x86_64.tar.gz" "$rel/badsum/"
echo "0000000000000000000000000000000000000000000000000000000000000000  perfgate-linux-x86_64.tar.gz" \
  >"$rel/badsum/perfgate-linux-x86_64.tar.gz.sha256"
mkdir -p "$dir/broken" && printf '#!/bin/sh\nexit 127\n' >"$dir/broken/perfgate" && chmod +x "$dir/broken/perfgate"
tar -czf "$rel/broken/perfgate-linux-x86_64.tar.gz" -C "$dir/broken" perfgate
(cd "$rel/broken" && sha256sum perfgate-linux-x86_64.tar.gz >perfgate-linux-x86_64.tar.gz.sha256)
(cd "$rel" && exec python3 -m http.server 0 --bind 127.0.0.1) >"$dir/http.log" 2>&1 &
servers+=($!)
for _ in $(seq 100); do grep -qs "port [0-9]" "$dir/http.log" && break; sleep 0.05; done
port=$(sed -n 's/.* port \([0-9]*\) .*/\1/p' "$dir/http.log" | head -1)
[ -n "$port" ] || { echo "FAIL: http.server did not start"; cat "$dir/http.log"; exit 1; }
base="http://127.0.0.1:$port"

expect "download: good" 0 "using the release binary" -- "$install_sh" download "$base/good/perfgate-linux-x86_64.tar.gz" "$dir/bin-good"
"$dir/bin-good/perfgate" --version | grep -q '^perfgate ' || bad "the downloaded binary does not run"
expect "download: bad checksum" 1 "checksum mismatch" -- "$install_sh" download "$base/badsum/perfgate-linux-x86_64.tar.gz" "$dir/bin-badsum"
[ ! -e "$dir/bin-badsum/perfgate" ] || bad "a binary with a bad checksum was installed"
expect "download: missing" 1 "no release binary" -- "$install_sh" download "$base/none/perfgate-linux-x86_64.tar.gz" "$dir/bin-none"
expect "download: does not run" 1 "does not run on this runner" -- "$install_sh" download "$base/broken/perfgate-linux-x86_64.tar.gz" "$dir/bin-broken"
[ ! -e "$dir/bin-broken/perfgate" ] || bad "a binary that does not run was installed"

# ---- install: auto (the runtime libraries are installed already: install-deps finds them)
mkdir -p "$dir/cache"
cp "$bin" "$dir/cache/perfgate"
expect "auto: cached" 0 "using the cached binary" -- env PERFGATE_BIN_DIR="$dir/cache" GITHUB_PATH="$dir/ghpath" \
  PERFGATE_ACTION_REF=main "$install_sh" auto
grep -qx "$dir/cache" "$dir/ghpath" || bad "auto did not put the binary's folder on GITHUB_PATH"
expect "auto: release tag" 0 "using the release binary" -- env PERFGATE_BIN_DIR="$dir/fresh" \
  PERFGATE_ACTION_REF=v1.2.3 PERFGATE_RELEASE_URL="$base/good" "$install_sh" auto
[ -x "$dir/fresh/perfgate" ] || bad "auto did not install the release binary"

# ---- install: key
k1=$("$install_sh" key)
k2=$("$install_sh" key)
[ -n "$k1" ] && [ "$k1" = "$k2" ] || bad "cache key not stable: '$k1' '$k2'"
mkdir -p "$dir/src2" && cp -r "$src/CMakeLists.txt" "$src/src" "$src/action" "$dir/src2/" && mkdir -p "$dir/src2/ci" &&
  cp "$src/ci/install-deps.sh" "$dir/src2/ci/" && echo "/* changed */" >>"$dir/src2/src/main.c"
k3=$(PERFGATE_ACTION_PATH="$dir/src2" "$dir/src2/action/install.sh" key)
[ "$k3" != "$k1" ] || bad "cache key did not change with the source"

# ---- record
start target "$bin" serve --listen 127.0.0.1:0 --quiet
target=$url
git init -q --bare "$dir/origin.git"
git clone -q "$dir/origin.git" "$dir/a" 2>/dev/null
mkdir -p "$dir/a/budgets"
cat >"$dir/a/budgets/svc.json" <<JSON
{ "name": "svc", "target": "$target",
  "load": { "executor": "constant-arrival-rate", "rate": 100, "duration": "1s" },
  "trials": 3, "scenarios": [ { "name": "s", "requests": [ { "path": "/" } ] } ] }
JSON
git -C "$dir/a" add -A && git -C "$dir/a" commit -qm first && git -C "$dir/a" push -q origin main
git clone -q "$dir/origin.git" "$dir/b"
echo x >"$dir/b/x" && git -C "$dir/b" add x && git -C "$dir/b" commit -qm second && git -C "$dir/b" push -q origin main
(cd "$dir/a" && PERFGATE_BASELINES=branch: "$src/action/record.sh") >"$dir/rec-a.out" 2>&1 ||
  { bad "record in a: exit $?"; tail -5 "$dir/rec-a.out"; }
grep -q "pushed perfgate-baselines" "$dir/rec-a.out" || bad "record in a did not push"
# b's local tracking ref is behind: its first push is rejected, then it fetches and records again
(cd "$dir/b" && PERFGATE_BASELINES=branch: "$src/action/record.sh") >"$dir/rec-b.out" 2>&1 ||
  { bad "record in b after a: exit $?"; tail -8 "$dir/rec-b.out"; }
grep -q "rejected\|fetch first" "$dir/rec-b.out" || bad "b's first push was not rejected (the race was not exercised)"
n=$(git -C "$dir/a" ls-remote "$dir/origin.git" refs/heads/perfgate-baselines | wc -l)
[ "$n" -eq 1 ] || bad "the remote has no perfgate-baselines branch"
git -C "$dir/a" fetch -q origin perfgate-baselines:refs/remotes/origin/perfgate-baselines
n=$(git -C "$dir/a" ls-tree --name-only origin/perfgate-baselines | grep -c '\.json\.gz$')
[ "$n" -eq 2 ] || bad "the remote branch holds $n baselines, want the two commits'"
[ -z "$(git -C "$dir/b" status --porcelain)" ] || bad "record changed b's working tree: $(git -C "$dir/b" status --porcelain)"

# ---- comment
mkdir -p "$dir/reports"
echo 7 >"$dir/reports/pr-number"
printf '## perfgate\nall good\n' >"$dir/reports/perfgate.md"
start github python3 "$here/../ci/fake_github.py" abc123 "$dir/api.log"
export GITHUB_API_URL=$url GITHUB_REPOSITORY=o/r GITHUB_TOKEN=t
expect "comment: head moved" 0 "not commenting" -- env PERFGATE_REPORTS="$dir/reports" PERFGATE_HEAD_SHA=def456 "$src/action/comment.sh"
grep -q "^POST" "$dir/api.log" && bad "commented although the head moved"
expect "comment: posted" 0 "" -- env PERFGATE_REPORTS="$dir/reports" PERFGATE_HEAD_SHA=abc123 "$src/action/comment.sh"
grep -q "^POST /repos/o/r/issues/7/comments" "$dir/api.log" || { bad "no comment posted"; cat "$dir/api.log"; }
echo "7; rm -rf /" >"$dir/reports/pr-number"
expect "comment: bad number" 1 "not a pull request number" -- env PERFGATE_REPORTS="$dir/reports" "$src/action/comment.sh"

[ $fail -eq 0 ] && echo "action_modes: all passed"
exit $fail
