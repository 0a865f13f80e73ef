#!/usr/bin/env bash
# Soak test of the web app: SOAK_DURATION (10 minutes) of wrk at 32
# connections against the --demo organisation, on SQLite and PostgreSQL, with
# a mix of what signed-in people do: Maya reads the pages she uses and checks
# messages over the API, and Jonas logs practice entries and answers scenarios
# over the API, so the database grows all the time. Meanwhile the server's
# resident memory (VmRSS), threads, open files and database size are sampled
# into target/soak/<database>.csv. Passes when no request fails (non-2xx/3xx
# or socket error, timeouts included), memory is flat (see FLAT below), the
# server still answers /healthz and its log has no ERROR or panic lines; exits
# 1 otherwise. Writes the table into docs/benchmarks.md between the soak-bench
# markers either way.
#
# Usage: bench/soak.sh              (from anywhere inside the repository)
# Env:   SOAK_DURATION=10m  (s, m or h)  CONNECTIONS=32  THREADS=2
#        SAMPLE_EVERY=10  (seconds between memory samples; 2 for soaks under 5 minutes)
#        WINDOW=60  (seconds in the first and last windows compared; a fifth of the soak for soaks under 5 minutes)
#        PG_URL=postgres://postgres@127.0.0.1:5432/test  (a server to create a fresh database on; empty: skip)
#        BENCH_DOC, PMCOACH_BIN: see bench/lib.sh
# Needs: cargo, curl, python3, psql for PostgreSQL; installs wrk from Debian if missing.
#
# FLAT: the median RSS of the last window exceeds the median RSS of the first
# window after warm-up (the soak's second window, e.g. minute 1-2) by at most
# FLAT_MIB (8) MiB or FLAT_PERCENT (10) %, whichever is larger. The first
# window (minute 0-1) is warm-up: caches, the connection pools and the
# allocator's arenas fill there.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
source bench/lib.sh
SOAK_DURATION=${SOAK_DURATION:-10m}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
FLAT_MIB=${FLAT_MIB:-8}
FLAT_PERCENT=${FLAT_PERCENT:-10}
OUT=$ROOT/target/soak

seconds() {
  case $1 in
    *h) echo $((${1%h} * 3600)) ;;
    *m) echo $((${1%m} * 60)) ;;
    *s) echo "${1%s}" ;;
    *) echo "$1" ;;
  esac
}
SECONDS_TOTAL=$(seconds "$SOAK_DURATION")
if [ "$SECONDS_TOTAL" -ge 300 ]; then
  SAMPLE_EVERY=${SAMPLE_EVERY:-10}
  WINDOW=${WINDOW:-60}
else
  SAMPLE_EVERY=${SAMPLE_EVERY:-2}
  WINDOW=${WINDOW:-$((SECONDS_TOTAL / 5))}
fi
if [ "$WINDOW" -lt "$SAMPLE_EVERY" ] || [ $((3 * WINDOW)) -gt "$SECONDS_TOTAL" ]; then
  echo "SOAK_DURATION must be at least three windows of at least one sample each" >&2
  exit 2
fi

build_pmcoach
mkdir -p "$OUT"

