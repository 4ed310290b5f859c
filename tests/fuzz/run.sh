#!/usr/bin/env bash
# Runs the libFuzzer harnesses for SECONDS (default 60) each, two at a time, seeded from the
# real legislation and queries in ../shared and bench/. Prints each harness's executions,
# exec/s, coverage and peak RSS; exits 1 when any harness crashed (or broke an invariant).
# A crash leaves its input in $work/crashes/<harness>/: minimise it
# (harness -minimize_crash=1 -runs=10000 FILE), commit it under
# tests/fuzz/regressions/<harness>/ and fix.
#
# Usage: tests/fuzz/run.sh [SECONDS [HARNESS...]]
#   (after: cmake --preset fuzz && cmake --build --preset fuzz)
# Environment: HRTRACK_FUZZ_BUILD (build folder, default build/fuzz), HRTRACK_FUZZ_DIR (work
# folder: seeds, grown corpora, crashes, logs; default /tmp/hrtrack-fuzz), HRTRACK_FUZZ_JOBS
# (harnesses at a time, default 2), HRTRACK_SHARED.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
export HRTRACK_SHARED=${HRTRACK_SHARED:-$root/../shared}
shared=$HRTRACK_SHARED
seconds=${1:-60}
[ $# -gt 0 ] && shift
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=(fuzz_parse fuzz_citations fuzz_query fuzz_http fuzz_sources)
build=${HRTRACK_FUZZ_BUILD:-$root/build/fuzz}/tests/fuzz
work=${HRTRACK_FUZZ_DIR:-/tmp/hrtrack-fuzz}
jobs=${HRTRACK_FUZZ_JOBS:-2}
here=$root/tests/fuzz
# UBSan findings stop the run like ASan's do.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
# Leaks: only a known one in libxapian is suppressed (see lsan.supp).
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$root/tests/fuzz/lsan.supp:print_suppressions=0}
mkdir -p "$work"

for h in "${harnesses[@]}"; do
  [ -x "$build/$h" ] || { echo "run.sh: $build/$h is not built (cmake --build --preset fuzz)" >&2; exit 2; }
done

# One seed file per argument line on stdin, named <prefix><n>.
seed_lines() {
  local dir=$1 prefix=$2 i=0 line
  while IFS= read -r line; do
    printf '%s' "$line" > "$dir/$prefix$i"
    i=$((i + 1))
  done
}

uri() { jq -rn --arg v "$1" '$v|@uri'; }

seed_documents() {  # each real document behind a 0 byte (format detection), cut to 16 KiB
  local dir=$1 i=0
  find "$shared/legislation" -type f \( -name '*.xml' -o -name '*.md' \) | sort | while read -r f; do
    { printf '\0'; head -c 16384 "$f"; } > "$dir/doc$i"
    i=$((i + 1))
  done
}

seed_query() {
  local dir=$1
  # The benchmark's 66 real queries (query, TAB, as-of), as they are.
  grep -v '^#' "$root/bench/index/queries.tsv" | grep . | seed_lines "$dir" bench
  # Headings of the real legislation (markdown renderings): words, numbers, §, umlauts.
  find "$shared/legislation" -name '*.md' | sort | xargs grep -h '^#' | sed 's/^#* *//' | sed -n '1,200p' |
    seed_lines "$dir" heading
  # Every field, and the malformed queries the parser must refuse with a message.
  printf '%s\n' \
    $'possession\t2022-01-01\tCA\ten\t0\t5\t0' $'Betäubungsmittel\t\tDE\tde\t10\t10\t2' \
    $'concept:possession\t2021-03-01\t\t\t0\t100\t4' $'cannabis\t\t\t\t0\t0\t1' \
    $'possession\t2023-02-29' $'possession\t9999-12-31' $'possession\t\t\t\t2147483647\t10' \
    $'possession\t\t\t\t-1\t-1' $'possession\t\t\t\t0\t1001' \
    '' ' ' '"unbalanced' '(possession' 'possession)' 'AND possession' 'possession OR' 'NOT' 'possession AND OR cannabis' \
    'unknown:prefix' 'concept:no-such-concept' 'concept:' 'jurisdiction:' 'instrument:"C.R.C., c. 1041"' \
    'section:C-38.8#56.1' '~' '~~syringe' 'possession NEAR/3 cannabis' '"personal use" -cannabis +drug' \
    'title:"Controlled Drugs" heading:Offences' 'provision:possession' 'lang:xx possession' 'type:act' \
    'possession*' 'a (b OR (c AND NOT d))' |
    seed_lines "$dir" case
}

