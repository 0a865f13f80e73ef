#!/usr/bin/env bash
# Load benchmark of the web app with wrk, on SQLite and PostgreSQL, against
# the --demo organisation: the dashboard, the results page, the glossary and
# POST /api/v1/check, each at 32 connections, beside the yardstick (a
# minimal axum page with one 32-row SQLite query, crates/web/examples/
# yardstick.rs; with PostgreSQL also the same page served from PostgreSQL)
# measured in the same run. Writes the table into
# docs/benchmarks.md between the load-bench markers.
#
# Usage: bench/load.sh              (from anywhere inside the repository)
# Env:   DURATION=10s  CONNECTIONS=32  THREADS=2
#        PG_URL=postgres://postgres@127.0.0.1:5432/test  (a server to create a fresh database on; empty: skip)
#        BENCH_DOC, PMCOACH_BIN: see bench/lib.sh
# Needs: cargo, curl, psql for PostgreSQL; installs wrk from Debian if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
source bench/lib.sh
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}

build_pmcoach
cargo build --release -q -p pmcoach-web --example yardstick
YARDSTICK=$ROOT/target/release/examples/yardstick

cat > "$TMP/check.lua" << EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("PMCOACH_TOKEN")
wrk.body = [[$CHECK_BODY]]
EOF

# measure LABEL BACKEND URL [wrk args...] -> appends "label|backend|rps|p50|p99|non2xx"
measure() {
  local label=$1 backend=$2 url=$3; shift 3
  local out
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" "$url")
  local rps p50 p99 errors
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<< "$out")
  p50=$(awk '$1 == "50%" {print $2}' <<< "$out")
  p99=$(awk '$1 == "99%" {print $2}' <<< "$out")
  errors=$(awk '/Non-2xx or 3xx responses:/ {print $5}' <<< "$out")
  echo "$label|$backend|$rps|$p50|$p99|${errors:-0}" >> "$TMP/results"
  echo "  $label ($backend): $rps req/s, p50 $p50, p99 $p99, non-2xx ${errors:-0}" >&2
}

port=$(free_port)
yardstick_pg=()
if [ -n "$PG_URL" ]; then
  create_pg_db "yardstick_bench_$$"
  yardstick_pg=("$PG_DB_URL")
fi
"$YARDSTICK" "127.0.0.1:$port" "${yardstick_pg[@]}" > "$TMP/yardstick.log" 2>&1 &
PIDS+=($!)
wait_for "http://127.0.0.1:$port/hello" "$TMP/yardstick.log"
echo "yardstick" >&2
measure "yardstick: 32-row SQLite table" "SQLite" "http://127.0.0.1:$port/"
measure "yardstick: hello" "none" "http://127.0.0.1:$port/hello"
if [ -n "$PG_URL" ]; then
  measure "yardstick: 32-row PostgreSQL table" "PostgreSQL" "http://127.0.0.1:$port/pg"
fi

run_pages() {
  local backend=$1 base=$2
  local cookie token
  cookie=$(sign_in "$base" maya@northwind.example)
  token=$(api_token "$base" "$cookie")
  if [ -z "$cookie" ] || [ -z "$token" ]; then echo "could not sign in to $base" >&2; exit 1; fi
  echo "pmcoach on $backend" >&2
  measure "dashboard (/)" "$backend" "$base/" -H "Cookie: $cookie"
  measure "results (/results)" "$backend" "$base/results" -H "Cookie: $cookie"
  measure "glossary (/glossary)" "$backend" "$base/glossary" -H "Cookie: $cookie"
  export PMCOACH_TOKEN=$token
  measure "POST /api/v1/check" "$backend" "$base/api/v1/check" -s "$TMP/check.lua"
}

start_pmcoach sqlite
run_pages SQLite "$BASE"
if [ -n "$PG_URL" ]; then
  create_pg_db "pmcoach_bench_$$"
  start_pmcoach pg --database-url "$PG_DB_URL"
  run_pages PostgreSQL "$BASE"
fi

# The table, with each page as a ratio to the yardstick's table page.
python3 - "$TMP/results" "$TMP/section" "$(machine)" "$(wrk_version)" "$DURATION" "$CONNECTIONS" "$THREADS" << 'EOF'
import sys, datetime
results, section_file, machine, wrk, duration, connections, threads = sys.argv[1:]
rows = [line.rstrip("\n").split("|") for line in open(results)]
yard = float(next(r for r in rows if r[0].startswith("yardstick: 32-row SQLite"))[2])
yard_pg = next((float(r[2]) for r in rows if r[0].startswith("yardstick: 32-row PostgreSQL")), None)
out = []
out.append("<!-- load-bench:start (written by bench/load.sh; edit the script, not this section) -->")
out.append("## Web app under load")
out.append("")
out.append(f"Measured by `bench/load.sh` on {datetime.date.today().isoformat()}, all rows in the same run.")
out.append("")
out.append(f"- Machine: {machine}; {wrk} on the same machine as the server, `-t{threads} -c{connections} -d{duration} --latency`.")
out.append("- pmcoach: release build, `serve --demo` (Northwind Labs), signed in as Maya (two closed assessment cycles, a growth")
out.append("  plan, nine stakeholders); the check body is a 300-character request to an executive.")
out.append("- Yardstick: `crates/web/examples/yardstick.rs`, a minimal axum page running one 32-row SQLite query and formatting")
out.append("  a table; \"vs yardstick\" is each row's requests per second divided by the yardstick table page's. With")
out.append("  PostgreSQL, the yardstick also serves the same page from PostgreSQL (on the same machine, as pmcoach's is), and")
out.append("  \"vs PostgreSQL yardstick\" divides each PostgreSQL row by that page's figure.")
out.append("")
out.append("| page | database | requests/s | p50 | p99 | non-2xx | vs yardstick | vs PostgreSQL yardstick |")
out.append("|---|---|---:|---:|---:|---:|---:|---:|")
for label, backend, rps, p50, p99, errors in rows:
    ratio = float(rps) / yard
    ratio_pg = f"{float(rps) / yard_pg:.2f}" if yard_pg and backend == "PostgreSQL" else "–"
    out.append(f"| {label} | {backend} | {float(rps):,.0f} | {p50} | {p99} | {errors} | {ratio:.2f} | {ratio_pg} |")
out.append("<!-- load-bench:end -->")
section = "\n".join(out)
open(section_file, "w").write(section + "\n")
print(section)
EOF
write_section load "$TMP/section"
