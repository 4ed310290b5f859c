# Shared by bench/web/run.sh and bench/web/load.sh: the data folder, the server, wrk runs
# parsed into numbers, the server's CPU time and RSS, the kernel's listen-queue counters,
# and the lists of real request paths the Lua script cycles through. Only 127.0.0.1.
web_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$web_here/../lib.sh"  # median, HRTRACK_SHARED
server_bin=${HRTRACK_BIN:-$root/build/web/app/hrtrack}
scratch=$(mktemp -d /tmp/hrtrack-bench-web.XXXXXX)
chmod 755 "$scratch"  # nginx's workers run as another user and must read the page
data=${HRTRACK_BENCH_DATA:-$scratch/data}
hport=${HRTRACK_BENCH_PORT:-18080}
server=

web_cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  if [ -f "$scratch/nginx.pid" ]; then kill "$(cat "$scratch/nginx.pid")" 2>/dev/null || true; fi
  rm -rf "$scratch"
}
trap web_cleanup EXIT

# prepare_data: import, index and analyse shared/legislation (skipped when HRTRACK_BENCH_DATA
# names a folder that already has them).
prepare_data() {
  if [ -f "$data/catalogue.sqlite3" ]; then return; fi
  echo "preparing data (import, index, analyze)..." >&2
  "$server_bin" --data "$data" import "$HRTRACK_SHARED/legislation" > /dev/null 2>&1 || true
  "$server_bin" --data "$data" index > /dev/null
  "$server_bin" --data "$data" analyze > /dev/null
}

# start_server THREADS: serves $data on $hport; returns once the overview answers (the
# first request waits for the snapshot of the data to be built).
start_server() {
  "$server_bin" --data "$data" serve --port "$hport" --threads "$1" > "$scratch/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 300); do
    curl -sf -o /dev/null --max-time 60 "http://127.0.0.1:$hport/" && return 0
    sleep 0.2
  done
  echo "the server did not answer; its log:" >&2
  cat "$scratch/serve.log" >&2
  return 1
}

# cpu_ticks PID...: user + system time of the processes so far, in clock ticks.
cpu_ticks() {
  local t=0 pid
  for pid in "$@"; do t=$((t + $(awk '{ print $14 + $15 }' "/proc/$pid/stat"))); done
  echo "$t"
}
ticks_per_s=$(getconf CLK_TCK)

rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }

# rss_parts PID: "VmRSS RssAnon RssFile Threads" of the process (kB, kB, kB, count).
rss_parts() {
  awk '/^VmRSS/ { r = $2 } /^RssAnon/ { a = $2 } /^RssFile/ { f = $2 } /^Threads/ { t = $2 }
       END { print r, a, f, t }' "/proc/$1/status"
}

# sample_rss PID INTERVAL_S OUT: appends "seconds VmRSS RssAnon RssFile Threads" to OUT
# every INTERVAL_S seconds (the first line at 0) until killed or the process ends. Run it
# in the background around a wrk run to see whether the RSS levels off or keeps climbing.
sample_rss() {
  local pid=$1 every=$2 out=$3 start now
  start=$(date +%s%N)
  while [ -r "/proc/$pid/status" ]; do
    now=$(date +%s%N)
    echo "$(( (now - start + 500000000) / 1000000000 )) $(rss_parts "$pid")" >> "$out"
    sleep "$(echo "$every - ($(date +%s%N) - $now) / 1000000000" | bc -l | sed 's/^-.*/0/')"
  done
}

# listen_overflows: the kernel's count of connections dropped because an accept queue was
# full (TcpExt ListenOverflows; for the whole machine, so other users' sockets count too).
listen_overflows() {
  awk '/^TcpExt:/ { if (!n++) { for (i = 2; i <= NF; i++) h[i] = $i } else { for (i = 2; i <= NF; i++) if (h[i] == "ListenOverflows") print $i } }' /proc/net/netstat
}

