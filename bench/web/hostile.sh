#!/usr/bin/env bash
# Hostile mix (issue 14; not in CI): well-behaved clients (wrk, 127.0.0.1) read public pages
# while hostile.py attacks from other loopback addresses: 4 header floods (20 MB of header
# lines a connection, again and again), 1,050 slow clients from one address and 300 from ten
# more (a header line every 3 s), 8 range bombs (2,600 ranges on the stylesheet, and single
# ranges) and 16 sign-in storms (wrong passwords for names that do not exist, from 254
# addresses). Each run: a fresh server, a warm-up, DURATION quiet, then DURATION under
# attack; the public pages' p50/p99 and errors (socket errors + non-2xx/3xx) of both, for
# keep-alive clients and for clients that open a connection for each request (visitors
# arriving), and the server's RSS (quiet, the highest reading every second under attack,
# at the end).
# Targets: p99 under attack within 2x of the quiet p99, RSS bounded, 0 errors for the
# well-behaved clients. Medians of the runs. With --base BIN the same runs are made
# against BIN too (the server before issue 14), in the same session, alternating; a
# server whose RSS passes 6 GB is killed (and reported as such). Only 127.0.0.1.
# Usage: bench/web/hostile.sh [--duration 20s] [--runs 3] [--connections 16] [--base BIN]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
duration=20s
conns=16
base_bin=
while [ $# -gt 0 ]; do
  case $1 in
    --duration) duration=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --connections) conns=$2; shift 2 ;;
    --base) base_bin=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 1 ;;
  esac
done
ulimit -n "$(ulimit -Hn)"  # 1,350 slow connections: the server and the attackers need the fds
new_bin=$server_bin
prepare_data

# public_paths: what visitors read: the overview, each jurisdiction and provision page, the
# change list, the JSON lists and the stylesheet.
public_paths() {
  local api="http://127.0.0.1:$hport/api/v1"
  printf '%s\n' / /changes /compare /about /api/v1/jurisdictions /api/v1/provisions /api/v1/answers /assets/style.css
  curl -sf "$api/jurisdictions" | jq -r '.jurisdictions[].code | "/jurisdictions/\(.)"'
  curl -sf "$api/provisions" | jq -r '.provisions[].id | "/provisions/\(.)"'
}

# watch_rss PID OUT: the RSS every second into OUT; kills the server past 6 GB.
watch_rss() {
  local pid=$1 out=$2 kb
  while kb=$(rss_kb "$pid" 2>/dev/null) && [ -n "$kb" ]; do
    echo "$kb" >> "$out"
    if [ "$kb" -gt $((6 << 20)) ]; then
      echo "killed at $((kb / 1024)) MB" >> "$out.killed"
      kill -9 "$pid"
      return
    fi
    sleep 1
  done
}

# measure NAME PHASE: the well-behaved load for DURATION: wrk on keep-alive connections and,
# at the same time, a quarter as many connections that each make one request (visitors
# arriving: they need the server to accept and read a new connection).
measure() {
  local f=$scratch/$1-$2.txt c=$scratch/$1-$2-new.txt
  local keep
  { wrk_run "$f" "$conns" "$duration" "http://127.0.0.1:$hport/" "$scratch/public.txt" "$server" || echo "0 0 0 1 0 0" >> "$f"; } &
  keep=$!
  WRK_CLOSE=1 wrk_run "$c" "$(( (conns + 3) / 4 ))" "$duration" "http://127.0.0.1:$hport/" "$scratch/public.txt" "$server" ||
    echo "0 0 0 1 0 0" >> "$c"
  wait "$keep"
}

