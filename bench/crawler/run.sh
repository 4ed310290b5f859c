#!/usr/bin/env bash
# Crawler benchmark (not in CI): hrtrack crawl vs curl --parallel on the same URL list,
# served from 127.0.0.1, then a re-crawl of the unchanged set; for the full crawl also the
# composite peer, curl to disk followed by `hrtrack import` of what it downloaded. See README.md.
#
#   bench/crawler/run.sh [BUILD_DIR]        (default build/crawl)
#   env: N=4 (connections, both tools), RUNS=3, LIMIT=0 (files per collection, 0 = all),
#        COLLECTIONS="DE-gesetze-im-internet-gii-xml-2024-10 CA-justice-laws-xml-eng-acts-2026-06",
#        MODE="raw import" (raw: fetch + store bytes; import: fetch + parse + catalogue),
#        SERVER=nginx|python (nginx-light: keep-alive, ETag + Last-Modified, 304s),
#        WORK=/tmp/hrtrack-bench, SITE=$WORK/site (the unpacked collections), PORT=8765
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
SERVER=${SERVER:-nginx}
SITE=${SITE:-$WORK/site}
COLLECTIONS=${COLLECTIONS:-DE-gesetze-im-internet-gii-xml-2024-10 CA-justice-laws-xml-eng-acts-2026-06}

[ -x "$hrtrack" ] || { echo "no $hrtrack: build first" >&2; exit 1; }
mkdir -p "$WORK" "$SITE"

# 1. Unpack the bulk collections (once).
for c in $COLLECTIONS; do
  stamp=$SITE/.$c
  [ -e "$stamp" ] && continue
  echo "unpacking $c" >&2
  zstd -dc --long=27 "$bulk/$c.tar.zst" | tar x -C "$SITE"
  touch "$stamp"
done

# 2. The URL list: every XML file (or the first LIMIT of each folder).
base=http://127.0.0.1:$PORT
list=$WORK/files.txt
: > "$list"
for dir in xml eng/acts eng/regulations fra/lois; do
  [ -d "$SITE/$dir" ] || continue
  if [ "$LIMIT" -gt 0 ]; then
    (cd "$SITE" && find "$dir" -name '*.xml' | sort | awk -v l="$LIMIT" 'NR <= l') >> "$list"
  else
    (cd "$SITE" && find "$dir" -name '*.xml' | sort) >> "$list"
  fi
done
count=$(wc -l < "$list")
bytes=$(cd "$SITE" && tr '\n' '\0' < "$list" | xargs -0 cat | wc -c)
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

# 4. The server, the same for both tools: nginx (HTTP/1.1 keep-alive, sendfile, ETag and
#    Last-Modified, 304 on If-None-Match / If-Modified-Since), or python's threading
#    http.server (HTTP/1.0, one connection per request, Last-Modified + 304).
if [ "$SERVER" = nginx ]; then
  ngx=$WORK/nginx
  mkdir -p "$ngx"
  cat > "$ngx/nginx.conf" <<EOF
worker_processes 1;
daemon off;
error_log $ngx/error.log warn;
pid $ngx/nginx.pid;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path $ngx/body;
  proxy_temp_path $ngx/proxy;
  fastcgi_temp_path $ngx/fastcgi;
  uwsgi_temp_path $ngx/uwsgi;
  scgi_temp_path $ngx/scgi;
  default_type application/xml;
  sendfile on;
  keepalive_requests 100000;
  server { listen 127.0.0.1:$PORT; root $SITE; }
}
EOF
  nginx -c "$ngx/nginx.conf" -p "$ngx" &
else
  (cd "$SITE" && exec python3 -m http.server "$PORT" --bind 127.0.0.1 >/dev/null 2>&1) &
fi
server=$!
trap 'kill $server 2>/dev/null' EXIT
for _ in $(seq 50); do curl -sf -o /dev/null "$base/$(head -n 1 "$list")" && break; sleep 0.1; done

# "wall_s cpu_s peak_rss_kb" of a command (CPU = user + system, children included).
measure() {
  /usr/bin/time -f '%e %U %S %M' -o "$WORK/time.txt" "$@" > "$WORK/last.json" 2> "$WORK/last.err" || true
  tail -n 1 "$WORK/time.txt" | awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}'
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

