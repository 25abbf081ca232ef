#!/usr/bin/env bash
# COPY ingest through psql's \copy of one pre-generated file, into our server and into a throwaway PostgreSQL 15
# cluster on this machine, each a separate process, as bench-data.md measured PostgreSQL: the client costs
# almost nothing, so the figures are the servers'. Each target loads the file twice into fresh tables (the
# first of ours includes JIT warm-up); PostgreSQL without and with a btree index on ts.
# Usage: tests/Query.Benchmarks/Server/run-copy-bench.sh [rows]   (default 10,000,000)
set -euo pipefail
cd "$(dirname "$0")/../../.."
rows=${1:-10000000}
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
work=$(mktemp -d /tmp/query-copy-bench-XXXX)
chown postgres "$work"
pg_port=54329
cleanup() {
  [[ -n "${server_pid:-}" ]] && kill "$server_pid" 2>/dev/null || true
  su postgres -c "$bin/pg_ctl -D $work/pg -m fast stop" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
su postgres -c "$bin/initdb -D $work/pg -A trust -U postgres" >/dev/null
su postgres -c "$bin/pg_ctl -D $work/pg -o '-p $pg_port -k $work' -l $work/pg.log start -w" >/dev/null

dotnet build -c Release tests/Query.Benchmarks -v q -nologo >/dev/null
dotnet build -c Release server/Query.Server -v q -nologo >/dev/null
file="$work/events.txt"
dotnet tests/Query.Benchmarks/bin/Release/net10.0/Query.Benchmarks.dll bench events-file --rows "$rows" --out "$file"
chmod a+r "$file"
echo "file: $rows rows, $(stat -c %s "$file") bytes; load before: $(cut -d' ' -f1-3 /proc/loadavg)"

dotnet server/Query.Server/bin/Release/net10.0/Query.Server.dll --data-dir "$work/query" --port 0 >"$work/query.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do grep -q '^listening on' "$work/query.log" && break; sleep 0.1; done
our_port=$(grep '^listening on' "$work/query.log" | sed 's/.*://')

copy() {   # target table create-sql -> prints rows/s
  local psql=$1 table=$2 create=$3
  $psql -q -c "$create" >/dev/null
  local start end
  start=$(date +%s.%N)
  $psql -q -c "\\copy $table (ts, user_id, page, amount) FROM '$file'" >/dev/null
  end=$(date +%s.%N)
  echo "$rows / ($end - $start)" | bc -l | xargs printf '%.0f'
}
ours="psql -h 127.0.0.1 -p $our_port -U query -d query -v ON_ERROR_STOP=1"
theirs="psql -h 127.0.0.1 -p $pg_port -U postgres -d postgres -v ON_ERROR_STOP=1"
stream="(ts TIMESTAMP, user_id INT, page STRING, amount DOUBLE)"
table="(ts timestamp, user_id int, page text, amount float8)"
q1=$(copy "$ours" ev1 "CREATE STREAM ev1 $stream")
q2=$(copy "$ours" ev2 "CREATE STREAM ev2 $stream")
p1=$(copy "$theirs" ev1 "CREATE TABLE ev1 $table")
p2=$(copy "$theirs" ev2 "CREATE TABLE ev2 $table")
i1=$(copy "$theirs" ev3 "CREATE TABLE ev3 $table; CREATE INDEX ON ev3 (ts)")
i2=$(copy "$theirs" ev4 "CREATE TABLE ev4 $table; CREATE INDEX ON ev4 (ts)")
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| psql \\copy of $rows rows, rows/s (two runs) | Query | PostgreSQL 15 | ratio |"
echo "|---|---:|---:|---:|"
printf '| no index on PostgreSQL | %s / %s | %s / %s | %.1fx |\n' "$q1" "$q2" "$p1" "$p2" \
  "$(echo "($q1 + $q2) / ($p1 + $p2)" | bc -l)"
printf '| btree index on ts on PostgreSQL (as bench-data.md) | %s / %s | %s / %s | %.1fx |\n' "$q1" "$q2" "$i1" "$i2" \
  "$(echo "($q1 + $q2) / ($i1 + $i2)" | bc -l)"