seed_http() {
  local dir=$1 i=0 q asof path
  req() { printf '%b' "$1" > "$dir/req$i"; i=$((i + 1)); }
  # A form POST; {csrf} becomes 64 hex digits in the harness, and Content-Length counts them.
  post() {
    local body=$3 n=${#3} rest=$3
    while [[ $rest == *'{csrf}'* ]]; do n=$((n + 58)); rest=${rest#*'{csrf}'}; done
    req "POST $1 HTTP/1.1\r\n$2Content-Type: application/x-www-form-urlencoded\r\nContent-Length: $n\r\n\r\n$body"
  }
  for path in / /compare /search /changes /review /login /about /favicon.ico /assets/style.css \
      /jurisdictions/CA /jurisdictions/DE /jurisdictions/XX /provisions/possession /provisions/needle-exchange \
      /reports/CA /reports/DE.md /review/CA/possession /feeds/changes.atom /feeds/jurisdictions/CA.atom \
      /feeds/provisions/possession.atom '/section?id=C-38.8%235' '/section?id=C-38.8%2356.1&lang=en' \
      '/instrument?id=C-38.8' '/changes?jurisdiction=CA&kind=versions&page=1' '/compare?jurisdiction=CA&jurisdiction=DE' \
      /api/v1 /api/v1/openapi.json /api/v1/jurisdictions /api/v1/jurisdictions/CA /api/v1/jurisdictions/CA/timeline \
      /api/v1/provisions /api/v1/provisions/possession /api/v1/answers /api/v1/compare /api/v1/instruments \
      '/api/v1/sections?id=C-38.8%234' /api/v1/changes /api/v1/export/answers.csv /api/v1/export/answers.json \
      /no/such/page '/jurisdictions/%3Cscript%3E' '/search?q=%3Cscript%3Ealert(1)%3C/script%3E'; do
    req "GET $path HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
  done
  # The benchmark's real queries, on the search page and the API.
  while IFS=$'\t' read -r q asof; do
    req "GET /search?q=$(uri "$q")&as_of=$asof HTTP/1.1\r\n\r\n"
    req "GET /api/v1/search?q=$(uri "$q")&limit=5&offset=5 HTTP/1.1\r\n\r\n"
  done < <(grep -v '^#' "$root/bench/index/queries.tsv" | grep .)
  # Signed in: the review form and its POST with the session's CSRF token; sign-in, sign-out.
  req 'GET /review/CA/possession HTTP/1.1\r\nCookie: hrsid={sid}\r\n\r\n'
  post /review/CA/possession 'Cookie: hrsid={sid}\r\n' 'csrf={csrf}&status=restricted&note=%3Cb%3Ewhy%3C/b%3E&evidence=C-38.8%234'
  post /login 'Cookie: hrsid={sid}\r\n' 'csrf={csrf}&name=%3Cscript%3E&password=wrong-password'
  post /logout 'Cookie: hrsid={sid}\r\n' 'csrf={csrf}'
  post /review/CA/possession '' 'csrf=nope&status=provided&note=x'
  # HEAD, a conditional request followed by a pipelined one, chunked, methods, garbage.
  req 'HEAD /jurisdictions/CA HTTP/1.1\r\n\r\n'
  req 'GET / HTTP/1.1\r\nIf-None-Match: *\r\n\r\nGET /search?q=Spritzen HTTP/1.1\r\n\r\n'
  req 'POST /login HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\n5\r\ncsrf=\r\n0\r\n\r\n'
  req 'GET /search?q=possession HTTP/1.1\r\nExpect: 100-continue\r\n\r\n'
  req 'DELETE /api/v1/jurisdictions HTTP/1.1\r\n\r\n'
  req 'GET /%00%0d%0aSet-Cookie:x HTTP/1.1\r\n\r\n'
  req 'GARBAGE\r\n\r\n'
}

seed_sources() {  # the real registry, each file renamed to the harness's XX.toml
  local dir=$1 i=0 f
  for f in "$root"/sources/*.toml; do
    sed 's/^code = ".*"/code = "XX"/' "$f" > "$dir/registry$i"
    i=$((i + 1))
  done
  cp "$here"/regressions/fuzz_sources/* "$dir/"
}

seed() {
  local h=$1 dir=$work/seeds/$1
  [ -d "$dir" ] && return
  mkdir -p "$dir.tmp"
  case $h in
    fuzz_parse | fuzz_citations) seed_documents "$dir.tmp" ;;
    fuzz_query) seed_query "$dir.tmp" ;;
    fuzz_http) seed_http "$dir.tmp" ;;
    fuzz_sources) seed_sources "$dir.tmp" ;;
  esac
  mv "$dir.tmp" "$dir"
}

max_len() {
  case $1 in fuzz_query) echo 1024 ;; fuzz_http) echo 4096 ;; *) echo 16384 ;; esac
}

run_one() {
  local h=$1 log=$work/$1.log
  local args=(-max_total_time="$seconds" -max_len="$(max_len "$h")" -timeout=20 -rss_limit_mb=2048
              -print_final_stats=1 -artifact_prefix="$work/crashes/$h/")
  [ -f "$here/$h.dict" ] && args+=(-dict="$here/$h.dict")
  mkdir -p "$work/corpus/$h" "$work/crashes/$h"
  if "$build/$h" "${args[@]}" "$work/corpus/$h" "$work/seeds/$h" > "$log" 2>&1; then
    echo 0 > "$work/$h.status"
  else
    echo 1 > "$work/$h.status"
  fi
}

report() {
  local h=$1 log=$work/$1.log last
  last=$(grep -E '^#[0-9]+.*cov:' "$log" | tail -1 || true)
  printf '%-15s %s execs, %s exec/s, cov %s ft %s, peak RSS %s MB\n' "$h" \
    "$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")" \
    "$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")" \
    "$(sed -n 's/.*cov: \([0-9]*\).*/\1/p' <<< "$last")" "$(sed -n 's/.*ft: \([0-9]*\).*/\1/p' <<< "$last")" \
    "$(sed -n 's/^stat::peak_rss_mb: *//p' "$log")"
  if [ "$(cat "$work/$h.status")" != 0 ]; then
    echo "$h: CRASH, input in $work/crashes/$h/ (log: $log):"
    grep -E 'INVARIANT BROKEN|ERROR: (AddressSanitizer|libFuzzer)|runtime error|SUMMARY' "$log" | sed -n '1,5s/^/    /p'
    return 1
  fi
}

for h in "${harnesses[@]}"; do seed "$h"; done
echo "fuzzing ${harnesses[*]}: ${seconds}s each, $jobs at a time (logs in $work)"
pending=("${harnesses[@]}")
while [ ${#pending[@]} -gt 0 ]; do
  batch=("${pending[@]:0:$jobs}")
  pending=("${pending[@]:$jobs}")
  for h in "${batch[@]}"; do run_one "$h" & done
  wait
done
status=0
for h in "${harnesses[@]}"; do report "$h" || status=1; done
exit $status
