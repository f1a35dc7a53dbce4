#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, and runs the whole suite.
# Long fuzz and soak runs stay off unless HUINONG_LONG_TESTS=1.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="${HUINONG_BUILD_DIR:-$root/build}"

"$root/packaging/install-deps.sh"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHUINONG_BUILD_TESTS=ON
cmake --build "$build" -j"$(nproc)"
cd "$build"
ctest --output-on-failure -j"$(nproc)" "$@"
