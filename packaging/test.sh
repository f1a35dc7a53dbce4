#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, and runs the whole suite.
# Long fuzz and soak runs stay off unless HUINONG_LONG_TESTS=1. HUINONG_FUZZ=1 also runs the
# libFuzzer targets after the suite (tests/fuzz/run.sh, HUINONG_FUZZ_SECONDS each, 600 by
# default; clang comes with install-deps.sh then); the suite itself only replays the corpora.
# Then the core, store and app tests run once more under ASan+UBSan in build-asan/.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="${HUINONG_BUILD_DIR:-$root/build}"

"$root/packaging/install-deps.sh"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHUINONG_BUILD_TESTS=ON
cmake --build "$build" -j"$(nproc)"
(cd "$build" && ctest --output-on-failure -j"$(nproc)" "$@")

# The core, store and use-case tests again under ASan+UBSan (HUINONG_SANITIZE: any finding
# aborts the test), in a build tree of their own with only those targets built.
# HUINONG_SANITIZE_TESTS=0 leaves this out.
if [[ "${HUINONG_SANITIZE_TESTS:-1}" != 0 ]]; then
  asan="${HUINONG_ASAN_BUILD_DIR:-$root/build-asan}"
  cmake -S "$root" -B "$asan" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHUINONG_BUILD_TESTS=ON \
    -DHUINONG_BUILD_BENCH=OFF -DHUINONG_SANITIZE=ON >/dev/null
  cmake --build "$asan" -j"$(nproc)" --target huinong_sanitized_tests
  (cd "$asan" && ctest --output-on-failure -j"$(nproc)" -L '^(core|store|app)$')
fi
if [[ "${HUINONG_FUZZ:-0}" == 1 ]]; then
  "$root/tests/fuzz/run.sh" "${HUINONG_FUZZ_SECONDS:-600}"
fi
