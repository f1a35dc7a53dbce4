#!/usr/bin/env bash
# Every budget of DESIGN.md "Budgets", measured, in one table:
#
#   tests/bench/all.sh [--sales N] [--dir DIR]      (--sales and --dir go to huinong_bench)
#
# Builds the benchmark programs in Release (build-bench/, or $HUINONG_BENCH_BUILD_DIR), then runs,
# one after another so that none measures beside another: huinong_bench checkout, policy and
# report (each its own process, so each has its own peak RSS; the 1M-sale store is generated on
# the first run and cached in DIR), sync_bench (10,000 sales uploaded to the sandbox on
# loopback), decode_bench (label decode against ZXing) and gui_bench (the counter screen under
# Xvfb). Each program's full output goes to build-bench/bench-logs/NAME.log; the table is made
# of the "@budget" and "@rss" lines they print (tests/bench/budget_line.hpp).
#
# "ratio" is the measured figure over the budget (for a budget that is a multiple of a floor,
# the measured multiple over the allowed one): up to 1.00 is met. A missed budget never makes
# the exit status non-zero; a program that could not run does (1), as does a build failure.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${HUINONG_BENCH_BUILD_DIR:-$root/build-bench}
logs="$build/bench-logs"
bench_args=("$@")

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DHUINONG_BUILD_TESTS=ON -DHUINONG_BUILD_BENCH=ON >/dev/null ||
  exit 1
cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" --target huinong_bench sync_bench decode_bench gui_bench \
  huinong huinong-pos huinong-sandbox huinong_translations || exit 1
mkdir -p "$logs"

started=$(date '+%Y-%m-%d %H:%M:%S')
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
rc=0
run() {  # NAME COMMAND...: runs it, its output to the log and to the terminal
  local name=$1
  shift
  echo "== $name: $* ==" | tee "$logs/$name.log"
  "$@" 2>&1 | tee -a "$logs/$name.log"
  local status=${PIPESTATUS[0]}
  if ((status != 0)); then
    echo "!! $name exited with $status" | tee -a "$logs/$name.log"
    rc=1
  fi
}
run checkout "$build/tests/bench/huinong_bench" checkout "${bench_args[@]}"
run policy "$build/tests/bench/huinong_bench" policy "${bench_args[@]}"
run report "$build/tests/bench/huinong_bench" report "${bench_args[@]}"
run upload "$build/tests/sync/sync_bench" --sales 10000
run decode "$build/tests/hardware/imaging/decode_bench"
run counter "$build/tests/gui/gui_bench"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

budgets=$(cat "$logs"/{checkout,policy,report,upload,decode,counter}.log | grep '^@budget' || true)
rss=$(cat "$logs"/{checkout,policy,report,upload,decode,counter}.log | grep '^@rss' || true)
echo
echo "== DESIGN.md budgets, $started, $(uname -srm), $(nproc) CPUs, git $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?') =="
echo "load average before $load_before, after $load_after (other work on the machine shows in the tails)"
printf '%-46s %-38s %-22s %6s  %s\n' "budget" "measured" "limit" "ratio" "verdict"
while IFS=$'\t' read -r _ what measured limit ratio verdict; do
  [[ -n "$what" ]] && printf '%-46s %-38s %-22s %6s  %s\n' "$what" "$measured" "$limit" "$ratio" "$verdict"
done <<<"$budgets"
for expected in "checkout commit" "policy check" "label decode" "upload of" "daily report" "counter: scan"; do
  grep -q "	$expected" <<<"$budgets" || { echo "(no figure for: $expected; see $logs)"; rc=1; }
done
echo
printf '%-60s %s\n' "peak resident set (MiB)" ""
while IFS=$'\t' read -r _ process mib; do
  [[ -n "$process" ]] && printf '%-60s %8s\n' "$process" "$mib"
done <<<"$rss"
echo "(full outputs: $logs/)"
exit $rc
