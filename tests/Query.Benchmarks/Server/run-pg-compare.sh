#!/usr/bin/env bash
# Issue 14's table: our server and a throwaway PostgreSQL 15 cluster (Debian's packages, default settings,
# fsync on) side by side on this machine, each its own process, measured in the same run on the same data.
# 1. `bench events-file --csv` writes the `events` rows (bench-data.md's shape, fixed seed) as CSV;
# 2. psql's \copy loads them into our stream EVENTS (4 partitions keyed by user_id, TIMESTAMP = 'ts') and into
#    PostgreSQL's table events with a btree index on ts (timed: the COPY row);
# 3. node-postgres (tests/Query.Benchmarks/Server/node, pinned by its lock file) times SELECT 1, ROWTIME ranges,
#    a filter scan, a top 10 and 16 concurrent single-row INSERTs against both and checks the answers agree.
# Usage: tests/Query.Benchmarks/Server/run-pg-compare.sh [rows]   (default 2,000,000)
# COMPARE_ONLY=copy: the COPY row alone (no node clients); COMPARE_SERVER_ARGS: extra flags for our server (e.g.
# "--copy-parallelism 1" for the one-thread COPY parser).
set -euo pipefail
cd "$(dirname "$0")/../../.."
# shellcheck source=compare-common.sh
. tests/Query.Benchmarks/Server/compare-common.sh
rows=${1:-2000000}
pg_install
make_work /tmp/query-pg-compare-XXXX
pg_port=${PG_COMPARE_PORT:-54371}
trap 'cleanup_run server_pid' EXIT
pg_start "$pg_port"

only=${COMPARE_ONLY:-}
[[ "$only" == copy ]] || node_clients
dotnet build -c Release tests/Query.Benchmarks -v q -nologo >/dev/null
dotnet build -c Release server/Query.Server -v q -nologo >/dev/null
file="$work/events.csv"
dotnet tests/Query.Benchmarks/bin/Release/net10.0/Query.Benchmarks.dll bench events-file --rows "$rows" --out "$file" --csv
chmod a+r "$file"

# shellcheck disable=SC2086
start_ours server/Query.Server/bin/Release/net10.0/Query.Server.dll "$work/query" ${COMPARE_SERVER_ARGS:-}
server_pid=$!
wait_listening "$work/query.log"
our_port=$(listening_port "$work/query.log")

ours="psql -h 127.0.0.1 -p $our_port -U query -d query -v ON_ERROR_STOP=1"
theirs="psql -h 127.0.0.1 -p $pg_port -U postgres -d postgres -v ON_ERROR_STOP=1"
ticks() { awk '{print $14 + $15 + $16 + $17}' "/proc/$1/stat"; }   # user + system CPU, with reaped children
copy() {   # psql table pid -> prints rows/s of a \copy of the file, and the server's CPU ms for it to $work/copy-cpu
  local start end before
  before=$(ticks "$3")
  start=$(date +%s.%N)
  $1 -q -c "\\copy $2 (ts, user_id, page, amount) FROM '$file' WITH (FORMAT csv)" >/dev/null
  end=$(date +%s.%N)
  sleep 0.3   # PostgreSQL's backend is reaped
  echo $(( ($(ticks "$3") - before) * 1000 / $(getconf CLK_TCK) )) >"$work/copy-cpu"
  echo "$rows / ($end - $start)" | bc -l | xargs printf '%.0f'
}
echo "machine: $(machine); $rows rows, $(stat -c %s "$file") bytes of CSV"
echo "load average before: $(load_average)"
$ours -q -c "CREATE STREAM events (ts TIMESTAMP, user_id INT KEY, page STRING, amount DOUBLE)
  WITH (PARTITIONS = 4, TIMESTAMP = 'ts')" >/dev/null
$theirs -q -c "CREATE TABLE events (ts timestamp, user_id int, page text, amount float8);
  CREATE INDEX ON events (ts)" >/dev/null
pg_pid=$(head -1 "$work/pg/postmaster.pid")
q=$(copy "$ours" events "$server_pid")
q_cpu=$(cat "$work/copy-cpu")
p=$(copy "$theirs" events "$pg_pid")
p_cpu=$(cat "$work/copy-cpu")
if [[ "$only" == copy ]]; then
  echo "load average after: $(load_average); server args: ${COMPARE_SERVER_ARGS:-(defaults)}"
  echo "| operation | ours | PostgreSQL 15 | ratio (PostgreSQL time / ours) | server CPU per call: ours / PostgreSQL |"
  echo "|---|---:|---:|---:|---:|"
  printf '| psql \\copy CSV of %s rows into a 4-partition stream (PostgreSQL: ts index) | %.2f M rows/s | %.2f M rows/s | %.2f | %s ms / %s ms |\n' \
    "$rows" "$(echo "$q / 1000000" | bc -l)" "$(echo "$p / 1000000" | bc -l)" "$(echo "$q / $p" | bc -l)" \
    "$q_cpu" "$p_cpu"
  exit 0