# wrk_run OUT CONNECTIONS DURATION URL [PATHS_FILE] PID...: one wrk run; appends to OUT
# "rps p50_ms p99_ms errors requests cpu_s" where errors are socket errors (connect,
# read, write, timeout) plus responses other than 2xx/3xx, and cpu_s the CPU time the
# processes PID... spent during the run. With PATHS_FILE, wrk cycles through its paths.
wrk_run() {
  local out=$1 conns=$2 duration=$3 url=$4 paths=$5
  shift 5
  local before after text
  before=$(cpu_ticks "$@")
  if [ -n "$paths" ]; then
    text=$(WRK_PATHS=$paths wrk -t2 -c"$conns" -d"$duration" --latency -s "$web_here/paths.lua" "$url")
  else
    text=$(wrk -t2 -c"$conns" -d"$duration" --latency "$url")
  fi
  after=$(cpu_ticks "$@")
  echo "$text" >> "$scratch/wrk.log"
  awk -v cpu="$(echo "($after - $before) / $ticks_per_s" | bc -l)" '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ { rps = $2 }
    /requests in/ { n = $1 }
    /^ +50%/ { p50 = ms($2) }
    /^ +99%/ { p99 = ms($2) }
    /Socket errors/ { gsub(",", ""); err += $4 + $6 + $8 + $10 }
    /Non-2xx/ { err += $5 }
    END { printf "%.0f %.3f %.3f %d %d %.2f\n", rps, p50, p99, err, n, cpu }' <<< "$text" >> "$out"
}

# column FILE N: the median of column N of FILE; total FILE N: its sum.
column() { cut -d' ' -f"$2" "$1" | median; }
total() { awk -v c="$2" '{ s += $c } END { print s + 0 }' "$1"; }

# url_encode STRING
url_encode() { jq -rn --arg s "$1" '$s | @uri'; }

# search_paths PREFIX: one path per query of bench/index/queries.tsv (with its as-of date)
# and per query and jurisdiction filter, so there are more distinct searches than the
# server's answer cache holds (512) and a run cycling through them measures real searches.
search_paths() {
  local prefix=$1 q asof codes code
  codes=$(curl -sf "http://127.0.0.1:$hport/api/v1/jurisdictions" | jq -r '.jurisdictions[].code')
  grep -v '^#' "$root/bench/index/queries.tsv" | while IFS=$'\t' read -r q asof; do
    [ -n "$q" ] || continue
    local base="$prefix?q=$(url_encode "$q")"
    [ -n "$asof" ] && base="$base&as_of=$asof"
    echo "$base"
    for code in $codes; do echo "$base&jurisdiction=$code"; done
  done
}

# page_paths: every kind of page, API answer and export a visitor or a script asks for,
# from the data being served: the overview, each jurisdiction, provision and report, the
# sections and instruments the searches find, searches, the JSON API, feeds and exports.
page_paths() {
  local api="http://127.0.0.1:$hport/api/v1" code id
  echo "/"
  for p in /changes /compare /about /feeds/changes.atom /api/v1/jurisdictions /api/v1/provisions \
           /api/v1/answers /api/v1/changes /api/v1/instruments /api/v1/export/answers.csv \
           /api/v1/export/answers.json /api/v1/openapi.json; do echo "$p"; done
  for code in $(curl -sf "$api/jurisdictions" | jq -r '.jurisdictions[].code'); do
    echo "/jurisdictions/$code"
    echo "/reports/$code"
    echo "/reports/$code.md"
    echo "/api/v1/jurisdictions/$code"
    echo "/api/v1/answers?jurisdiction=$code"
    echo "/feeds/jurisdictions/$code.atom"
  done
  for id in $(curl -sf "$api/provisions" | jq -r '.provisions[].id'); do
    echo "/provisions/$id"
    echo "/api/v1/provisions/$id"
  done
  # Sections and instruments: those the benchmark's queries find (the links a visitor follows).
  grep -v '^#' "$root/bench/index/queries.tsv" | cut -f1 | head -40 | while read -r q; do
    [ -n "$q" ] || continue
    curl -sf "$api/search?q=$(url_encode "$q")&limit=5" | jq -r '.hits[] | "\(.url)\t\(.id)\t\(.instrument)\t\(.language)\t\(.version_id)"' || true
  done | sort -u | while IFS=$'\t' read -r url id inst lang version; do
    echo "$url"
    echo "/api/v1/sections?id=$(url_encode "$id")&lang=$lang&version=$version"
    echo "/instrument?id=$(url_encode "$inst")"
  done | sort -u
  grep -v '^#' "$root/bench/index/queries.tsv" | cut -f1 | while read -r q; do
    [ -n "$q" ] || continue
    echo "/search?q=$(url_encode "$q")"
    echo "/api/v1/search?q=$(url_encode "$q")"
  done
}
