#!/usr/bin/env bash
# Runs every libFuzzer harness for SECONDS (default 60) each, seeded from the real
# legislation in ../shared. A crash leaves its input in $work/crashes/<harness>/: minimise it
# (harness -minimize_crash=1 FILE), commit it under tests/fuzz/regressions/<harness>/ and fix.
# Usage: tests/fuzz/run.sh [SECONDS]     (after: cmake --preset fuzz && cmake --build --preset fuzz)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
shared=${HRTRACK_SHARED:-$root/../shared}
seconds=${1:-60}
build=$root/build/fuzz/tests/fuzz
work=${HRTRACK_FUZZ_DIR:-/tmp/hrtrack-fuzz}
mkdir -p "$work"

# Seeds: each real document behind a 0 byte (format detection), cut to 16 KiB; sentences
# for the citation extractor.
seed() {
  local dir=$work/seeds/$1
  [ -d "$dir" ] && return
  mkdir -p "$dir"
  local i=0
  find "$shared/legislation" -type f \( -name '*.xml' -o -name '*.md' \) | sort | while read -r f; do
    { printf '\0'; head -c 16384 "$f"; } > "$dir/doc$i"
    i=$((i + 1))
  done
}

status=0
for harness in fuzz_parse fuzz_citations; do
  seed "$harness"
  mkdir -p "$work/corpus/$harness" "$work/crashes/$harness"
  echo "== $harness, ${seconds}s"
  if ! "$build/$harness" -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
       -print_final_stats=1 -artifact_prefix="$work/crashes/$harness/" \
       "$work/corpus/$harness" "$work/seeds/$harness" 2> "$work/$harness.log"; then
    status=1
    echo "$harness: CRASH, input in $work/crashes/$harness/"
  fi
  grep -E 'stat::number_of_executed_units|stat::peak_rss_mb' "$work/$harness.log" || true
done
exit $status
