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
# -g1: line tables (backtraces name file and line) without variable locations, which cost
# about a third of the compile time; the build type's other flags stay as CMake sets them.
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHUINONG_BUILD_TESTS=ON \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG"
cmake --build "$build" -j"$(nproc)"

# The core, store and use-case tests again under ASan+UBSan (HUINONG_SANITIZE: any finding
# aborts the test), in a build tree of their own with only those targets built (huinong_sanitized_tests).
# That build runs at the lowest priority while the suite runs, on the CPU the suite leaves idle
# (it waits on processes, Xvfb and sockets much of the time); the suite's tests keep their pace.
# HUINONG_SANITIZE_TESTS=0 leaves this out.
sanitize="${HUINONG_SANITIZE_TESTS:-1}"
if [[ "$sanitize" != 0 ]]; then
  asan="${HUINONG_ASAN_BUILD_DIR:-$root/build-asan}"
  # -O0: about half of -O1's compile time under ASan; without NDEBUG, assertions hold too.
  cmake -S "$root" -B "$asan" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHUINONG_BUILD_TESTS=ON \
    -DHUINONG_BUILD_BENCH=OFF -DHUINONG_SANITIZE=ON -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O0 -g1" >/dev/null
  # setsid: a process group of its own, so that an early exit stops the compilers too.
  setsid nice -n 19 cmake --build "$asan" -j"$(nproc)" --target huinong_sanitized_tests \
    >"$asan/build.log" 2>&1 &
  asan_build=$!
  trap 'kill -- "-$asan_build" 2>/dev/null || true' EXIT
fi

(cd "$build" && ctest --output-on-failure -j"$(nproc)" "$@")

if [[ "$sanitize" != 0 ]]; then
  echo "test.sh: waiting for the ASan+UBSan build (build-asan/build.log)"
  asan_built=0
  wait "$asan_build" || asan_built=$?
  trap - EXIT
  if ((asan_built != 0)); then
    tail -n 60 "$asan/build.log"
    echo "test.sh: the ASan+UBSan build failed (exit $asan_built)" >&2
    exit 1
  fi
  (cd "$asan" && ctest --output-on-failure -j"$(nproc)" -L '^(core|store|app)$')
fi
if [[ "${HUINONG_FUZZ:-0}" == 1 ]]; then
  "$root/tests/fuzz/run.sh" "${HUINONG_FUZZ_SECONDS:-600}"
fi
