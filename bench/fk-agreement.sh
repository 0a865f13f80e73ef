#!/usr/bin/env bash
# Compares pmcoach's Flesch–Kincaid grade with textstat's flesch_kincaid_grade,
# file by file, on the shared man-page corpus; prints the mean absolute
# difference. Usage: bench/fk-agreement.sh [PMCOACH_BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-target/release/pmcoach}
CORPUS=target/bench-corpus
PEERS=target/bench-peers
[ -f "$CORPUS/corpus.txt" ] || bash ../shared/bench/build-corpus.sh "$CORPUS"
[ -x "$PEERS/venv/bin/python" ] || bash ../shared/bench/setup-peers.sh "$PEERS"
"$BIN" check "$CORPUS/files" --format json --jobs 2 > target/fk-pmcoach.json || true
NLTK_DATA="$PEERS/venv/nltk_data" "$PEERS/venv/bin/python" - "$CORPUS/files" target/fk-pmcoach.json <<'PY'
import json, os, sys, statistics
import textstat
folder, ours_path = sys.argv[1], sys.argv[2]
ours = {os.path.basename(f["path"]): f["reading_grade"] for f in json.load(open(ours_path))["files"]}
diffs, signed = [], []
for name in sorted(os.listdir(folder)):
    text = open(os.path.join(folder, name), encoding="utf-8").read()
    theirs = textstat.flesch_kincaid_grade(text)
    if name in ours:
        diffs.append(abs(ours[name] - theirs)); signed.append(ours[name] - theirs)
print(f"files={len(diffs)} mean_abs_diff={statistics.mean(diffs):.2f} median_abs_diff={statistics.median(diffs):.2f} "
      f"mean_signed_diff={statistics.mean(signed):+.2f} within_1_grade={sum(d <= 1 for d in diffs) / len(diffs):.0%}")
PY
