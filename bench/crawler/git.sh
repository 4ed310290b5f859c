#!/usr/bin/env bash
# Git-source benchmark (not in CI): `hrtrack crawl` of a git source against `git clone` of
# the same repository, in the same run. The repository is built from the 30 oldest dated
# copies of the Estonian narcotics act (history/EE/npals@*.md, one commit each, dated as the
# copy) and served from 127.0.0.1 over git's smart HTTP protocol (`git http-backend` as a CGI
# of python's http.server), the protocol of a real crawl, to both tools. See README.md.
#
#   bench/crawler/git.sh        (env: RUNS=5, COMMITS=30, PORT=8767, HRTRACK_BIN, HRTRACK_BENCH_DIR)
#   REPO=/path/to/bare.git PATHS="ee/73726.md ee/184411.md" LANG_CODE=et bench/crawler/git.sh
#                               (a real repository instead: served the same way, its listed files)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib.sh"
# "wall_s peak_rss_kb cpu_s" of a command (CPU = user + system, children included), appended to $1.
timed() {
  local out=$1; shift
  /usr/bin/time -f "%e %M %U %S" -o "$out.one" "$@" > /dev/null 2>> "$work/stderr.log" || true
  awk '{printf "%s %s %.2f\n", $1, $2, $3 + $4}' "$out.one" >> "$out"
}
RUNS=${RUNS:-5}
COMMITS=${COMMITS:-30}
PORT=${PORT:-8767}
[ -x "$hrtrack" ] || { echo "no $hrtrack: build the hrtrack target first" >&2; exit 1; }
bench=$work/git
rm -rf "$bench" && mkdir -p "$bench"

# 1. The publisher's repository: one commit per dated copy, author and committer dated as it.
mkdir -p "$bench/repos" "$bench/www/cgi-bin"
paths=${PATHS:-ee/73726.md}
if [ -n "${REPO:-}" ]; then
  git clone -q --bare "$REPO" "$bench/repos/publisher.git"
