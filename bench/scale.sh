#!/usr/bin/env bash
# Organisation-scale benchmark (issue 8): generates one organisation of
# 100,000 people (crates/store/examples/big_org.rs) on a fresh SQLite file
# and a fresh PostgreSQL database, then times each organisation-wide
# aggregation through the real store and core code (members, assessment
# completion, scenario item statistics), several runs each. Writes the
# table into docs/benchmarks.md between the scale-bench markers.
#
# Usage: bench/scale.sh              (from anywhere inside the repository)
# Env:   PEOPLE=100000  RUNS=5  SEED=1
#        PG_URL=postgres://postgres@127.0.0.1:5432/test  (a server to create a fresh database on; empty: skip)
# Needs: cargo; psql for PostgreSQL. About 1.5 GB of disk for SQLite and 3 GB for PostgreSQL at 100,000 people.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DOC=docs/benchmarks.md
PEOPLE=${PEOPLE:-100000}
RUNS=${RUNS:-5}
SEED=${SEED:-1}
PG_URL=${PG_URL-postgres://postgres@127.0.0.1:5432/test}

cargo build --release -q -p pmcoach-store --example big_org
BIN=$ROOT/target/release/examples/big_org

TMP=$(mktemp -d)
DB=""
cleanup() {
  rm -rf "$TMP"
  if [ -n "$DB" ]; then psql "$PG_URL" -qc "DROP DATABASE IF EXISTS $DB" > /dev/null || true; fi
}
trap cleanup EXIT

# run BACKEND URL SIZE_COMMAND...: generates, times, appends to $TMP/results.
run() {
  local backend=$1 url=$2; shift 2
  echo "$backend: generating $PEOPLE people" >&2
  "$BIN" generate "$url" --people "$PEOPLE" --seed "$SEED" | sed "s/^/$backend|/" >> "$TMP/results"
  echo "SIZE|$("$@")" | sed "s/^/$backend|/" >> "$TMP/results"
  echo "$backend: timing, $RUNS runs each" >&2
  "$BIN" time "$url" --runs "$RUNS" | sed "s/^/$backend|/" >> "$TMP/results"
}

run SQLite "$TMP/scale.db" sh -c "du -cb '$TMP'/scale.db* | tail -n1 | cut -f1"
if [ -n "$PG_URL" ]; then
  DB="pmcoach_scale_$$"
  psql "$PG_URL" -qc "CREATE DATABASE $DB" > /dev/null
  run PostgreSQL "${PG_URL%/*}/$DB" psql "$PG_URL" -tAc "SELECT pg_database_size('$DB')"
  psql "$PG_URL" -qc "DROP DATABASE IF EXISTS $DB" > /dev/null
  DB=""
fi

MACHINE="$(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) memory"
PG_VERSION=""
[ -z "$PG_URL" ] || PG_VERSION=$(psql "$PG_URL" -tAc "SHOW server_version" | awk '{print $1}')
python3 - "$TMP/results" "$DOC" "$MACHINE" "$PEOPLE" "$RUNS" "$SEED" "$PG_VERSION" << 'EOF'
import sys, datetime, re
results, doc, machine, people, runs, seed, pg_version = sys.argv[1:]
lines = [line.rstrip("\n").split("|") for line in open(results)]
backends = list(dict.fromkeys(l[0] for l in lines))
rows = {}
for l in lines:
    if l[1] == "ROWS":
        rows.setdefault(l[0], {})[l[2]] = int(l[3])
first = rows[backends[0]]
out = []
out.append("<!-- scale-bench:start (written by bench/scale.sh; edit the script, not this section) -->")
out.append("## Organisation scale")
out.append("")
out.append(f"Measured by `bench/scale.sh` on {datetime.date.today().isoformat()}, all rows in the same run.")
out.append("")
out.append(f"- Machine: {machine}. Release build; SQLite bundled with sqlx, PostgreSQL {pg_version or '(skipped)'} on the same machine.")
out.append(f"- Data: `big_org generate --people {people} --seed {seed}` (`crates/store/examples/big_org.rs`), the same rows on")
out.append("  both databases: " + ", ".join(f"{n:,} {t.replace('_', ' ')}" for t, n in first.items() if t != "total")
           + f"; {first['total']:,} rows in all.")
out.append(f"- Each aggregation runs {runs} times in one process through `pmcoach_store::open` and core, as its admin page does;")
out.append("  *first* is the first run, then the fastest and the median; *store* and *core* split the median run's time")
out.append("  between the store call (query and decoding) and core's work on its rows. Target: under 1 s each.")
out.append("")
out.append("| database | generation | rows written | database size |")
out.append("|---|---:|---:|---:|")
for b in backends:
    get = lambda key: next(l for l in lines if l[0] == b and l[1] == key)
    size = int(get("SIZE")[2]) / 1e9
    out.append(f"| {b} | {float(get('GENERATED')[2]):.1f} s | {rows[b]['total']:,} | {size:.2f} GB |")
out.append("")
out.append("| aggregation | database | what | first | fastest | median | store | core | under 1 s |")
out.append("|---|---|---|---:|---:|---:|---:|---:|:---:|")
for l in lines:
    if l[1] != "TIME":
        continue
    b, _, name, _, what, first_ms, min_ms, median_ms, store_ms, core_ms = l
    what = re.sub(r"\d{4,}", lambda m: f"{int(m.group()):,}", what)
    ok = "yes" if float(median_ms) < 1000 else "**no**"
    out.append(f"| {name} | {b} | {what} | {float(first_ms):,.0f} ms | {float(min_ms):,.0f} ms | {float(median_ms):,.0f} ms"
               f" | {float(store_ms):,.0f} ms | {float(core_ms):,.0f} ms | {ok} |")
out.append("<!-- scale-bench:end -->")
section = "\n".join(out)
text = open(doc).read()
pattern = re.compile(r"<!-- scale-bench:start.*?<!-- scale-bench:end -->", re.S)
text = pattern.sub(lambda _: section, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section + "\n"
open(doc, "w").write(text)
print(section)
EOF
