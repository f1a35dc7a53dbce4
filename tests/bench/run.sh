#!/bin/sh
# Builds huinong_bench in Release and runs it: tests/bench/run.sh [huinong_bench arguments]
#   tests/bench/run.sh                  # all benchmarks, default sizes (minutes: the first run
#                                       # generates a 1M-sale store, cached in /tmp/huinong-bench)
#   tests/bench/run.sh checkout         # one benchmark
#   tests/bench/run.sh policy --sales 100000 --dir /var/tmp/hb
# A missed budget prints MISSED and still exits 0; only a build failure or a benchmark that
# could not run at all exits non-zero. Build directory: $HUINONG_BENCH_BUILD_DIR, else
# build-bench/ at the top of the source tree.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${HUINONG_BENCH_BUILD_DIR:-$root/build-bench}
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DHUINONG_BUILD_TESTS=ON -DHUINONG_BUILD_BENCH=ON >/dev/null
cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" --target huinong_bench
echo "== $(date '+%Y-%m-%d %H:%M:%S') $(uname -srm), git $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?') =="
exec "$build/tests/bench/huinong_bench" "$@"
