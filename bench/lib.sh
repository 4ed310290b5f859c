# Shared by the benchmarks: paths, the bulk collections unpacked once, timing with peak RSS.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export HRTRACK_SHARED=${HRTRACK_SHARED:-$root/../shared}
work=${HRTRACK_BENCH_DIR:-/tmp/hrtrack-bench}
hrtrack=${HRTRACK_BIN:-$root/build/release/app/hrtrack}
runs=${RUNS:-3}
mkdir -p "$work"

# unpack_bulk: every German federal law and every Canadian act and regulation, once.
unpack_bulk() {
  if [ ! -f "$work/bulk/.unpacked" ]; then
    rm -rf "$work/bulk" && mkdir -p "$work/bulk"
    for f in "$HRTRACK_SHARED"/bulk/*.tar.zst; do zstd -dc "$f" | tar -x -C "$work/bulk"; done
    touch "$work/bulk/.unpacked"
  fi
}

# fraction_dir PCT: a folder of links to every (100/PCT)-th bulk file, spread over the collections.
fraction_dir() {
  local pct=$1 dir="$work/fraction-$1"
  if [ ! -d "$dir" ]; then
    mkdir -p "$dir"
    local step=$((100 / pct)) i=0
    find "$work/bulk" -type f -name '*.xml' | sort | while read -r f; do
      if [ $((i % step)) -eq 0 ]; then ln -s "$f" "$dir/$(echo "${f#$work/bulk/}" | tr '/' '_')"; fi
      i=$((i + 1))
    done
  fi
  echo "$dir"
}

# timed OUT CMD...: runs CMD, appends "seconds peak_kb" to OUT.
timed() {
  local out=$1; shift
  /usr/bin/time -f "%e %M" -o "$out.one" "$@" > /dev/null 2>> "$work/stderr.log" || true
  cat "$out.one" >> "$out"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
