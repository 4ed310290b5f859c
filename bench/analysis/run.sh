#!/usr/bin/env bash
# Analysis benchmark: `hrtrack analyze --jurisdiction X` (every provision, reviews merged,
# answers stored) on the shared legislation, per jurisdiction, cold (a fresh process, nothing
# cached), medians of $RUNS runs; then `timeline CA` with the CDSA history (28 dated versions
# in two languages) and `evaluate` on the development labels. The target is < 1 s per
# jurisdiction.
# Usage: bench/analysis/run.sh   (build first: cmake --preset release && cmake --build build/release)
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
data="$work/analysis-data"
rm -rf "$data"
"$hrtrack" --data "$data" import "$HRTRACK_SHARED/legislation" "$HRTRACK_SHARED/legislation/history/CA" > /dev/null 2>&1 || true
"$hrtrack" --data "$data" index > /dev/null 2>&1
printf '| command | median s | peak RSS MB |\n|---|---|---|\n'
row() {
  local name=$1; shift
  rm -f "$work/analysis.t"
  for _ in $(seq "$runs"); do timed "$work/analysis.t" "$hrtrack" --data "$data" "$@"; done
  awk -v n="$name" -v s="$(cut -d' ' -f1 "$work/analysis.t" | median)" \
      -v r="$(cut -d' ' -f2 "$work/analysis.t" | median)" 'BEGIN { printf "| %s | %.2f | %.0f |\n", n, s, r/1024 }'
}
for j in CA DE US NL GB EU IT UY ZA TZ; do row "analyze --jurisdiction $j" analyze --jurisdiction "$j"; done
row "analyze (all jurisdictions, ranked)" analyze
row "timeline CA (history)" timeline CA
row "evaluate labels-dev" evaluate --labels "$HRTRACK_SHARED/eval/labels-dev.json"
