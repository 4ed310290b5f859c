#!/usr/bin/env bash
# Import benchmark: hrtrack import of the bulk collections vs `xmllint --noout` merely
# parsing the same files (the floor), at 10%, 50% and 100%. Medians of $RUNS runs.
# Usage: bench/corpus/run.sh   (build first: cmake --preset release && cmake --build build/release)
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
unpack_bulk
printf '| size | files | MB | xmllint s | hrtrack s | ratio | files/s | MB/s | sections/s | peak RSS MB |\n'
printf '|---|---|---|---|---|---|---|---|---|---|\n'
for pct in 10 50 100; do
  dir=$(fraction_dir "$pct")
  files=$(find "$dir" -type l | wc -l)
  mb=$(find -L "$dir" -type f -printf '%s\n' | awk '{s+=$1} END {printf "%.1f", s/1e6}')
  rm -f "$work/xmllint.t" "$work/import.t"
  for _ in $(seq "$runs"); do
    timed "$work/xmllint.t" sh -c "find '$dir' -type l -print0 | xargs -0 xmllint --noout --nonet"
    rm -rf "$work/data"
    timed "$work/import.t" "$hrtrack" --data "$work/data" import "$dir"
  done
  sections=$(sqlite3 "$work/data/catalogue.sqlite3" 'select count(*) from section')
  x=$(cut -d' ' -f1 "$work/xmllint.t" | median)
  h=$(cut -d' ' -f1 "$work/import.t" | median)
  rss=$(cut -d' ' -f2 "$work/import.t" | median)
  awk -v p="$pct" -v f="$files" -v mb="$mb" -v x="$x" -v h="$h" -v s="$sections" -v r="$rss" 'BEGIN {
    printf "| %d%% | %d | %s | %.2f | %.2f | %.2fx | %.0f | %.1f | %.0f | %.0f |\n", p, f, mb, x, h, h/x, f/h, mb/h, s/h, r/1024 }'
done
