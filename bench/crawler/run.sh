#!/usr/bin/env bash
# Crawler benchmark (not in CI): hrtrack crawl vs curl --parallel on the same URL list,
# served from 127.0.0.1, then a re-crawl of the unchanged set. See README.md.
#
#   bench/crawler/run.sh [BUILD_DIR]        (default build/crawl)
#   env: N=4 (connections, both tools), RUNS=3, LIMIT=0 (files per collection, 0 = all),
#        COLLECTIONS="DE-gesetze-im-internet-gii-xml-2024-10 CA-justice-laws-xml-eng-acts-2026-06",
#        MODE="raw import" (raw: fetch + store bytes; import: fetch + parse + catalogue),
#        WORK=/tmp/hrtrack-bench, PORT=8765
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=${1:-$repo/build/crawl}
hrtrack=$build/app/hrtrack
bulk=${BULK:-$repo/../shared/bulk}
N=${N:-4}
RUNS=${RUNS:-3}
LIMIT=${LIMIT:-0}
MODE=${MODE:-raw import}
WORK=${WORK:-/tmp/hrtrack-bench}
PORT=${PORT:-8765}
COLLECTIONS=${COLLECTIONS:-DE-gesetze-im-internet-gii-xml-2024-10 CA-justice-laws-xml-eng-acts-2026-06}

[ -x "$hrtrack" ] || { echo "no $hrtrack: build first" >&2; exit 1; }
mkdir -p "$WORK/site"

# 1. Unpack the bulk collections (once).
for c in $COLLECTIONS; do
  stamp=$WORK/site/.$c
  [ -e "$stamp" ] && continue
  echo "unpacking $c" >&2
  zstd -dc --long=27 "$bulk/$c.tar.zst" | tar x -C "$WORK/site"
  touch "$stamp"
done

# 2. The URL list: every XML file (or the first LIMIT of each folder).
base=http://127.0.0.1:$PORT
list=$WORK/files.txt
: > "$list"
for dir in xml eng/acts eng/regulations fra/lois; do
  [ -d "$WORK/site/$dir" ] || continue
  if [ "$LIMIT" -gt 0 ]; then
    (cd "$WORK/site" && find "$dir" -name '*.xml' | sort | awk -v l="$LIMIT" 'NR <= l') >> "$list"
  else
    (cd "$WORK/site" && find "$dir" -name '*.xml' | sort) >> "$list"
  fi
done
count=$(wc -l < "$list")
bytes=$(cd "$WORK/site" && tr '\n' '\0' < "$list" | xargs -0 cat | wc -c)
echo "files: $count, $((bytes / 1000000)) MB" >&2

# 3. A sources folder for hrtrack and a config for curl, from the same list.
write_sources() {  # $1 = format for gii files ("gii" or "raw")
  local dir=$WORK/sources-$1 gii=$1 jc=$1
  [ "$1" = import ] && gii=gii jc=justice-canada
  [ "$1" = raw ] && gii=raw jc=raw
  rm -rf "$dir" && mkdir -p "$dir"
  printf 'code = "DE"\nname = "Germany"\nlanguages = ["de"]\n' > "$dir/DE.toml"
  printf 'code = "CA"\nname = "Canada"\nlanguages = ["en", "fr"]\n' > "$dir/CA.toml"
  while read -r f; do
    case $f in
      xml/*) j=DE fmt=$gii lang=de ;;
      fra/*) j=CA fmt=$jc lang=fr ;;
      *) j=CA fmt=$jc lang=en ;;
    esac
    printf '[[source]]\nid = "%s"\nurl = "%s/%s"\nformat = "%s"\nlanguage = "%s"\nmirror = "%s"\n' \
      "$f" "$base" "$f" "$fmt" "$lang" "$f" >> "$dir/$j.toml"
  done < "$list"
}
for m in $MODE; do write_sources "$m"; done
curlcfg=$WORK/curl.cfg
: > "$curlcfg"
while read -r f; do printf 'url = "%s/%s"\noutput = "%s/curl-out/%s"\n' "$base" "$f" "$WORK" "$f" >> "$curlcfg"; done < "$list"

# 4. The server: python's threading http.server (HTTP/1.0, Last-Modified + 304), the same
#    for both tools.
(cd "$WORK/site" && exec python3 -m http.server "$PORT" --bind 127.0.0.1 >/dev/null 2>&1) &
server=$!
trap 'kill $server 2>/dev/null' EXIT
for _ in $(seq 50); do curl -sf -o /dev/null "$base/" && break; sleep 0.1; done

# Wall seconds and peak RSS (KB) of a command: "secs rss".
measure() {
  /usr/bin/time -f '%e %M' -o "$WORK/time.txt" "$@" > "$WORK/last.json" 2> "$WORK/last.err" || true
  tail -n 1 "$WORK/time.txt"
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

results=$WORK/results.tsv
printf 'run\ttool\tmode\tseconds\tpeak_rss_kb\tbodies\n' > "$results"
for run in $(seq "$RUNS"); do
  rm -rf "$WORK/curl-out"
  read -r secs rss < <(measure curl -s --parallel --parallel-max "$N" --create-dirs --config "$curlcfg")
  printf '%s\tcurl\tfetch\t%s\t%s\t%s\n' "$run" "$secs" "$rss" "$count" >> "$results"
  for m in $MODE; do
    data=$WORK/data-$m-$run
    rm -rf "$data"
    for pass in first recrawl; do
      read -r secs rss < <(measure "$hrtrack" --data "$data" crawl --sources "$WORK/sources-$m" \
                             --connections "$N" --delay-ms 0 --no-robots --retries 0 --json)
      got=$(python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(j["fetched"], j["not_modified"], j["failed"], j["bytes"])' "$WORK/last.json" 2>/dev/null || echo "? ? ? ?")
      printf '%s\thrtrack-%s\t%s\t%s\t%s\t%s\n' "$run" "$m" "$pass" "$secs" "$rss" "$got" >> "$results"
    done
  done
done

echo
column -t -s $'\t' "$results"
echo
curl_med=$(awk -F'\t' '$2=="curl"{print $4}' "$results" | median)
echo "files $count, $((bytes / 1000000)) MB, N=$N, runs $RUNS"
echo "curl --parallel-max $N: median ${curl_med} s"
for m in $MODE; do
  first=$(awk -F'\t' -v t="hrtrack-$m" '$2==t && $3=="first"{print $4}' "$results" | median)
  again=$(awk -F'\t' -v t="hrtrack-$m" '$2==t && $3=="recrawl"{print $4}' "$results" | median)
  rss=$(awk -F'\t' -v t="hrtrack-$m" '$2==t{print $5}' "$results" | sort -n | tail -1)
  awk -v m="$m" -v f="$first" -v a="$again" -v c="$curl_med" -v r="$rss" 'BEGIN {
    printf "hrtrack (%s): first crawl median %.2f s (%.2fx curl), re-crawl median %.2f s (%.1f%% of first), peak RSS %.0f MB\n",
      m, f, f / c, a, 100 * a / f, r / 1024 }'
done
