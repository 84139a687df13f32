#!/usr/bin/env bash
# action/install.sh key|auto|download|build — how the perfgate action gets its
# binary, fastest first:
#   1. a binary the action cached for this source and runner image
#      (actions/cache, keyed by `key`), if it runs;
#   2. the release's binary, when the action's ref is a release tag (v*):
#      perfgate-linux-x86_64.tar.gz and its .sha256 from the release, used
#      only when the checksum matches and `perfgate --version` runs (it links
#      the runner image's libraries: it was built on ubuntu-latest);
#   3. a build from the action's source with the build dependencies only
#      (ci/install-deps.sh --mode build, cmake -DBUILD_TESTING=OFF).
# The binary ends in $PERFGATE_BIN_DIR, which goes on $GITHUB_PATH.
#
#   key                 prints the cache key: the source's hash and the runner image
#   auto                1, else 2, else 3
#   download URL DIR    fetches URL (the .tar.gz; URL.sha256 beside it),
#                       verifies and unpacks perfgate into DIR; exit 1 with
#                       the reason, leaving nothing in DIR, when any step fails
#   build DIR           builds into DIR
#
# Environment: PERFGATE_ACTION_PATH (the action's source, default: this
# script's parent), PERFGATE_ACTION_REF and PERFGATE_ACTION_REPO (github.action_ref
# and github.action_repository), PERFGATE_RELEASE_URL (default
# $GITHUB_SERVER_URL/REPO/releases/download/REF), PERFGATE_BIN_DIR.
set -euo pipefail
src=${PERFGATE_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}
asset=perfgate-linux-x86_64.tar.gz
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo

log() { echo "perfgate install: $*"; }

runs() { # runs BIN: the binary starts and says its version
  "$1" --version 2>/dev/null | grep -q '^perfgate '
}

cache_key() {
  local h
  h=$(cd "$src" && find CMakeLists.txt src ci/install-deps.sh -type f -print0 | sort -z |
    xargs -0 sha256sum | sha256sum | cut -c1-16)
  echo "perfgate-${ImageOS:-$(. /etc/os-release && echo "$ID$VERSION_ID")}-${ImageVersion:-0}-$(uname -m)-$h"
}

download() { # download URL DIR
  local url=$1 dest=$2 tmp want got
  tmp=$(mktemp -d)
  if ! curl -fsSL --retry 2 -o "$tmp/$asset" "$url" || ! curl -fsSL --retry 2 -o "$tmp/$asset.sha256" "$url.sha256"; then
    log "no release binary at $url"
    rm -rf "$tmp"
    return 1
  fi
  want=$(awk '{print $1; exit}' "$tmp/$asset.sha256")
  got=$(sha256sum "$tmp/$asset" | awk '{print $1}')
  if [ -z "$want" ] || [ "$want" != "$got" ]; then
    log "checksum mismatch for $url (want ${want:-nothing}, got $got): not using it"
    rm -rf "$tmp"
    return 1
  fi
  if ! tar -xzf "$tmp/$asset" -C "$tmp" perfgate || ! runs "$tmp/perfgate"; then
    log "the release binary does not run on this runner (other system libraries?): not using it"
    rm -rf "$tmp"
    return 1
  fi
  mkdir -p "$dest"
  install -m 0755 "$tmp/perfgate" "$dest/perfgate"
  rm -rf "$tmp"
  log "using the release binary of $url (sha256 $got)"
}

build() { # build DIR
  local dest=$1 b
  b=$(mktemp -d)
  $sudo "$src/ci/install-deps.sh" --mode build
  cmake -S "$src" -B "$b" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
  cmake --build "$b" --target perfgate -j "$(nproc)"
  mkdir -p "$dest"
  install -m 0755 "$b/perfgate" "$dest/perfgate"
  rm -rf "$b"
  log "built perfgate from $src"
}

auto() {
  local dest=${PERFGATE_BIN_DIR:?} ref=${PERFGATE_ACTION_REF:-} url
  # a cached or downloaded binary needs the shared libraries it links
  if [ -x "$dest/perfgate" ]; then
    $sudo "$src/ci/install-deps.sh" --mode runtime
    if runs "$dest/perfgate"; then
      log "using the cached binary ($("$dest/perfgate" --version))"
      return 0
    fi
    log "the cached binary does not run here: building again"
    rm -f "$dest/perfgate"
  fi
  if [[ "$ref" =~ ^v[0-9] ]] && [ -n "${PERFGATE_ACTION_REPO:-}${PERFGATE_RELEASE_URL:-}" ]; then
    url=${PERFGATE_RELEASE_URL:-${GITHUB_SERVER_URL:-https://github.com}/${PERFGATE_ACTION_REPO}/releases/download/$ref}/$asset
    $sudo "$src/ci/install-deps.sh" --mode runtime
    download "$url" "$dest" && return 0
  fi
  build "$dest"
}

case "${1:-}" in
key) cache_key ;;
auto)
  auto
  [ -z "${GITHUB_PATH:-}" ] || echo "$PERFGATE_BIN_DIR" >>"$GITHUB_PATH"
  "$PERFGATE_BIN_DIR/perfgate" --version
  ;;
download) download "${2:?URL}" "${3:?DIR}" ;;
build) build "${2:?DIR}" ;;
*)
  echo "usage: action/install.sh key|auto|download URL DIR|build DIR" >&2
  exit 2
  ;;
esac