else
  tree=$bench/tree
  git init -q -b main "$tree"
  mkdir -p "$tree/ee"
  for f in $(ls "$HRTRACK_SHARED"/legislation/history/EE/npals@*.md | sort | head -n "$COMMITS"); do
    date=$(basename "$f" .md); date=${date#npals@}
    cp "$f" "$tree/ee/73726.md"
    git -C "$tree" add ee/73726.md
    GIT_AUTHOR_DATE="${date}T12:00:00Z" GIT_COMMITTER_DATE="${date}T12:00:00Z" \
      git -C "$tree" -c user.name=Publisher -c user.email=pub@example.org commit -q -m "[reform] NPALS $date"
  done
  git clone -q --bare "$tree" "$bench/repos/publisher.git"
fi
git -C "$bench/repos/publisher.git" repack -q -a -d  # one pack, as a host keeps it
n=$(git -C "$bench/repos/publisher.git" rev-list --count HEAD)
branch=$(git -C "$bench/repos/publisher.git" symbolic-ref --short HEAD)
echo "repository: $n commits, $(du -sk "$bench/repos/publisher.git" | cut -f1) KB" >&2

# The server: python runs CGIs as nobody when started as root, hence safe.directory.
printf '%s\n' '#!/bin/sh' "export GIT_PROJECT_ROOT=$bench/repos GIT_HTTP_EXPORT_ALL=1" \
  "export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=safe.directory GIT_CONFIG_VALUE_0='*'" \
  'exec git http-backend' > "$bench/www/cgi-bin/git"
chmod +x "$bench/www/cgi-bin/git"
(cd "$bench/www" && exec python3 -m http.server --cgi "$PORT" --bind 127.0.0.1 > "$bench/server.log" 2>&1) &
server=$!
trap 'kill $server 2>/dev/null' EXIT
base=http://127.0.0.1:$PORT/cgi-bin/git
for _ in $(seq 50); do curl -sf -o /dev/null "$base/publisher.git/info/refs?service=git-upload-pack" && break; sleep 0.1; done
url=$base/publisher.git
# hrtrack reads the repository under an official https URL, fetched from the local server.
official=https://git.bench.example/publisher.git
override=(--host-override "git.bench.example=$base" --delay-ms 0 --retries 0)

# 2. The sources: the repository as a git source, parsed (markdown) or stored only (raw).
for mode in import raw; do
  format=markdown; [ $mode = raw ] && format=raw
  mkdir -p "$bench/sources-$mode"
  cat > "$bench/sources-$mode/EE.toml" <<EOF
code = "EE"
name = "Estonia"
languages = ["et"]

[[source]]
id = "EE/bench"
git = "$official"
format = "$format"
language = "${LANG_CODE:-et}"
branch = "$branch"
dated_by = "author"
paths = [$(printf '"%s", ' $paths)]
EOF
done

# 3. Per run, alternating: git clone (bare: fetch only; and with a checkout of the head), then
#    hrtrack's first crawl (clone + every commit imported) and its re-crawl (a fetch that
#    brings nothing), whose peer is `git fetch` in the bare clone.
for run in $(seq "$RUNS"); do
  rm -rf "$bench/clone.git" "$bench/clone"
  timed "$bench/git-clone-bare" git clone -q --bare "$url" "$bench/clone.git"
  timed "$bench/git-clone" git clone -q "$url" "$bench/clone"
  timed "$bench/git-fetch" git -C "$bench/clone.git" fetch -q origin
  for mode in import raw; do
    rm -rf "$bench/data-$mode"
    timed "$bench/hrtrack-$mode-first" "$hrtrack" --data "$bench/data-$mode" crawl --sources "$bench/sources-$mode" "${override[@]}" --json
    timed "$bench/hrtrack-$mode-recrawl" "$hrtrack" --data "$bench/data-$mode" crawl --sources "$bench/sources-$mode" "${override[@]}" --json
  done
done
versions=$(sqlite3 "$bench/data-import/catalogue.sqlite3" "SELECT count(*) FROM version")

# 4. Medians, and each ratio taken within its run, then the median of those.
col() { awk '{print $1}' "$bench/$1"; }
cpu() { awk '{print $3}' "$bench/$1"; }
rss() { awk '{print $2}' "$bench/$1" | sort -n | tail -1; }
ratio() { paste <(col "$1") <(col "$2") | awk '{print $1 / $2}' | median; }
echo "git source, $n commits, $versions versions; runs $RUNS (medians; ratios per run, then their median)"
cpu_ratio() { paste <(cpu "$1") <(cpu "$2") | awk '{print ($2 > 0 ? $1 / $2 : 0)}' | median; }
printf '%-24s %8s %8s %9s %12s %12s\n' "" "wall s" "cpu s" "peak MB" "wall x bare" "cpu x bare"
for t in git-clone-bare git-clone git-fetch hrtrack-raw-first hrtrack-import-first hrtrack-raw-recrawl hrtrack-import-recrawl; do
  printf '%-24s %8.3f %8.2f %9.1f %12.2f %12.2f\n' "$t" "$(col $t | median)" "$(cpu $t | median)" \
    "$(awk -v k="$(rss $t)" 'BEGIN {print k / 1024}')" "$(ratio $t git-clone-bare)" "$(cpu_ratio $t git-clone-bare)"
done
printf 're-crawl x git fetch: raw %.2f, import %.2f\n' "$(ratio hrtrack-raw-recrawl git-fetch)" "$(ratio hrtrack-import-recrawl git-fetch)"
# The last re-crawl, checked: nothing failed, the branch had not moved.
"$hrtrack" --data "$bench/data-import" crawl --sources "$bench/sources-import" "${override[@]}" --json |
  python3 -c 'import json,sys; j=json.load(sys.stdin); assert j["failed"] == 0 and j["not_modified"] == 1, j; print("re-crawl: ok")'