fi
$theirs -q -c "VACUUM ANALYZE events" >/dev/null
counted_ours=$($ours -At -c "SELECT COUNT(*) FROM events")
counted_pg=$($theirs -At -c "SELECT count(*) FROM events")
if [[ "$counted_ours" != "$rows" || "$counted_pg" != "$rows" ]]; then
  echo "row counts differ: ours $counted_ours, PostgreSQL $counted_pg, expected $rows" >&2
  exit 1
fi
results=$(COMPARE_OUR_PID=$server_pid COMPARE_PG_PID=$pg_pid \
  COMPARE_CLK_TCK=$(getconf CLK_TCK) node tests/Query.Benchmarks/Server/node/compare.js "$our_port" "$pg_port")
echo "load average after: $(load_average)"
# COMPARE_CPU_RUNS=N: the server CPU per pull query (the filter scan, the top 10 and the GROUP BY; with
# COMPARE_CPU_ONLY=text those whose SQL contains text), which a loaded machine disturbs far less than wall time:
# ours from our process's /proc stat; PostgreSQL's from the postmaster with its reaped children (the backend and
# parallel workers of each psql session have exited and been waited for when psql returns).
if [[ "${COMPARE_CPU_RUNS:-0}" -gt 0 ]]; then
  for sql in "SELECT user_id, amount FROM events WHERE amount > 990 AND page LIKE '%-7/%'" \
      "SELECT amount FROM events WHERE user_id = 4242 ORDER BY amount DESC LIMIT 10" \
      "SELECT user_id % 100000 AS u, COUNT(*) AS n, SUM(amount) AS total FROM events GROUP BY user_id % 100000"; do
    only=${COMPARE_CPU_ONLY:-}
    if [[ -n "$only" && "$sql" != *"$only"* ]]; then continue; fi
    for _ in 1 2; do $ours -q -c "$sql" >/dev/null; $theirs -q -c "$sql" >/dev/null; done
    before=$(ticks "$server_pid")
    for _ in $(seq "$COMPARE_CPU_RUNS"); do $ours -q -c "$sql" >/dev/null; done
    ours_ms=$(( ($(ticks "$server_pid") - before) * 1000 / $(getconf CLK_TCK) / COMPARE_CPU_RUNS ))
    before=$(ticks "$pg_pid")
    for _ in $(seq "$COMPARE_CPU_RUNS"); do $theirs -q -c "$sql" >/dev/null; done
    sleep 0.5   # the last backend is reaped
    pg_ms=$(( ($(ticks "$pg_pid") - before) * 1000 / $(getconf CLK_TCK) / COMPARE_CPU_RUNS ))
    echo "server CPU per query ($COMPARE_CPU_RUNS runs each): ours $ours_ms ms, PostgreSQL $pg_ms ms: $sql"
  done
  echo "load average after CPU runs: $(load_average)"
fi
echo
echo "| operation | ours | PostgreSQL 15 | ratio (PostgreSQL time / ours) | server CPU per call: ours / PostgreSQL |"
echo "|---|---:|---:|---:|---:|"
printf '| psql \\copy CSV of %s rows into a 4-partition stream (PostgreSQL: ts index) | %.2f M rows/s | %.2f M rows/s | %.2f | %s ms / %s ms |\n' \
  "$rows" "$(echo "$q / 1000000" | bc -l)" "$(echo "$p / 1000000" | bc -l)" "$(echo "$q / $p" | bc -l)" \
  "$q_cpu" "$p_cpu"
echo "$results" | node -e '
  const lines = require("fs").readFileSync(0, "utf8").trim().split("\n").map((l) => JSON.parse(l));
  const f = (v, unit) => unit === "rows/s" ? `${Math.round(v).toLocaleString("en-US")} rows/s`
    : unit === "us" ? `${v.toFixed(1)} us` : `${v.toFixed(2)} ms`;
  const cpu = (v) => v === null || v === undefined ? "?" : v >= 10000 ? `${(v / 1000).toFixed(0)} ms`
    : `${v.toFixed(0)} us`;
  for (const r of lines)
    console.log(`| ${r.name} | ${f(r.ours, r.unit)} | ${f(r.pg, r.unit)} | ${r.ratio.toFixed(2)} | `
      + `${cpu(r.oursCpuUs)} / ${cpu(r.pgCpuUs)} |`);'
