#!/usr/bin/env bash
# Load test (issue 7; not in CI): `hrtrack serve` under wrk for 60 s at 128 connections
# with a mix of every kind of request (overview, jurisdiction, provision, section and
# instrument pages, searches with varied queries, /api/v1, feeds, reports and exports).
# Targets: 0 errors (socket errors and responses other than 2xx/3xx) and no growth of the
# server's RSS between the start (after a warm-up run) and the end. Medians of 3 runs,
# each on a fresh server. Only 127.0.0.1 is contacted.
# The RSS (and its anonymous and file-backed parts, and the thread count) is sampled every
# --sample seconds through each measured run and printed as a curve at the end.
# Usage: bench/web/load.sh [--duration 60s] [--connections 128] [--warmup 16s] [--runs 3] [--sample 5]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
duration=60s
conns=128
warmup=16s
sample=5
while [ $# -gt 0 ]; do
  case $1 in
    --duration) duration=$2; shift 2 ;;
    --connections) conns=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --sample) sample=$2; shift 2 ;;
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
  # connections at once before its RSS is read; in two halves, back to back as the measured
  # run follows it: the requests of the closing connections hold their threads for ~0.1 s,
  # so the next connections get new ones, and a server that has run a while has seen that.
  echo "run $i/$runs: warm-up ($warmup)..." >&2
  half=$(( (${warmup%s} + 1) / 2 ))s
  wrk_run "$scratch/warmup.txt" "$conns" "$half" "http://127.0.0.1:$hport/" "$scratch/mix.txt" "$server"
  wrk_run "$scratch/warmup.txt" "$conns" "$half" "http://127.0.0.1:$hport/" "$scratch/mix.txt" "$server"
  rss_start=$(rss_kb "$server")
  echo "run $i/$runs: $duration at $conns connections..." >&2
  sample_rss "$server" "$sample" "$scratch/curve-$i.txt" &
  sampler=$!
  wrk_run "$scratch/load.txt" "$conns" "$duration" "http://127.0.0.1:$hport/" "$scratch/mix.txt" "$server"
  rss_end=$(rss_kb "$server")
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  echo "end $(rss_parts "$server")" >> "$scratch/curve-$i.txt"
  # The level at the start and at the end: the median of the samples in the first and in
  # the last 20 s (a request holds a few MB for a moment: one section page's word diff
  # takes 6.7 MB, mapped and unmapped, which a single reading may or may not catch).
  level_start=$(awk '$1 != "end" && $1 <= 20 { print $2 }' "$scratch/curve-$i.txt" | median)
  level_end=$(awk -v d="${duration%s}" '$1 == "end" || $1 >= d - 20 { print $2 }' "$scratch/curve-$i.txt" | median)
  echo "$rss_start $rss_end $((rss_end - rss_start)) $level_start $level_end" |
    awk '{ printf "%s %d\n", $0, $5 - $4 }' >> "$scratch/rss.txt"
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
printf "RSS level (median of the samples) in the first 20 s %s kB, in the last 20 s %s kB, growth %s kB (medians)\n" \
  "$(column "$scratch/rss.txt" 4)" "$(column "$scratch/rss.txt" 5)" "$(column "$scratch/rss.txt" 6)"
echo "per run (rps p50 p99 errors requests cpu_s | rss_start rss_end growth level_start level_end growth):"
paste -d'|' "$f" "$scratch/rss.txt" | sed 's/^/  /'
echo "ListenOverflows (whole machine): $lo_start -> $lo_end"
echo "RSS through each measured run, MB (s: VmRSS = RssAnon + RssFile, threads):"
for i in $(seq "$runs"); do
  echo "  run $i:"
  awk '{ printf "    %4s s  %6.1f = %6.1f + %5.1f  %4d threads\n", $1, $2 / 1024, $3 / 1024, $4 / 1024, $5 }' "$scratch/curve-$i.txt"
done
if [ "$(total "$f" 4)" != 0 ]; then
  echo "first non-2xx/3xx and error lines from wrk:" >&2
  grep -E "Socket errors|Non-2xx" "$scratch/wrk.log" >&2 || true
fi
