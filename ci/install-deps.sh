#!/usr/bin/env bash
# Installs the Debian packages perfgate needs, only those missing, so a
# second run is quick. Debian 12 (bookworm) and Ubuntu package names.
# usage: ci/install-deps.sh [--mode build|test|runtime] [--list] [extra packages...]
#   build    what compiling the perfgate binary needs (cmake -DBUILD_TESTING=OFF)
#   test     build, plus the test toolchain (cmocka, valgrind, strace, ...);
#            the default, what ci/test.sh needs
#   runtime  the shared libraries a prebuilt perfgate binary links, found as
#            what the -dev packages of build depend on, so the names are right
#            on each release (libgit2-1.5 on Debian 12, libgit2-1.7 on Ubuntu 24.04)
#   --list   print the mode's packages, install nothing
# Extra packages are installed too (bench scripts add wrk, nginx).
set -euo pipefail

mode=test list=0
while [ $# -gt 0 ]; do
  case $1 in
    --mode) mode=${2:?"--mode needs build, test or runtime"}; shift 2 ;;
    --list) list=1; shift ;;
    *) break ;;
  esac
done

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
updated=0
update() {
  [ $updated -eq 1 ] || $sudo apt-get update -qq
  updated=1
}

dev=(libcurl4-openssl-dev libcjson-dev libxml2-dev libgit2-dev libmicrohttpd-dev libgsl-dev nettle-dev zlib1g-dev libhttp-parser-dev)
build=(gcc make cmake pkg-config ca-certificates "${dev[@]}")
test=(git libcmocka-dev libxml2-utils curl time python3-yaml cmark-gfm strace valgrind)

# the shared-library packages the -dev packages depend on
runtime_packages() {
  apt-cache depends "${dev[@]}" 2>/dev/null |
    awk '/^[^ ]/ { dev = $1 } /^ .Depends: / && $2 !~ /-dev$/ && $2 !~ /^</ { print $2 }' | sort -u
}

case $mode in
  runtime)
    mapfile -t packages < <(runtime_packages)
    if [ ${#packages[@]} -lt ${#dev[@]} ]; then
      update # a fresh machine has no package lists to ask
      mapfile -t packages < <(runtime_packages)
    fi
    packages+=(ca-certificates)
    ;;
  build) packages=("${build[@]}") ;;
  test) packages=("${build[@]}" "${test[@]}") ;;
  *)
    echo "install-deps: --mode $mode: want build, test or runtime" >&2
    exit 2
    ;;
esac
packages+=("$@")
if [ $list -eq 1 ]; then
  printf '%s\n' "${packages[@]}"
  exit 0
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages of mode $mode present"
  exit 0
fi

echo "install-deps ($mode): installing ${missing[*]}"
update
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
