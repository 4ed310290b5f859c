#!/usr/bin/env bash
# Analysis benchmark, on the store `hrtrack crawl --mirror ../shared/legislation --replay-history`
# and `hrtrack index` build (every jurisdiction, every dated history): cold runs (a fresh
# copy of the analysed-nothing data folder each time, a fresh process), medians of $RUNS runs
# with peak RSS, of
#   analyze                      every jurisdiction: answers, scores, rank ranges (and the
#                                timelines it stores) - the target is < 5 s
#   timeline CZ                  zákon 167/1998 with its 33 dated versions - < 2 s
#   timeline CA                  the CDSA with its 28 dated versions in two languages - < 2 s
#   analyze --jurisdiction CA    one jurisdiction
#   evaluate labels-dev          the development labels
# With HRTRACK_BASE_BIN (an older hrtrack), that binary builds its own data folder and is timed
# in the same runs, interleaved, so a change is measured against its base under the same load.
# Usage: bench/analysis/run.sh   (build first: cmake --preset release && cmake --build build/release)
#        HRTRACK_BASE_BIN=/path/to/old/hrtrack RUNS=5 bench/analysis/run.sh
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
base=${HRTRACK_BASE_BIN:-}

# prepare BIN DIR: the crawled and indexed store, analysed nothing yet; both binaries read
# this repository's sources/ (an older one's own registry may list fewer jurisdictions). A
# binary too old for these sources imports the histories, then the current texts, instead.
prepare() {
  rm -rf "$2"
  if ! "$1" --data "$2" crawl --sources "$root/sources" --mirror "$HRTRACK_SHARED/legislation" --replay-history \
       > /dev/null 2>> "$work/stderr.log" && [ "$("$1" --data "$2" instruments 2> /dev/null | wc -l)" -lt 2 ]; then
    echo "$1: cannot crawl with $root/sources; imported instead" >&2
    rm -rf "$2"
    "$1" --data "$2" import "$HRTRACK_SHARED"/legislation/history/* "$HRTRACK_SHARED/legislation" \
      > /dev/null 2>> "$work/stderr.log" || true
  fi
  "$1" --data "$2" index > /dev/null 2>> "$work/stderr.log"
  echo "$1: $("$1" --data "$2" instruments 2> /dev/null | wc -l) lines of instruments held" >&2
}
prepare "$hrtrack" "$work/analysis-head"
[ -n "$base" ] && prepare "$base" "$work/analysis-base"

# cold OUT BIN PRISTINE ARGS...: BIN on a fresh copy of PRISTINE; appends "wall cpu peak_kb"
# to OUT (cpu: user + system, what a loaded machine's wall time hides). A failed run is a
# benchmark error, not a fast run.
cold() {
  local out=$1 bin=$2 pristine=$3; shift 3
  rm -rf "$work/analysis-run" && cp -a "$pristine" "$work/analysis-run"
  if ! /usr/bin/time -f "%e %U %S %M" -o "$out.one" "$bin" --data "$work/analysis-run" "$@" > /dev/null 2>> "$work/stderr.log"; then
    echo "failed: $bin $*" >&2
    exit 1
  fi
  awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$out.one" >> "$out"
}

printf '| command | median s | cpu s | peak RSS MB |%s\n' "${base:+ base s | base cpu s | base peak RSS MB | vs base (wall) | vs base (cpu) |}"
printf '|---|---|---|---|%s\n' "${base:+---|---|---|---|---|}"
row() {
  local name=$1; shift
  rm -f "$work/analysis.t" "$work/analysis-base.t"
  for _ in $(seq "$runs"); do
    [ -n "$base" ] && cold "$work/analysis-base.t" "$base" "$work/analysis-base" "$@"
    cold "$work/analysis.t" "$hrtrack" "$work/analysis-head" "$@"
  done
  local f=(0 0 0) b=(0 0 0) i
  for i in 1 2 3; do
    f[i-1]=$(cut -d' ' -f"$i" "$work/analysis.t" | median)
    [ -n "$base" ] && b[i-1]=$(cut -d' ' -f"$i" "$work/analysis-base.t" | median)
  done
  awk -v n="$name" -v s="${f[0]}" -v c="${f[1]}" -v r="${f[2]}" -v bs="${b[0]}" -v bc="${b[1]}" -v br="${b[2]}" 'BEGIN {
    printf "| %s | %.2f | %.2f | %.0f |", n, s, c, r/1024
    if (bs > 0) printf " %.2f | %.2f | %.0f | %.2fx | %.2fx |", bs, bc, br/1024, s/bs, (bc > 0 ? c/bc : 0)
    printf "\n" }'
}
row "analyze (all jurisdictions, ranked)" analyze
row "timeline CZ (zákon 167/1998: 33 versions)" timeline CZ
row "timeline CA (CDSA, 28 versions)" timeline CA
row "analyze --jurisdiction CA" analyze --jurisdiction CA
row "evaluate labels-dev" evaluate --labels "$HRTRACK_SHARED/eval/labels-dev.json"