one_run() {  # one_run NAME BIN
  local name=$1 bin=$2 attack_s rss_quiet rss_end rss_max watcher attacker
  server_bin=$bin start_server 64
  [ -f "$scratch/public.txt" ] || public_paths > "$scratch/public.txt"
  for p in $(grep '^/jurisdictions/' "$scratch/public.txt"); do curl -s -o /dev/null --max-time 300 "http://127.0.0.1:$hport$p"; done
  wrk_run "$scratch/warmup.txt" "$conns" 5s "http://127.0.0.1:$hport/" "$scratch/public.txt" "$server"
  echo "$name: quiet ($duration)..." >&2
  measure "$name" quiet
  rss_quiet=$(rss_kb "$server")
  : > "$scratch/$name-rss-now.txt"
  rm -f "$scratch/$name-rss-now.txt.killed"
  watch_rss "$server" "$scratch/$name-rss-now.txt" &
  watcher=$!
  attack_s=$(( ${duration%s} + 8 ))
  echo "$name: under attack ($duration)..." >&2
  python3 "$web_here/hostile.py" "$hport" "$attack_s" > "$scratch/$name-attack-now.json" 2> "$scratch/$name-attack.log" &
  attacker=$!
  sleep 3  # the attackers ramp up: 1,350 slow connections, floods under way
  measure "$name" hostile
  wait "$attacker" || true
  rss_end=$(rss_kb "$server" 2>/dev/null || echo 0)
  kill "$watcher" 2>/dev/null || true
  wait "$watcher" 2>/dev/null || true
  rss_max=$(sort -n "$scratch/$name-rss-now.txt" | tail -1)
  echo "$rss_quiet $rss_max $rss_end" >> "$scratch/$name-rss.txt"
  cat "$scratch/$name-attack-now.json" >> "$scratch/$name-attack.json"
  [ -f "$scratch/$name-rss-now.txt.killed" ] && cat "$scratch/$name-rss-now.txt.killed" >> "$scratch/$name-killed.txt"
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  server=
}

names=(new)
[ -n "$base_bin" ] && names=(new base)
for i in $(seq "$runs"); do
  for name in "${names[@]}"; do
    bin=$new_bin
    [ "$name" = base ] && bin=$base_bin
    echo "run $i/$runs: $name ($bin)" >&2
    one_run "$name" "$bin"
  done
done

printf "hostile mix: wrk -t2 -c%s -d%s on %d public paths, quiet then under attack, median of %d runs, %s cores\n" \
  "$conns" "$duration" "$(wc -l < "$scratch/public.txt")" "$runs" "$(nproc)"
printf "%-5s %-12s %9s %8s %8s %8s %11s %10s\n" server phase req/s p50_ms p99_ms errors requests p99/quiet
for name in "${names[@]}"; do
  for phase in quiet hostile quiet-new hostile-new; do
    f=$scratch/$name-${phase%-new}.txt
    q=$scratch/$name-quiet.txt
    if [ "$phase" != "${phase%-new}" ]; then f=$scratch/$name-${phase%-new}-new.txt; q=$scratch/$name-quiet-new.txt; fi
    printf "%-5s %-12s %9s %8s %8s %8s %11s %10.2f\n" "$name" "$phase" "$(column "$f" 1)" "$(column "$f" 2)" "$(column "$f" 3)" \
      "$(total "$f" 4)" "$(total "$f" 5)" "$(echo "$(column "$f" 3) / $(column "$q" 3)" | bc -l)"
  done
  r=$scratch/$name-rss.txt
  printf "%-5s RSS MB: quiet %.1f, highest under attack %.1f, at the end %.1f (medians; per run: %s)\n" "$name" \
    "$(echo "$(column "$r" 1) / 1024" | bc -l)" "$(echo "$(column "$r" 2) / 1024" | bc -l)" \
    "$(echo "$(column "$r" 3) / 1024" | bc -l)" "$(awk '{ printf "%d/%d/%d ", $1 / 1024, $2 / 1024, $3 / 1024 }' "$r")"
  [ -f "$scratch/$name-killed.txt" ] && echo "$name: $(wc -l < "$scratch/$name-killed.txt") run(s) killed past 6 GB: $(tr '\n' ' ' < "$scratch/$name-killed.txt")"
  echo "$name attack counters (last run): $(tail -1 "$scratch/$name-attack.json")"
done
echo "(phase -new: one request a connection, a quarter as many connections at the same time; errors and requests:"
echo " sums over the runs; RSS per run: quiet/highest/end)"
