#!/usr/bin/env bash
# action/record.sh — the action's record mode: runs the budgets against this
# commit's service and stores the results as this commit's baseline; on a
# branch store, pushes the branch, and when the push is rejected because the
# branch moved (another record won the race), fetches it, records again on
# top and pushes again. Pushing with the job's GITHUB_TOKEN starts no workflow.
#
# Environment (the action's inputs):
#   PERFGATE_BUDGETS    budget files (split and globbed)
#   PERFGATE_ARGS       more options for perfgate run
#   PERFGATE_BASELINES  branch:NAME or a folder
#   PERFGATE_PUSH       "true": push a branch store
#   PERFGATE_HEAD_URL   the service start-head started (else the budgets' or args' target)
#   PERFGATE_RESULTS    where the results go (default in $RUNNER_TEMP, out of the working tree)
#   PERFGATE_REMOTE     (default origin)
set -euo pipefail
results=${PERFGATE_RESULTS:-${RUNNER_TEMP:-/tmp}/perfgate-results-$$.json}
store=${PERFGATE_BASELINES:-branch:perfgate-baselines}
remote=${PERFGATE_REMOTE:-origin}
target=()
[ -z "${PERFGATE_HEAD_URL:-}" ] || target=(--target "$PERFGATE_HEAD_URL")

set +e
# shellcheck disable=SC2086 # budgets and args are meant to split and glob
perfgate run ${PERFGATE_BUDGETS:-budgets/*.json} "${target[@]}" ${PERFGATE_ARGS:-} -o "$results"
rc=$?
set -e
# a broken threshold on main is still the truth of this commit: record it
[ $rc -le 1 ] || { echo "::error title=perfgate record::the run failed (exit $rc); nothing recorded"; exit $rc; }

# libgit2 signs the baselines commit with the repository's identity
git config user.name >/dev/null || git config user.name "github-actions[bot]"
git config user.email >/dev/null || git config user.email "41898282+github-actions[bot]@users.noreply.github.com"
perfgate baseline record "$results" --baselines "$store"

if [[ "$store" != branch:* ]]; then
  echo "perfgate record: baselines are in the folder $store; commit them yourself (or use branch:NAME)"
  exit 0
fi
[ "${PERFGATE_PUSH:-true}" = true ] || exit 0
branch=${store#branch:}
branch=${branch:-perfgate-baselines}
for attempt in 1 2 3 4 5; do
  if git push "$remote" "refs/heads/$branch:refs/heads/$branch"; then
    echo "perfgate record: pushed $branch"
    exit 0
  fi
  # the branch moved: take the remote's and record on top of it again
  sleep $((attempt * 2))
  git fetch "$remote" "+refs/heads/$branch:refs/remotes/$remote/$branch"
  perfgate baseline record "$results" --baselines "$store"
done
echo "::error title=perfgate record::could not push $branch after 5 attempts"
exit 1
