#!/usr/bin/env bash
# Builds every fuzz target and runs each for SECONDS (default 20): a smoke
# test that the targets build and find nothing quickly. Not part of .ci/run.
# Needs cargo-fuzz (`cargo install cargo-fuzz`); RUSTC_BOOTSTRAP lets the
# stable compiler take the nightly flags cargo fuzz passes.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-20}
export RUSTC_BOOTSTRAP=1
bash seed.sh
cargo fuzz build -O -s none
for target in $(cargo fuzz list); do
    echo "== $target: ${seconds}s"
    log=$(mktemp)
    if ! cargo fuzz run -O -s none "$target" -- -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 >"$log" 2>&1; then
        tail -40 "$log"
        echo "fuzz target $target failed: the input is in fuzz/artifacts/$target"
        exit 1
    fi
    grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|Done)' "$log" || true
    rm -f "$log"
done
echo "all fuzz targets ran ${seconds}s each with no crash"
