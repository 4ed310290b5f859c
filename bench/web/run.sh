#!/usr/bin/env bash
# Web benchmark (issue 6; not in CI): wrk, 64 connections, 30 s, against the overview page,
# /api/v1/search with one query (the answer cache), /api/v1/search cycling through many
# real queries (real searches), and nginx serving a static copy of the overview in the same
# run. Medians of 3 runs, the server's CPU time, and the kernel's ListenOverflows counter
# before and after. Only 127.0.0.1 is contacted.
# Usage: bench/web/run.sh [--duration 30s] [--runs 3] [--connections 64]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
duration=30s
conns=64
while [ $# -gt 0 ]; do
  case $1 in
    --duration) duration=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --connections) conns=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 1 ;;
  esac
done
nport=$((hport + 1))

prepare_data
start_server 64

# nginx: a static copy of the overview page, same size, same machine.
mkdir -p "$scratch/www" "$scratch/tmp"
curl -sf -o "$scratch/www/overview.html" "http://127.0.0.1:$hport/"
cat > "$scratch/nginx.conf" <<CONF
worker_processes auto;
pid $scratch/nginx.pid;
error_log $scratch/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $scratch/tmp; proxy_temp_path $scratch/tmp; fastcgi_temp_path $scratch/tmp;
  uwsgi_temp_path $scratch/tmp; scgi_temp_path $scratch/tmp;
  server { listen 127.0.0.1:$nport; root $scratch/www; location / { default_type text/html; } }
}
CONF
nginx -c "$scratch/nginx.conf" -p "$scratch"
sleep 0.5
nginx_pids="$(cat "$scratch/nginx.pid") $(pgrep -P "$(cat "$scratch/nginx.pid")" | tr '\n' ' ')"

search_paths /api/v1/search > "$scratch/searches.txt"
echo "$(wc -l < "$scratch/searches.txt") distinct searches" >&2

declare -A lo_before lo_after
for target in nginx overview search search-many; do
  paths=
  pids=$server
  case $target in
    nginx) url="http://127.0.0.1:$nport/overview.html"; pids=$nginx_pids ;;
    overview) url="http://127.0.0.1:$hport/" ;;
    search) url="http://127.0.0.1:$hport/api/v1/search?q=Bet%C3%A4ubungsmittel" ;;
    search-many) url="http://127.0.0.1:$hport/"; paths=$scratch/searches.txt ;;
  esac
  : > "$scratch/$target.txt"
  lo_before[$target]=$(listen_overflows)
  for i in $(seq "$runs"); do
    echo "$target run $i/$runs ($duration)..." >&2
    # shellcheck disable=SC2086  # pids: one word each
    wrk_run "$scratch/$target.txt" "$conns" "$duration" "$url" "$paths" $pids
  done
  lo_after[$target]=$(listen_overflows)
done

size=$(stat -c %s "$scratch/www/overview.html")
nrps=$(column "$scratch/nginx.txt" 1)
printf "web benchmark: wrk -t2 -c%s -d%s, median of %d runs, %s cores, page %d bytes, %d distinct searches\n" \
  "$conns" "$duration" "$runs" "$(nproc)" "$size" "$(wc -l < "$scratch/searches.txt")"
printf "%-12s %9s %8s %8s %7s %11s %9s %10s %8s %15s\n" target req/s p50_ms p99_ms errors requests x_nginx cpu_s/run us/req ListenOverflows
for target in nginx overview search search-many; do
  f=$scratch/$target.txt
  rps=$(column "$f" 1)
  cpu=$(column "$f" 6)
  printf "%-12s %9s %8s %8s %7s %11s %9.2f %10s %8.0f %7s -> %s\n" "$target" "$rps" "$(column "$f" 2)" \
    "$(column "$f" 3)" "$(total "$f" 4)" "$(total "$f" 5)" "$(echo "$rps / $nrps" | bc -l)" "$cpu" \
    "$(echo "$cpu * 1000000 / ($rps * ${duration%s})" | bc -l)" "${lo_before[$target]}" "${lo_after[$target]}"
done
echo "(errors and requests: sums over the runs; cpu_s/run: CPU time of the server, or of nginx's processes, per run)"
