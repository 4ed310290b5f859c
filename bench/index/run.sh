#!/usr/bin/env bash
# Index benchmark on the bulk collections (not run in CI): hrtrack index vs omindex (build
# time, peak RSS, size) and hrtrack search vs rg (p50/p99 latency over queries.tsv), at
# fractions of the collections, medians of RUNS runs. See README.md.
#   FRACTIONS="10 50 100" RUNS=3 WORK=/tmp/hrtrack-index-bench bench/index/run.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
HRTRACK="${HRTRACK:-$root/build/idx/app/hrtrack}"
BULK="${BULK:-$root/../shared/bulk}"
WORK="${WORK:-/tmp/hrtrack-index-bench}"
FRACTIONS="${FRACTIONS:-10 50 100}"
RUNS="${RUNS:-3}"
for tool in omindex rg zstd /usr/bin/time python3; do
  command -v "$tool" >/dev/null || { echo "run.sh: needs $tool" >&2; exit 1; }
done
[ -x "$HRTRACK" ] || { echo "run.sh: build hrtrack first ($HRTRACK)" >&2; exit 1; }
mkdir -p "$WORK"
exec python3 "$here/bench.py" "$HRTRACK" "$BULK" "$WORK" "$here/queries.tsv" "$FRACTIONS" "$RUNS"
