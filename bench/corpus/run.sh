#!/usr/bin/env bash
# Import benchmark: hrtrack import of the bulk collections vs `xmllint --noout` merely
# parsing the same files (the floor), at 10%, 50% and 100%. Medians of $RUNS runs.
# With HRTRACK_BASE_BIN (an older hrtrack), that binary is timed in the same runs too, so a
# change is measured against its base under the same load ("vs base").
# Usage: bench/corpus/run.sh   (build first: cmake --preset release && cmake --build build/release)
#        PCTS="10 50" HRTRACK_BASE_BIN=/path/to/old/hrtrack bench/corpus/run.sh
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
unpack_bulk
base=${HRTRACK_BASE_BIN:-}
printf '| size | files | MB | xmllint s | hrtrack s | ratio | files/s | MB/s | sections/s | peak RSS MB |%s\n' \
  "${base:+ base s | base ratio | vs base |}"
printf '|---|---|---|---|---|---|---|---|---|---|%s\n' "${base:+---|---|---|}"
for pct in ${PCTS:-10 50 100}; do
  dir=$(fraction_dir "$pct")
  files=$(find "$dir" -type l | wc -l)
  mb=$(find -L "$dir" -type f -printf '%s\n' | awk '{s+=$1} END {printf "%.1f", s/1e6}')
  rm -f "$work/xmllint.t" "$work/import.t" "$work/base.t"
  for _ in $(seq "$runs"); do
    timed "$work/xmllint.t" sh -c "find '$dir' -type l -print0 | xargs -0 xmllint --noout --nonet"
    if [ -n "$base" ]; then
      rm -rf "$work/data-base"
      timed "$work/base.t" "$base" --data "$work/data-base" import "$dir"
    fi
    rm -rf "$work/data"
    timed "$work/import.t" "$hrtrack" --data "$work/data" import "$dir"
  done
  sections=$(sqlite3 "$work/data/catalogue.sqlite3" 'select count(*) from section')
  x=$(cut -d' ' -f1 "$work/xmllint.t" | median)
  h=$(cut -d' ' -f1 "$work/import.t" | median)
  rss=$(cut -d' ' -f2 "$work/import.t" | median)
  b=0
  [ -n "$base" ] && b=$(cut -d' ' -f1 "$work/base.t" | median)
  awk -v p="$pct" -v f="$files" -v mb="$mb" -v x="$x" -v h="$h" -v s="$sections" -v r="$rss" -v b="$b" 'BEGIN {
    printf "| %d%% | %d | %s | %.2f | %.2f | %.2fx | %.0f | %.1f | %.0f | %.0f |", p, f, mb, x, h, h/x, f/h, mb/h, s/h, r/1024
    if (b > 0) printf " %.2f | %.2fx | %.2fx |", b, b/x, h/b
    printf "\n" }'
done
