# Helpers shared by the web benchmarks (bench/load.sh, bench/soak.sh): a demo
# server per database, signing in, API tokens, a scratch directory and
# clean-up, the machine line and writing a section of docs/benchmarks.md.
# Sourced, not run; the caller has done `set -euo pipefail` and cd'd to the
# repository root.
#
# Env:   PG_URL=postgres://postgres@127.0.0.1:5432/test  (a server to create a fresh database on; empty: skip)
#        BENCH_DOC=docs/benchmarks.md  (the file the table is written into)
#        PMCOACH_BIN=path  (use this pmcoach binary instead of building target/release/pmcoach)
# shellcheck shell=bash disable=SC2034  # BASE, PG_DB_URL, CHECK_BODY and the like are for the caller

ROOT=$(pwd)
DOC=${BENCH_DOC:-docs/benchmarks.md}
PG_URL=${PG_URL-postgres://postgres@127.0.0.1:5432/test}
PASSWORD=pmcoach-demo

command -v wrk > /dev/null || { apt-get update -qq && apt-get install -y -qq wrk > /dev/null; }

# build_pmcoach: sets BIN to a release build of pmcoach (or $PMCOACH_BIN).
build_pmcoach() {
  if [ -n "${PMCOACH_BIN:-}" ]; then
    BIN=$PMCOACH_BIN
  else
    cargo build --release -q -p pmcoach
    BIN=$ROOT/target/release/pmcoach
  fi
}

TMP=$(mktemp -d)
PIDS=()
PG_DBS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2> /dev/null || true; done
  if [ ${#PG_DBS[@]} -gt 0 ]; then
    sleep 1
    for db in "${PG_DBS[@]}"; do psql "$PG_URL" -qc "DROP DATABASE IF EXISTS $db" > /dev/null 2>&1 || true; done
  fi
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

# start_pmcoach NAME [--database-url URL]: starts a demo server and sets BASE to its URL,
# SERVER_PID to its process and SERVER_LOG to its log (stdout and stderr).
start_pmcoach() {
  local name=$1; shift
  local port; port=$(free_port)
  local store=("$@")
  [ ${#store[@]} -gt 0 ] || store=(--data-dir "$TMP/$name-data")
  SERVER_LOG=$TMP/$name.log
  PMCOACH_SECURE_COOKIES=false RUST_LOG=warn "$BIN" serve --demo --addr "127.0.0.1:$port" "${store[@]}" \
    > "$SERVER_LOG" 2>&1 &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  wait_for "http://127.0.0.1:$port/healthz" "$SERVER_LOG"
  BASE="http://127.0.0.1:$port"
}

# create_pg_db NAME: creates database NAME on the PG_URL server, sets PG_DB_URL to it
# and drops it on exit.
create_pg_db() {
  psql "$PG_URL" -qc "CREATE DATABASE $1" > /dev/null
  PG_DBS+=("$1")
  PG_DB_URL="${PG_URL%/*}/$1"
}

# stop_servers: stops every server started so far.
stop_servers() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2> /dev/null || true; done
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

# api_token BASE COOKIE [NAME] -> echoes a fresh API token
api_token() {
  local base=$1 cookie=$2 name=${3:-load bench}
  local csrf
  csrf=$(curl -fsS -H "Cookie: $cookie" "$base/settings" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -n1)
  curl -fsS -H "Cookie: $cookie" --data-urlencode "_csrf=$csrf" --data-urlencode "name=$name" \
    "$base/settings/tokens" | sed -n 's/.*value="\(pmc_[^"]*\)".*/\1/p' | head -n1
}

# The body of POST /api/v1/check in both benchmarks: a 300-character request to an executive.
CHECK_BODY='{"text": "Hi Dana, quick update on the export: we shipped the CSV download to 40% of accounts on Monday and support tickets about exports dropped from 31 to 12 this week. Next we roll out to everyone on Thursday 4 December. Can you confirm by Wednesday noon that finance is fine with the new column names? Thanks, Maya", "audience": "exec", "kind": "request"}'

machine() {
  echo "$(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) memory"
}

wrk_version() { (wrk -v 2>&1 || true) | head -n1 | awk '{print $1, $2}'; }

# write_section NAME FILE: replaces the NAME-bench section of $DOC (from its start marker to its end
# marker) with FILE's text, which holds both markers; appends it when the section is missing.
write_section() {
  python3 - "$1" "$2" "$DOC" << 'EOF'
import re, sys
name, section_file, doc = sys.argv[1:]
section = open(section_file).read().strip("\n")
text = open(doc).read()
pattern = re.compile(r"<!-- " + re.escape(name) + r"-bench:start.*?<!-- " + re.escape(name) + r"-bench:end -->", re.S)
text = pattern.sub(lambda _: section, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section + "\n"
open(doc, "w").write(text)
EOF
}
