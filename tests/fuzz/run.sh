#!/usr/bin/env bash
# Builds the libFuzzer targets with clang into build-fuzz/ and runs each for SECONDS (600 by
# default), one after another, starting from corpus/<target>/. Afterwards the corpus is
# minimised (-merge=1 into a fresh directory) and written back: the hand-made seed-* files
# stay, and at most HUINONG_FUZZ_MAX_FILES (200) files in all, the smallest first.
#
#   tests/fuzz/run.sh [SECONDS] [TARGET...]      e.g. tests/fuzz/run.sh 60 id_number protocol
#
# Prints one line per target (runs, exec/s, cov, ft, corpus files, finding); a finding's
# input is kept in build-fuzz/artifacts/<target>/ and the script exits 1 at the end.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build="${HUINONG_FUZZ_BUILD_DIR:-$root/build-fuzz}"
seconds="${1:-600}"
shift || true
all_targets=(id_number sale_input csv_import protocol idcard_frame escpos_sink policy_file audit_bundle text_check server_url)
targets=("$@")
((${#targets[@]})) || targets=("${all_targets[@]}")
max_files="${HUINONG_FUZZ_MAX_FILES:-200}"
jobs="${HUINONG_FUZZ_JOBS:-$(nproc)}"

command -v clang++ >/dev/null || { echo "run.sh: clang++ is missing (HUINONG_FUZZ=1 packaging/install-deps.sh)" >&2; exit 1; }
CXX=clang++ cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHUINONG_FUZZ=ON \
  -DHUINONG_BUILD_TESTS=OFF -DHUINONG_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" -j"$jobs" --target "${targets[@]/#/fuzz_}"

summary="$build/fuzz-summary.txt"
: >"$summary"
found=0
for t in "${targets[@]}"; do
  exe="$build/tests/fuzz/fuzz_$t"
  corpus="$root/tests/fuzz/corpus/$t"
  work="$build/fuzz-work/$t"
  art="$build/artifacts/$t"
  rm -rf "$work" && mkdir -p "$work/new" "$work/merged" "$art" "$corpus"
  opts=(-max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048
        -artifact_prefix="$art/")
  [[ -f "$root/tests/fuzz/dict/$t.dict" ]] && opts+=(-dict="$root/tests/fuzz/dict/$t.dict")
  echo "== fuzz_$t for ${seconds}s"
  set +e
  "$exe" "${opts[@]}" "$work/new" "$corpus" >"$work/log" 2>&1
  rc=$?
  set -e
  # The last status line ("#N DONE cov: C ft: F corp: ...") and the final stats.
  last=$(grep -E '^#[0-9]+' "$work/log" | tail -1 || true)
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/log" | tail -1)
  [[ -n "$runs" ]] || runs=$(sed -nE 's/^#([0-9]+).*/\1/p' <<<"$last")
  cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$last")
  ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$last")
  finding="none"
  if ((rc != 0)); then
    finding="CRASH (exit $rc): $(ls "$art" | head -1) — see $work/log"
    found=1
  fi
  # Minimise: the seeds and the old corpus and the new finds into a fresh directory.
  "$exe" -merge=1 "$work/merged" "$corpus" "$work/new" >"$work/merge.log" 2>&1 || true
  if compgen -G "$work/merged/*" >/dev/null; then
    find "$corpus" -type f ! -name 'seed-*' -delete
    seeds=$(find "$corpus" -type f -name 'seed-*' | wc -l)
    # libFuzzer names files by the SHA-1 of their content: skip those that are seeds already.
    declare -A seed_sums=()
    while read -r sum _; do seed_sums[$sum]=1; done < <(find "$corpus" -name 'seed-*' -type f -exec sha1sum {} +)
    keep=$((max_files - seeds))
    while read -r _ f; do
      ((keep > 0)) || break
      [[ -n "${seed_sums[$(basename "$f")]:-}" ]] && continue
      cp "$f" "$corpus/" && keep=$((keep - 1))
    done < <(find "$work/merged" -type f -printf '%s %p\n' | sort -n)
    unset seed_sums
  fi
  files=$(find "$corpus" -type f | wc -l)
  line="fuzz_$t: runs ${runs:-?}, exec/s ${rate:-?}, cov ${cov:-?}, ft ${ft:-?}, corpus $files files, finding: $finding"
  echo "$line" | tee -a "$summary"
done
echo "== summary ($summary)"
cat "$summary"
exit "$found"
