#!/usr/bin/env bash
# Seeds each target's corpus (fuzz/corpus/TARGET, not committed) from the
# shipped content, so the fuzzer starts from valid files and mutates them.
# A seed is one mode byte (which file the input replaces; see each target)
# followed by the file's text.
set -euo pipefail
cd "$(dirname "$0")"
content=../content
seed() { # TARGET NAME MODE-BYTE FILE
    mkdir -p "corpus/$1"
    { printf "\\x$(printf %02x "$3")"; cat "$4"; } > "corpus/$1/$2"
}
i=0
seed framework_load rules 0 "$content/framework/context-rules.toml"
for f in "$content"/framework/skills/*.toml; do
    i=$((i + 2)); seed framework_load "$(basename "$f" .toml)" $((i % 256)) "$f"
done
i=0
for f in "$content"/scenarios/*.toml; do
    seed scenarios_load "$(basename "$f" .toml)" $((i % 256)) "$f"; i=$((i + 2))
done
seed scenarios_load alone 1 "$content/scenarios/launch-slips.toml"
seed stakeholder_templates functions 0 "$content/stakeholders/functions.toml"
seed stakeholder_templates second 1 "$content/stakeholders/functions.toml"
# comms_check: audience, kind and format bytes, then a message.
mkdir -p corpus/comms_check corpus/csv_roundtrip
n=0
for f in ../README.md ../docs/*.md ../content/*/README.md; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    { printf "\\x$(printf %02x $((n % 8)))\\x$(printf %02x $((n % 5)))\\x$(printf %02x $((n % 2)))"; head -c 4000 "$f"; } \
        > "corpus/comms_check/seed$n"
done
printf '\x00\x00\x00Hi Dana,\n\nCan you review the rollout plan by Friday? The beta ships on 3 June.\n' > corpus/comms_check/ask
