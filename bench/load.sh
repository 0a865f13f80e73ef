#!/usr/bin/env bash
# Load benchmark of the web app with wrk, on SQLite and PostgreSQL, against
# the --demo organisation: the dashboard, the results page, the glossary and
# POST /api/v1/check, each at 32 connections, beside the yardstick (a
# minimal axum page with one 32-row SQLite query, crates/web/examples/
# yardstick.rs) measured in the same run. Writes the table into
# docs/benchmarks.md between the load-bench markers.
#
# Usage: bench/load.sh              (from anywhere inside the repository)
# Env:   DURATION=10s  CONNECTIONS=32  THREADS=2
#        PG_URL=postgres://postgres@127.0.0.1:5432/test  (a server to create a fresh database on; empty: skip)
# Needs: cargo, curl, psql for PostgreSQL; installs wrk from Debian if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DOC=docs/benchmarks.md
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
PG_URL=${PG_URL-postgres://postgres@127.0.0.1:5432/test}
PASSWORD=pmcoach-demo

command -v wrk > /dev/null || { apt-get update -qq && apt-get install -y -qq wrk > /dev/null; }
cargo build --release -q -p pmcoach
cargo build --release -q -p pmcoach-web --example yardstick
BIN=$ROOT/target/release/pmcoach
YARDSTICK=$ROOT/target/release/examples/yardstick

TMP=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2> /dev/null || true; done
  rm -rf "$TMP"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# wait_for URL LOG: up to a minute (seeding the demo hashes passwords and writes a few thousand rows).
wait_for() {
  for _ in $(seq 600); do curl -fsS -o /dev/null "$1" 2> /dev/null && return 0; sleep 0.1; done
  echo "server at $1 did not start; its log:" >&2
  cat "$2" >&2
  exit 1
}

# start_pmcoach NAME [--database-url URL]: starts a demo server and sets BASE to its URL.
start_pmcoach() {
  local name=$1; shift
  local port; port=$(free_port)
  local store=("$@")
  [ ${#store[@]} -gt 0 ] || store=(--data-dir "$TMP/$name-data")
  PMCOACH_SECURE_COOKIES=false RUST_LOG=warn "$BIN" serve --demo --addr "127.0.0.1:$port" "${store[@]}" \
    > "$TMP/$name.log" 2>&1 &
  PIDS+=($!)
  wait_for "http://127.0.0.1:$port/healthz" "$TMP/$name.log"
  BASE="http://127.0.0.1:$port"
}

# sign_in BASE EMAIL -> echoes the session cookie (name=value)
sign_in() {
  local base=$1 email=$2 jar="$TMP/jar-$RANDOM"
  local csrf
  csrf=$(curl -fsS -c "$jar" "$base/signin" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -n1)
  curl -fsS -o /dev/null -b "$jar" -c "$jar" --data-urlencode "_csrf=$csrf" --data-urlencode "email=$email" \
    --data-urlencode "password=$PASSWORD" "$base/signin"
  awk '$6 == "pmcoach_session" {print $6 "=" $7}' "$jar"
}

# api_token BASE COOKIE -> echoes a fresh API token
api_token() {
  local base=$1 cookie=$2
  local csrf
  csrf=$(curl -fsS -H "Cookie: $cookie" "$base/settings" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -n1)
  curl -fsS -H "Cookie: $cookie" --data-urlencode "_csrf=$csrf" --data-urlencode "name=load bench" \
    "$base/settings/tokens" | sed -n 's/.*value="\(pmc_[^"]*\)".*/\1/p' | head -n1
}

cat > "$TMP/check.lua" << 'EOF'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("PMCOACH_TOKEN")
wrk.body = [[{"text": "Hi Dana, quick update on the export: we shipped the CSV download to 40% of accounts on Monday and support tickets about exports dropped from 31 to 12 this week. Next we roll out to everyone on Thursday 4 December. Can you confirm by Wednesday noon that finance is fine with the new column names? Thanks, Maya", "audience": "exec", "kind": "request"}]]
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
"$YARDSTICK" "127.0.0.1:$port" > "$TMP/yardstick.log" 2>&1 &
PIDS+=($!)
wait_for "http://127.0.0.1:$port/hello" "$TMP/yardstick.log"
echo "yardstick" >&2
measure "yardstick: 32-row SQLite table" "SQLite" "http://127.0.0.1:$port/"
measure "yardstick: hello" "none" "http://127.0.0.1:$port/hello"

run_pages() {
  local backend=$1 base=$2
  local cookie token
  cookie=$(sign_in "$base" maya@northwind.example)
  token=$(api_token "$base" "$cookie")
  [ -n "$cookie" ] && [ -n "$token" ] || { echo "could not sign in to $base" >&2; exit 1; }
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
  db="pmcoach_bench_$$"
  psql "$PG_URL" -qc "CREATE DATABASE $db" > /dev/null
  start_pmcoach pg --database-url "${PG_URL%/*}/$db"
  run_pages PostgreSQL "$BASE"
  for pid in "${PIDS[@]}"; do kill "$pid" 2> /dev/null || true; done
  sleep 1
  psql "$PG_URL" -qc "DROP DATABASE IF EXISTS $db" > /dev/null || true
fi

# The table, with each page as a ratio to the yardstick's table page.
MACHINE="$(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) memory"
WRK_VERSION=$( (wrk -v 2>&1 || true) | head -n1 | awk '{print $1, $2}')
python3 - "$TMP/results" "$DOC" "$MACHINE" "$WRK_VERSION" "$DURATION" "$CONNECTIONS" "$THREADS" << 'EOF'
import sys, datetime, re
results, doc, machine, wrk, duration, connections, threads = sys.argv[1:]
rows = [line.rstrip("\n").split("|") for line in open(results)]
yard = float(next(r for r in rows if r[0].startswith("yardstick: 32"))[2])
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
out.append("  a table; the ratio column is each row's requests per second divided by the yardstick table page's.")
out.append("")
out.append("| page | database | requests/s | p50 | p99 | non-2xx | vs yardstick |")
out.append("|---|---|---:|---:|---:|---:|---:|")
for label, backend, rps, p50, p99, errors in rows:
    ratio = float(rps) / yard
    out.append(f"| {label} | {backend} | {float(rps):,.0f} | {p50} | {p99} | {errors} | {ratio:.2f} |")
out.append("<!-- load-bench:end -->")
section = "\n".join(out)
text = open(doc).read()
pattern = re.compile(r"<!-- load-bench:start.*?<!-- load-bench:end -->", re.S)
text = pattern.sub(lambda _: section, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section + "\n"
open(doc, "w").write(text)
print(section)
EOF
