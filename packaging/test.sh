#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, and runs the whole suite.
# Long fuzz and soak runs stay off unless HUINONG_LONG_TESTS=1. HUINONG_FUZZ=1 also runs the
# libFuzzer targets after the suite (tests/fuzz/run.sh, HUINONG_FUZZ_SECONDS each, 600 by
# default; clang comes with install-deps.sh then); the suite itself only replays the corpora.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="${HUINONG_BUILD_DIR:-$root/build}"

"$root/packaging/install-deps.sh"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHUINONG_BUILD_TESTS=ON
cmake --build "$build" -j"$(nproc)"
cd "$build"
ctest --output-on-failure -j"$(nproc)" "$@"
if [[ "${HUINONG_FUZZ:-0}" == 1 ]]; then
  "$root/tests/fuzz/run.sh" "${HUINONG_FUZZ_SECONDS:-600}"
fi
