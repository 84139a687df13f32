#!/usr/bin/env bash
# Configures and builds perfgate into DIR with extra cmake flags.
# usage: ci/build.sh DIR [cmake flags...]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$1
shift
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$dir" -j"$(nproc)"
