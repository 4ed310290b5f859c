#!/usr/bin/env bash
# Web benchmark (not in CI): wrk, 64 connections, 30 s, against the overview page and
# /api/v1/search on `hrtrack serve`, and nginx serving a static file of the overview's size,
# all on 127.0.0.1 in the same run. Medians of 3 runs. Only 127.0.0.1 is contacted.
# Usage: bench/web/run.sh [--duration 30s] [--runs 3]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
duration=30s
runs=3
while [ $# -gt 0 ]; do
  case $1 in
    --duration) duration=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 1 ;;
  esac
done
hrtrack=${HRTRACK_BIN:-$root/build/web/app/hrtrack}
shared=${HRTRACK_SHARED:-$root/../shared}
work=$(mktemp -d /tmp/hrtrack-bench-web.XXXXXX)
chmod 755 "$work"  # nginx's workers run as another user and must read the page
data=$work/data
hport=18080
nport=18081
cleanup() {
  [ -n "${server:-}" ] && kill "$server" 2>/dev/null || true
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "preparing data (import, index, analyze)..." >&2
"$hrtrack" --data "$data" import "$shared/legislation" > /dev/null 2>&1 || true
"$hrtrack" --data "$data" index > /dev/null
"$hrtrack" --data "$data" analyze > /dev/null

"$hrtrack" --data "$data" serve --port $hport --threads 64 > "$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$hport/" && break; sleep 0.2; done

# nginx: a static copy of the overview page, same size, same machine.
mkdir -p "$work/www"
curl -sf -o "$work/www/overview.html" "http://127.0.0.1:$hport/"
cat > "$work/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp;
  uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;
  server { listen 127.0.0.1:$nport; root $work/www; location / { default_type text/html; } }
}
CONF
mkdir -p "$work/tmp"
nginx -c "$work/nginx.conf" -p "$work"
sleep 0.5

search="/api/v1/search?q=Bet%C3%A4ubungsmittel"
# One wrk run -> "rps p50_ms p99_ms errors".
measure() {
  local out
  out=$(wrk -t2 -c64 -d"$duration" --latency "$1")
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ { rps = $2 }
    /^ +50%/ { p50 = ms($2) }
    /^ +99%/ { p99 = ms($2) }
    /Socket errors/ { gsub(",", ""); err += $4 + $6 + $8 + $10 }
    /Non-2xx/ { err += $5 }
    END { printf "%.0f %.3f %.3f %d\n", rps, p50, p99, err }' <<< "$out"
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

declare -A results
for target in nginx overview search; do
  case $target in
    nginx) url="http://127.0.0.1:$nport/overview.html" ;;
    overview) url="http://127.0.0.1:$hport/" ;;
    search) url="http://127.0.0.1:$hport$search" ;;
  esac
  : > "$work/$target.txt"
  for i in $(seq "$runs"); do
    echo "$target run $i/$runs ($duration)..." >&2
    measure "$url" >> "$work/$target.txt"
  done
  results[$target]="$(cut -d' ' -f1 "$work/$target.txt" | median) $(cut -d' ' -f2 "$work/$target.txt" | median) $(cut -d' ' -f3 "$work/$target.txt" | median) $(awk '{ s += $4 } END { print s }' "$work/$target.txt")"
done

size=$(stat -c %s "$work/www/overview.html")
read -r nrps np50 np99 nerr <<< "${results[nginx]}"
printf "web benchmark: wrk -c64 -d%s, median of %d runs, %s cores, page %d bytes\n" "$duration" "$runs" "$(nproc)" "$size"
printf "%-22s %10s %9s %9s %7s %9s\n" target req/s p50_ms p99_ms errors x_nginx
for target in nginx overview search; do
  read -r rps p50 p99 err <<< "${results[$target]}"
  printf "%-22s %10s %9s %9s %7s %9.2f\n" "$target" "$rps" "$p50" "$p99" "$err" "$(echo "$rps / $nrps" | bc -l)"
done
