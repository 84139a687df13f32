#!/usr/bin/env bash
# action/comment.sh — the action's comment mode: posts or updates the sticky
# pull-request comment from a downloaded perfgate-reports artifact (the
# markdown report and pr-number the gate wrote). The number comes from
# another run's artifact, so with PERFGATE_HEAD_SHA the comment goes only to
# a pull request whose head is still that commit.
#
# Environment: GITHUB_TOKEN, GITHUB_API_URL, GITHUB_REPOSITORY (as Actions
# sets them), PERFGATE_REPORTS (default perfgate-reports), PERFGATE_HEAD_SHA.
set -euo pipefail
reports=${PERFGATE_REPORTS:-perfgate-reports}
[ -f "$reports/pr-number" ] || { echo "perfgate comment: no $reports/pr-number (not a pull request's run)"; exit 0; }
pr=$(cat "$reports/pr-number")
[[ "$pr" =~ ^[0-9]+$ ]] || { echo "::error title=perfgate comment::$reports/pr-number is not a pull request number"; exit 1; }
[ -f "$reports/perfgate.md" ] || { echo "::error title=perfgate comment::no $reports/perfgate.md"; exit 1; }
if [ -n "${PERFGATE_HEAD_SHA:-}" ]; then
  head=$(curl -fsS -H "Authorization: Bearer $GITHUB_TOKEN" -H "Accept: application/vnd.github+json" \
    "${GITHUB_API_URL:-https://api.github.com}/repos/$GITHUB_REPOSITORY/pulls/$pr" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["head"]["sha"])')
  if [ "$head" != "$PERFGATE_HEAD_SHA" ]; then
    echo "perfgate comment: PR #$pr is not at $PERFGATE_HEAD_SHA (now $head); not commenting"
    exit 0
  fi
fi
perfgate comment --pr "$pr" --body "$reports/perfgate.md"
