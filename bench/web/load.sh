#!/usr/bin/env bash
# Load test (issue 7; not in CI): `hrtrack serve` under wrk for 60 s at 128 connections
# with a mix of every kind of request (overview, jurisdiction, provision, section and
# instrument pages, searches with varied queries, /api/v1, feeds, reports and exports).
# Targets: 0 errors (socket errors and responses other than 2xx/3xx) and no growth of the
# server's RSS between the start (after a warm-up run) and the end. Medians of 3 runs,
# each on a fresh server. Only 127.0.0.1 is contacted.
# Usage: bench/web/load.sh [--duration 60s] [--connections 128] [--warmup 15s] [--runs 3]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
duration=60s
conns=128
warmup=15s
while [ $# -gt 0 ]; do
  case $1 in
    --duration) duration=$2; shift 2 ;;
    --connections) conns=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 1 ;;
  esac
done

prepare_data
: > "$scratch/load.txt"
: > "$scratch/rss.txt"
lo_start=$(listen_overflows)
for i in $(seq "$runs"); do
  start_server 64
  if [ ! -f "$scratch/mix.txt" ]; then
    { page_paths; search_paths /search | awk 'NR % 7 == 1'; } > "$scratch/mix.txt"
    echo "$(wc -l < "$scratch/mix.txt") distinct paths" >&2
  fi
  # Each jurisdiction page once: its timeline (seconds for Canada) is computed at start,
  # and a long-running server has it; the run measures serving, not that start.
  for p in $(grep '^/jurisdictions/' "$scratch/mix.txt"); do curl -s -o /dev/null --max-time 300 "http://127.0.0.1:$hport$p"; done
  # Warm-up: the same mix and connections, so the server has seen every page and as many
  # connections at once before its RSS is read.
  echo "run $i/$runs: warm-up ($warmup)..." >&2
  wrk_run "$scratch/warmup.txt" "$conns" "$warmup" "http://127.0.0.1:$hport/" "$scratch/mix.txt" "$server"
  rss_start=$(rss_kb "$server")
  echo "run $i/$runs: $duration at $conns connections..." >&2
  wrk_run "$scratch/load.txt" "$conns" "$duration" "http://127.0.0.1:$hport/" "$scratch/mix.txt" "$server"
  rss_end=$(rss_kb "$server")
  echo "$rss_start $rss_end $((rss_end - rss_start))" >> "$scratch/rss.txt"
  kill "$server"
  wait "$server" 2>/dev/null || true
  server=
done
lo_end=$(listen_overflows)

f=$scratch/load.txt
printf "load test: wrk -t2 -c%s -d%s (after a %s warm-up), %d distinct paths, median of %d runs, %s cores\n" \
  "$conns" "$duration" "$warmup" "$(wc -l < "$scratch/mix.txt")" "$runs" "$(nproc)"
printf "requests/run %s, req/s %s, p50 %s ms, p99 %s ms, server CPU %s s/run\n" "$(column "$f" 5)" \
  "$(column "$f" 1)" "$(column "$f" 2)" "$(column "$f" 3)" "$(column "$f" 6)"
printf "errors: %s in %s requests (sum of the runs; socket errors + non-2xx/3xx)\n" "$(total "$f" 4)" "$(total "$f" 5)"
printf "RSS after warm-up %s kB, at the end %s kB, growth %s kB (medians)\n" "$(column "$scratch/rss.txt" 1)" \
  "$(column "$scratch/rss.txt" 2)" "$(column "$scratch/rss.txt" 3)"
echo "per run (rps p50 p99 errors requests cpu_s | rss_start rss_end growth):"
paste -d'|' "$f" "$scratch/rss.txt" | sed 's/^/  /'
echo "ListenOverflows (whole machine): $lo_start -> $lo_end"
if [ "$(total "$f" 4)" != 0 ]; then
  echo "first non-2xx/3xx and error lines from wrk:" >&2
  grep -E "Socket errors|Non-2xx" "$scratch/wrk.log" >&2 || true
fi