# The mix, one cycle of 27 requests per wrk thread (each thread starts at its own place in it):
# 18 pages with Maya's session cookie, 3 API reads and 3 checks with her token, and 3 writes
# with Jonas's token (2 practice entries, 1 scenario answer). Jonas writes, not Maya, so that the
# pages read stay the same size: the practice page lists every entry of its owner.
# Per thread it counts the responses by status and by second and keeps the first failed responses;
# done() appends them, with wrk's summary, to $SOAK_OUT.
cat > "$TMP/soak.lua" << 'EOF'
local cookie = os.getenv("SOAK_COOKIE")
local token = os.getenv("SOAK_TOKEN")
local writer = os.getenv("SOAK_WRITER_TOKEN")
local stakeholder = os.getenv("SOAK_STAKEHOLDER")
local scenarios = {}
for id in string.gmatch(os.getenv("SOAK_SCENARIOS"), "[^,]+") do scenarios[#scenarios + 1] = id end
local skills = { "active-listening", "communication", "customer-obsession", "decision-making", "empathy",
  "executive-communication", "influence", "negotiation", "stakeholder-alignment", "storytelling",
  "data-analysis", "experimentation", "sql", "product-sense" }

local function page(path) return wrk.format("GET", path, { ["Cookie"] = cookie }) end
local function api(path) return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. token }) end
local check = wrk.format("POST", "/api/v1/check",
  { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, os.getenv("SOAK_CHECK_BODY"))
local mix = {
  page("/"), page("/results"), check, page("/glossary"), "practice", page("/plan"),
  page("/practice"), api("/api/v1/me"), page("/stakeholders"), page("/stakeholders/" .. stakeholder),
  check, page("/scenarios"), "answer", page("/scenarios/" .. scenarios[1]), page("/scenarios/progress"),
  page("/notifications"), api("/api/v1/results"), page("/coach"), "practice", page("/profile"),
  page("/glossary/empathy"), check, page("/plan/check-in"), page("/settings"), api("/api/v1/stakeholders"),
  page("/assessment"), page("/results.csv"),
}
local writes = { ["Authorization"] = "Bearer " .. writer, ["Content-Type"] = "application/json" }

local threads = {}
function setup(thread)
  thread:set("id", #threads)
  threads[#threads + 1] = thread
end

statuses, seconds, failures, practice, answers = {}, {}, {}, 0, 0
local next_request

function init(args)
  next_request = (id * 11) % #mix
end

function request()
  next_request = next_request % #mix + 1
  local r = mix[next_request]
  if r == "practice" then
    practice = practice + 1
    local body = string.format('{"skill":"%s","did":"Soak %d-%d: walked the team through the reconciliation backlog","learned":"Ask for the decision before the details","next_step":"Send the summary by Friday"}',
      skills[practice % #skills + 1], id, practice)
    return wrk.format("POST", "/api/v1/practice", writes, body)
  elseif r == "answer" then
    answers = answers + 1
    local body = string.format('{"format":"best-worst","best":%d,"worst":%d}', answers % 5 + 1, (answers + 2) % 5 + 1)
    return wrk.format("POST", "/api/v1/scenarios/" .. scenarios[answers % #scenarios + 1] .. "/answers", writes, body)
  end
  return r
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  local now = os.time()
  seconds[now] = (seconds[now] or 0) + 1
  if status >= 400 and #failures < 5 then
    failures[#failures + 1] = status .. " " .. string.gsub(string.sub(body or "", 1, 300), "%s+", " ")
  end
end

function done(summary, latency, requests)
  local f = assert(io.open(os.getenv("SOAK_OUT"), "a"))
  f:write(string.format("summary,requests,%d\nsummary,duration_us,%d\n", summary.requests, summary.duration))
  for _, kind in ipairs({ "connect", "read", "write", "status", "timeout" }) do
    f:write(string.format("errors,%s,%d\n", kind, summary.errors[kind]))
  end
  for _, p in ipairs({ 50, 99, 99.9 }) do
    f:write(string.format("latency,%s,%d\n", p, latency:percentile(p)))
  end
  f:write(string.format("latency,max,%d\n", latency.max))
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do f:write(string.format("status,%d,%d\n", status, n)) end
    for second, n in pairs(thread:get("seconds")) do f:write(string.format("second,%d,%d\n", second, n)) end
    for _, failure in ipairs(thread:get("failures")) do f:write("failure," .. failure .. "\n") end
    f:write(string.format("writes,practice,%d\nwrites,answers,%d\n", thread:get("practice"), thread:get("answers")))
  end
  f:close()
end
EOF

# sample PID CSV SIZE-COMMAND...: every SAMPLE_EVERY seconds while PID lives, appends its resident
# memory, threads, open files, CPU time (clock ticks, user + system) and the database size
# (SIZE-COMMAND's output, in bytes) to CSV. Reads /proc with shell builtins, so that a sample
# costs little on a machine the soak keeps busy.
sample() {
  local pid=$1 csv=$2; shift 2
  local next=${EPOCHREALTIME%.*} key value rss threads fds stat db now
  echo "epoch,rss_kib,threads,fds,cpu_ticks,db_bytes" > "$csv"
  while [ -r "/proc/$pid/status" ]; do
    now=$EPOCHREALTIME
    while read -r key value _; do
      case $key in
        VmRSS:) rss=$value ;;
        Threads:) threads=$value ;;
      esac
    done < "/proc/$pid/status" || break
    fds=(/proc/"$pid"/fd/*)
    read -ra stat < "/proc/$pid/stat" || break
    db=$("$@" 2> /dev/null || echo 0)
    echo "$now,$rss,$threads,${#fds[@]},$((stat[13] + stat[14])),$db" >> "$csv"
    next=$((next + SAMPLE_EVERY))
    now=${EPOCHREALTIME%.*}
    [ "$next" -le "$now" ] || sleep $((next - now))
  done
}

sqlite_size() { du -sb "$TMP/sqlite-data" | cut -f1; }
pg_size() { psql "$PG_DB_URL" -Atc "SELECT pg_database_size(current_database())"; }

# soak BACKEND NAME SIZE-FUNCTION: signs in, drives the mix for SOAK_DURATION while sampling,
# then checks the server; appends a JSON line to $TMP/results.
soak() {
  local backend=$1 name=$2 size=$3
  local cookie token writer_cookie writer stakeholder scenarios
  cookie=$(sign_in "$BASE" maya@northwind.example)
  token=$(api_token "$BASE" "$cookie" "soak bench")
  writer_cookie=$(sign_in "$BASE" jonas@northwind.example)
  writer=$(api_token "$BASE" "$writer_cookie" "soak bench")
  if [ -z "$cookie" ] || [ -z "$token" ] || [ -z "$writer" ]; then echo "could not sign in to $BASE" >&2; exit 1; fi
  stakeholder=$(curl -fsS -H "Authorization: Bearer $token" "$BASE/api/v1/stakeholders" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["stakeholders"][0]["id"])')
  scenarios=$(curl -fsS -H "Authorization: Bearer $token" "$BASE/api/v1/scenarios" |
    python3 -c 'import json, sys; print(",".join(s["id"] for s in json.load(sys.stdin)["scenarios"]))')
  local entries_before
  entries_before=$(curl -fsS -H "Authorization: Bearer $writer" "$BASE/api/v1/practice" |
    python3 -c 'import json, sys; print(len(json.load(sys.stdin)["entries"]))')

  echo "soak on $backend: $SOAK_DURATION, $CONNECTIONS connections, memory every ${SAMPLE_EVERY}s" >&2
  local csv=$OUT/$name.csv wrk_out=$OUT/$name.wrk
  : > "$wrk_out"
  sample "$SERVER_PID" "$csv" "$size" &
  local sampler=$!
  sleep 1 # the first sample is the idle server
  local start end
  start=$(date +%s.%N)
  SOAK_COOKIE=$cookie SOAK_TOKEN=$token SOAK_WRITER_TOKEN=$writer SOAK_STAKEHOLDER=$stakeholder \
    SOAK_SCENARIOS=$scenarios SOAK_CHECK_BODY=$CHECK_BODY SOAK_OUT=$wrk_out \
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$SOAK_DURATION" -s "$TMP/soak.lua" "$BASE" > "$OUT/$name.wrk.txt"
  end=$(date +%s.%N)
  sleep "$SAMPLE_EVERY"
  kill "$sampler" 2> /dev/null || true
  wait "$sampler" 2> /dev/null || true

  local health entries_after log_errors log_warnings
  health=$(curl -sS -m 10 "$BASE/healthz" 2>&1 || true)
  entries_after=$(curl -fsS -m 60 -H "Authorization: Bearer $writer" "$BASE/api/v1/practice" |
    python3 -c 'import json, sys; print(len(json.load(sys.stdin)["entries"]))' || echo "?")
  # The log is coloured: drop the escape sequences before looking for the level.
  sed 's/\x1b\[[0-9;]*m//g' "$SERVER_LOG" > "$OUT/$name.log"
  log_errors=$(grep -cE '(^|[^A-Za-z])ERROR([^A-Za-z]|$)|panicked' "$OUT/$name.log" || true)
  log_warnings=$(grep -cE '(^|[^A-Za-z])WARN([^A-Za-z]|$)' "$OUT/$name.log" || true)

  python3 - "$backend" "$csv" "$wrk_out" "$start" "$end" "$WINDOW" "$FLAT_MIB" "$FLAT_PERCENT" "$health" \
    "$entries_before" "$entries_after" "$log_errors" "$log_warnings" >> "$TMP/results" << 'EOF'
import csv, json, os, statistics, sys
(backend, csv_path, wrk_path, start, end, window, flat_mib, flat_percent, health,
 entries_before, entries_after, log_errors, log_warnings) = sys.argv[1:]
start, end, window = float(start), float(end), float(window)
samples = [{k: float(v) for k, v in row.items()} for row in csv.DictReader(open(csv_path))]
counts = {}
statuses, seconds, failures, latency = {}, {}, [], {}
for line in open(wrk_path):
    kind, key, value = line.rstrip("\n").split(",", 2)
    if kind == "status":
        statuses[key] = statuses.get(key, 0) + int(value)
    elif kind == "second":
        seconds[int(key)] = seconds.get(int(key), 0) + int(value)
    elif kind == "failure":
        failures.append(f"{key},{value}")
    elif kind == "latency":
        latency[key] = int(value) / 1000
    else:
        counts[f"{kind}.{key}"] = counts.get(f"{kind}.{key}", 0) + int(value)
mib = lambda kib: kib / 1024
def rss_between(a, b):
    return [s["rss_kib"] for s in samples if start + a <= s["epoch"] < start + b]
def rate_between(a, b):
    # whole seconds inside the window only
    secs = [n for sec, n in seconds.items() if start + a <= sec and sec + 1 <= start + b]
    return sum(secs) / len(secs) if secs else 0.0
during = [s for s in samples if start <= s["epoch"] <= end]
def cpu_per_request(a, b):
    # the server's CPU milliseconds per response, between the first and last sample inside the window
    inside = [s for s in samples if start + a <= s["epoch"] < start + b]
    if len(inside) < 2:
        return 0.0
    t0, t1 = inside[0]["epoch"], inside[-1]["epoch"]
    n = sum(c for sec, c in seconds.items() if t0 <= sec + 0.5 < t1)
    return (inside[-1]["cpu_ticks"] - inside[0]["cpu_ticks"]) * 1000 / os.sysconf("SC_CLK_TCK") / n if n else 0.0
first, last = rss_between(window, 2 * window), rss_between(end - start - window, end - start)
first_med, last_med = mib(statistics.median(first)), mib(statistics.median(last))
growth = last_med - first_med
allowed = max(float(flat_mib), first_med * float(flat_percent) / 100)
socket_errors = sum(counts.get(f"errors.{k}", 0) for k in ("connect", "read", "write", "timeout"))
failed_responses = counts.get("errors.status", 0)
healthy = '"status":"ok"' in health
result = {
    "backend": backend,
    "seconds": end - start,
    "requests": counts["summary.requests"],
    "rps": counts["summary.requests"] / (counts["summary.duration_us"] / 1e6),
    "rps_first": rate_between(window, 2 * window),
    "rps_last": rate_between(end - start - window, end - start),
    "cpu_first": cpu_per_request(window, 2 * window),
    "cpu_last": cpu_per_request(end - start - window, end - start),
    "p50": latency["50"], "p99": latency["99"], "max": latency["max"],
    "failed": failed_responses, "socket_errors": socket_errors,
    "errors": {k.split(".")[1]: v for k, v in counts.items() if k.startswith("errors.") and v},
    "statuses": statuses, "failures": failures[:5],
    "practice": counts.get("writes.practice", 0), "answers": counts.get("writes.answers", 0),
    "entries_before": entries_before, "entries_after": entries_after,
    "db_start": samples[0]["db_bytes"] / 2**20, "db_end": samples[-1]["db_bytes"] / 2**20,
    "rss_idle": mib(samples[0]["rss_kib"]),
    "rss_first": first_med, "rss_last": last_med, "rss_max": mib(max(s["rss_kib"] for s in during)),
    "growth": growth, "allowed": allowed, "flat": growth <= allowed,
    "fds": [int(samples[0]["fds"]), int(max(s["fds"] for s in during)), int(samples[-1]["fds"])],
    "threads": [int(samples[0]["threads"]), int(max(s["threads"] for s in during)), int(samples[-1]["threads"])],
    "healthy": healthy, "health": health.strip()[:200],
    "log_errors": int(log_errors), "log_warnings": int(log_warnings),
}
result["pass"] = (result["failed"] == 0 and socket_errors == 0 and result["flat"] and healthy
                  and result["log_errors"] == 0)
print(json.dumps(result))
r = result
print(f"  {backend}: {r['requests']:,} requests in {r['seconds']:.0f} s, {r['rps']:,.0f}/s "
      f"(first window {r['rps_first']:,.0f}/s, last {r['rps_last']:,.0f}/s), p50 {r['p50']:.1f} ms, "
      f"p99 {r['p99']:.1f} ms, max {r['max']:.0f} ms; server CPU {r['cpu_first']:.2f} -> {r['cpu_last']:.2f} ms a request",
      file=sys.stderr)
print(f"  failed responses {r['failed']}, socket errors {socket_errors} {r['errors'] or ''}, "
      f"statuses {r['statuses']}", file=sys.stderr)
for failure in r["failures"]:
    print(f"    {failure}", file=sys.stderr)
print(f"  writes sent: {r['practice']:,} practice entries ({entries_before} -> {entries_after} in the log), "
      f"{r['answers']:,} scenario answers; database {r['db_start']:.1f} -> {r['db_end']:.1f} MiB", file=sys.stderr)
print(f"  RSS idle {r['rss_idle']:.1f} MiB, first window {first_med:.1f}, last window {last_med:.1f}, "
      f"max {r['rss_max']:.1f}; growth {growth:+.1f} MiB (allowed {allowed:.1f}): "
      f"{'flat' if r['flat'] else 'GROWING'}", file=sys.stderr)
print(f"  open files {r['fds']}, threads {r['threads']} (idle, max, end); healthz {r['health']}; "
      f"log: {r['log_errors']} ERROR/panic, {r['log_warnings']} WARN lines", file=sys.stderr)
print(f"  {'PASS' if r['pass'] else 'FAIL'}", file=sys.stderr)
EOF
}

start_pmcoach sqlite
soak SQLite sqlite sqlite_size
if [ -n "$PG_URL" ]; then
  create_pg_db "pmcoach_soak_$$"
  start_pmcoach pg --database-url "$PG_DB_URL"
  soak PostgreSQL pg pg_size
fi

python3 - "$TMP/results" "$TMP/section" "$(machine)" "$(wrk_version)" "$SOAK_DURATION" "$CONNECTIONS" "$THREADS" \
  "$WINDOW" "$SAMPLE_EVERY" "$FLAT_MIB" "$FLAT_PERCENT" << 'EOF'
import datetime, json, sys
(results, section_file, machine, wrk, duration, connections, threads, window, every,
 flat_mib, flat_percent) = sys.argv[1:]
runs = [json.loads(line) for line in open(results)]
w = int(window)
span = lambda a, b: f"{a // 60}–{b // 60} min" if w % 60 == 0 else f"{a}–{b} s"
total = round(max(r["seconds"] for r in runs))
first_span, last_span = span(w, 2 * w), span(total - w, total)
out = []
out.append("<!-- soak-bench:start (written by bench/soak.sh; edit the script, not this section) -->")
out.append("## Web app soak")
out.append("")
out.append(f"Measured by `bench/soak.sh` on {datetime.date.today().isoformat()}: {duration} per database, one after the other.")
out.append("")
out.append(f"- Machine: {machine}; {wrk} on the same machine as the server, `-t{threads} -c{connections} -d{duration}`")
out.append("  with a Lua mix (27 requests a cycle): 18 pages with Maya's session cookie (dashboard, results, results CSV,")
out.append("  glossary and a skill, plan, check-in, practice, stakeholders and one stakeholder, scenarios, one scenario,")
out.append("  scenario progress, notifications, coach, profile, settings, assessment), 3 API reads and 3 `POST /api/v1/check`")
out.append("  with her token, and 3 writes with Jonas's token: 2 `POST /api/v1/practice`, 1 scenario answer.")
out.append(f"- Memory: the server's VmRSS every {every} s. The first window ({span(0, w)}) is warm-up; \"first\" is the median")
out.append(f"  over {first_span}, \"last\" over {last_span}. Flat: last − first ≤ {flat_mib} MiB or {flat_percent}% of first,")
out.append("  whichever is larger. PostgreSQL's own processes are not counted.")
out.append("")
out.append("| | " + " | ".join(r["backend"] for r in runs) + " |")
out.append("|---|" + "---:|" * len(runs))
def row(label, fmt):
    out.append(f"| {label} | " + " | ".join(fmt(r) for r in runs) + " |")
row("requests", lambda r: f"{r['requests']:,}")
row("requests/s (whole run)", lambda r: f"{r['rps']:,.0f}")
row(f"requests/s ({first_span} → {last_span})", lambda r: f"{r['rps_first']:,.0f} → {r['rps_last']:,.0f}")
row(f"server CPU per request ({first_span} → {last_span})", lambda r: f"{r['cpu_first']:.2f} → {r['cpu_last']:.2f} ms")
row("latency p50 / p99 / max", lambda r: f"{r['p50']:.1f} / {r['p99']:.1f} / {r['max']:.0f} ms")
def failed(r):
    bad = sorted((int(status), n) for status, n in r["statuses"].items() if int(status) >= 400)
    return f"{r['failed']:,}" + (" (" + ", ".join(f"{n:,}× {status}" for status, n in bad) + ")" if bad else "")
row("failed responses (non-2xx/3xx)", failed)
row("socket errors (connect, read, write, timeout)", lambda r: f"{r['socket_errors']}")
row("writes: practice entries / scenario answers", lambda r: f"{r['practice']:,} / {r['answers']:,}")
row("database files, start → end", lambda r: f"{r['db_start']:.1f} → {r['db_end']:.1f} MiB")
row("RSS idle (after seeding)", lambda r: f"{r['rss_idle']:.1f} MiB")
row(f"RSS first ({first_span}, median)", lambda r: f"{r['rss_first']:.1f} MiB")
row(f"RSS last ({last_span}, median)", lambda r: f"{r['rss_last']:.1f} MiB")
row("RSS max", lambda r: f"{r['rss_max']:.1f} MiB")
row("RSS growth, last − first", lambda r: f"{r['growth']:+.1f} MiB ({'flat' if r['flat'] else 'growing'})")
row("open files, idle / max / after", lambda r: " / ".join(str(n) for n in r["fds"]))
row("threads, idle / max / after", lambda r: " / ".join(str(n) for n in r["threads"]))
row("/healthz after; ERROR or panic lines in the log", lambda r: f"{'ok' if r['healthy'] else 'FAILED'}; {r['log_errors']}")
row("verdict", lambda r: "**pass**" if r["pass"] else "**FAIL**")
out.append("<!-- soak-bench:end -->")
section = "\n".join(out)
open(section_file, "w").write(section + "\n")
print(section)
EOF
cp "$TMP/results" "$OUT/results.jsonl"
write_section soak "$TMP/section"
python3 -c 'import json, sys; sys.exit(0 if all(json.loads(l)["pass"] for l in open(sys.argv[1])) else 1)' "$TMP/results"