results=$WORK/results.tsv
printf 'run\ttool\tpass\twall_s\tcpu_s\tpeak_rss_kb\tfetched not_modified failed bytes\n' > "$results"
for run in $(seq "$RUNS"); do
  rm -rf "$WORK/curl-out" "$WORK/data-peer"
  read -r secs cpu rss < <(measure curl -s --parallel --parallel-max "$N" --create-dirs --config "$curlcfg")
  printf '%s\tcurl\tfetch\t%s\t%s\t%s\t%s\n' "$run" "$secs" "$cpu" "$rss" "$count" >> "$results"
  case " $MODE " in *" import "*)
    # The composite peer's second half: import what curl downloaded (parallel parsers, one writer).
    read -r secs cpu rss < <(measure "$hrtrack" --data "$WORK/data-peer" import "$WORK/curl-out" --json)
    printf '%s\thrtrack-import-files\tafter-curl\t%s\t%s\t%s\t%s\n' "$run" "$secs" "$cpu" "$rss" "$count" >> "$results" ;;
  esac
  for m in $MODE; do
    data=$WORK/data-$m-$run
    rm -rf "$data"
    for pass in first recrawl; do
      read -r secs cpu rss < <(measure "$hrtrack" --data "$data" crawl --sources "$WORK/sources-$m" \
                                 --connections "$N" --delay-ms 0 --no-robots --retries 0 --json)
      got=$(python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(j["fetched"], j["not_modified"], j["failed"], j["bytes"])' "$WORK/last.json" 2>/dev/null || echo "? ? ? ?")
      printf '%s\thrtrack-%s\t%s\t%s\t%s\t%s\t%s\n' "$run" "$m" "$pass" "$secs" "$cpu" "$rss" "$got" >> "$results"
    done
    if [ "$m" = "${MODE%% *}" ]; then
      # The re-crawl's peer: curl asking for every URL again with the validators hrtrack
      # recorded (If-None-Match / If-Modified-Since), so that every answer is a 304 too.
      python3 - "$data/catalogue.sqlite3" "$WORK/curl-304.cfg" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("SELECT url, etag, last_modified FROM fetch WHERE id IN (SELECT max(id) FROM fetch GROUP BY url)")
with open(sys.argv[2], "w") as out:
    for i, (url, etag, lm) in enumerate(rows):
        q = lambda s: s.replace("\\", "\\\\").replace('"', '\\"')
        # "next" between transfers: headers belong to one transfer, not to all of them
        out.write('%surl = "%s"\noutput = "/dev/null"\nsilent\n' % ("next\n" if i else "", q(url)))
        if etag: out.write('header = "If-None-Match: %s"\n' % q(etag))
        if lm: out.write('header = "If-Modified-Since: %s"\n' % q(lm))
PY
      read -r secs cpu rss < <(measure curl -s --parallel --parallel-max "$N" --config "$WORK/curl-304.cfg")
      printf '%s\tcurl-conditional\trecrawl\t%s\t%s\t%s\t%s\n' "$run" "$secs" "$cpu" "$rss" "$count" >> "$results"
    fi
  done
done

echo
column -t -s $'\t' "$results"
echo
# Per run: each figure over its peer of the same run; then the median over the runs.
col() { awk -F'\t' -v t="$1" -v p="$2" -v c="$3" '$2==t && $3==p {print $c}' "$results"; }
ratio_median() { paste <(echo "$1") <(echo "$2") | awk '{print $1 / $2}' | median; }
curl_w=$(col curl fetch 4) curl_c=$(col curl fetch 5)
echo "files $count, $((bytes / 1000000)) MB, N=$N, server $SERVER, runs $RUNS (medians; ratios per run, then their median)"
printf 'curl --parallel-max %s: wall %.2f s, cpu %.2f s\n' "$N" "$(echo "$curl_w" | median)" "$(echo "$curl_c" | median)"
case " $MODE " in *" import "*)
  imp_w=$(col hrtrack-import-files after-curl 4) imp_c=$(col hrtrack-import-files after-curl 5)
  peer_w=$(paste <(echo "$curl_w") <(echo "$imp_w") | awk '{print $1 + $2}')
  peer_c=$(paste <(echo "$curl_c") <(echo "$imp_c") | awk '{print $1 + $2}')
  printf 'peer curl + hrtrack import: wall %.2f s, cpu %.2f s\n' "$(echo "$peer_w" | median)" "$(echo "$peer_c" | median)" ;;
esac
c304_w=$(col curl-conditional recrawl 4) c304_c=$(col curl-conditional recrawl 5)
printf 'curl --parallel-max %s, conditional (every answer a 304): wall %.2f s, cpu %.2f s\n' "$N" \
  "$(echo "$c304_w" | median)" "$(echo "$c304_c" | median)"
for m in $MODE; do
  fw=$(col "hrtrack-$m" first 4) fc=$(col "hrtrack-$m" first 5)
  aw=$(col "hrtrack-$m" recrawl 4) ac=$(col "hrtrack-$m" recrawl 5)
  rss=$(awk -F'\t' -v t="hrtrack-$m" '$2==t{print $6}' "$results" | sort -n | tail -1)
  printf 'hrtrack (%s): first crawl wall %.2f s (%.2fx curl' "$m" "$(echo "$fw" | median)" "$(ratio_median "$fw" "$curl_w")"
  [ "$m" = import ] && printf ', %.2fx curl+import' "$(ratio_median "$fw" "$peer_w")"
  printf '), cpu %.2f s (%.2fx curl' "$(echo "$fc" | median)" "$(ratio_median "$fc" "$curl_c")"
  [ "$m" = import ] && printf ', %.2fx curl+import' "$(ratio_median "$fc" "$peer_c")"
  printf '); re-crawl wall %.2f s (%.1f%% of first, %.2fx conditional curl), cpu %.2f s; peak RSS %d MB\n' \
    "$(echo "$aw" | median)" "$(ratio_median "$aw" "$fw" | awk '{print 100 * $1}')" "$(ratio_median "$aw" "$c304_w")" \
    "$(echo "$ac" | median)" "$((rss / 1024))"
done
