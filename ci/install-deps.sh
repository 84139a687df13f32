#!/usr/bin/env bash
# Installs the Debian packages perfgate needs to build and test, only those
# missing, so a second run is quick. Debian 12 (bookworm) package names.
set -euo pipefail

packages=(
  gcc make cmake pkg-config git ca-certificates
  libcurl4-openssl-dev libcjson-dev libxml2-dev libgit2-dev libmicrohttpd-dev libgsl-dev libssl-dev libcmocka-dev
  libxml2-utils curl time python3-yaml cmark-gfm strace valgrind
)
# Extra packages a caller asks for (bench scripts add wrk, nginx).
packages+=("$@")

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
