#!/usr/bin/env bash
# Issue 14's durable INSERT row alone: 16 node-postgres connections each sending one parameterized single-row
# INSERT at a time for INSERT_SECONDS (default 5) after a 1 s warm-up, against our server (a 4-partition stream
# of the events shape, DURABILITY SYNC) and a throwaway PostgreSQL 15 cluster (Debian's packages, default
# settings: fsync and synchronous_commit on), each its own process, in the same run; the same step as
# run-pg-compare.sh's INSERT row (compare.js), without loading the 2 M events rows first. Prints rows/s, the
# server CPU per acknowledged INSERT (ours from our process's /proc stat; PostgreSQL's from every process of the
# cluster, reaped backends included) and the fsync calls each server made (perf's syscall tracepoints, when perf
# works here), so rows per fsync.
# Usage: tests/Query.Benchmarks/Server/run-insert-compare.sh [rounds]   (default 1, after one unreported warm-up
# round; each round runs every server)
# Environment: PG_COMPARE_PORT (default 54381), INSERT_SECONDS, QUERY_* settings passed to our server,
# INSERT_COMPARE_BUILD=0 to run the Release server already built. The second server of ours is the same build with
# `--storage-journal false` unless INSERT_COMPARE_SECOND_DLL (another build's Query.Server.dll, e.g. a copy of the
# base's bin/Release/net10.0) and INSERT_COMPARE_SECOND_ARGS (default `--storage-journal false`) say otherwise.
# Each server's context switches per INSERT (perf's context-switches event over the process and every thread or
# backend it starts while measured) are printed too, and the client's own CPU per INSERT (node's, against our
# journaled server), and PostgreSQL's rate with synchronous_commit off (no fsync wait at all, reloaded for that
# measurement only): the two bounds of what the 2 cores allow for this client, whatever the server.
set -euo pipefail
cd "$(dirname "$0")/../../.."
# shellcheck source=compare-common.sh
. tests/Query.Benchmarks/Server/compare-common.sh
rounds=${1:-1}
pg_install
make_work /tmp/query-insert-compare-XXXX
pg_port=${PG_COMPARE_PORT:-54381}
trap 'cleanup_run server_pid plain_pid' EXIT
pg_start "$pg_port"
pg_pid=$(head -1 "$work/pg/postmaster.pid")

node_clients
[[ "${INSERT_COMPARE_BUILD:-1}" == 1 ]] && dotnet build -c Release server/Query.Server -v q -nologo >/dev/null
start_ours server/Query.Server/bin/Release/net10.0/Query.Server.dll "$work/query"
server_pid=$!
second_dll=${INSERT_COMPARE_SECOND_DLL:-server/Query.Server/bin/Release/net10.0/Query.Server.dll}
second_args=${INSERT_COMPARE_SECOND_ARGS---storage-journal false}
# shellcheck disable=SC2086
start_ours "$second_dll" "$work/plain" $second_args
plain_pid=$!
wait_listening "$work/query.log" "$work/plain.log"
our_port=$(listening_port "$work/query.log")
plain_port=$(listening_port "$work/plain.log")

# CPU ticks of a process tree: the process, its live children, and the children it has reaped.
ticks() {
  local total=0 pid
  total=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$1/stat")
  for pid in $(pgrep -P "$1" || true); do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
perf_ok=0
if perf stat -e syscalls:sys_enter_fdatasync true >/dev/null 2>&1; then perf_ok=1; fi
# Runs the INSERT step against one server (node's target `ours` or `pg`, our port); prints "rows/s cpu_us_per_row
# fsyncs rows context_switches_per_row client_cpu_us_per_row".
measure() {
  local target=$1 pid=$2 port=$3 before after out perf_out syncs=-1 switches=-1 rate rows client
  perf_out="$work/perf-$target.txt"
  if [[ $perf_ok == 1 ]]; then
    perf stat -x, -e syscalls:sys_enter_fdatasync,syscalls:sys_enter_fsync,context-switches -p "$pid" \
      -o "$perf_out" &
    perf_pid=$!
    sleep 0.3
  fi
  before=$(ticks "$pid")
  out=$(INSERT_TARGET=$target node tests/Query.Benchmarks/Server/node/insert.js "$port" "$pg_port")
  sleep 0.5   # the backends are reaped
  after=$(ticks "$pid")
  if [[ $perf_ok == 1 ]]; then
    kill -INT "$perf_pid"; wait "$perf_pid" 2>/dev/null || true
    syncs=$(awk -F, '/sys_enter_f/ {s += $1} END {print s + 0}' "$perf_out")
    switches=$(awk -F, '/context-switches/ {s += $1} END {print s + 0}' "$perf_out")
  fi
  rate=$(echo "$out" | awk '{print $1}')
  rows=$(echo "$out" | awk '{print $2}')
  client=$(echo "$out" | awk '{print $3}')
  echo "$rate $(( (after - before) * 1000000 / $(getconf CLK_TCK) / rows )) $syncs $rows \
    $(echo "scale=1; $switches / $rows" | bc) $client"
}
echo "machine: $(machine); load average before: $(load_average)"
# One unreported round first: our servers start cold (the JIT's first tiers), PostgreSQL's caches too.
measure ours "$server_pid" "$our_port" >/dev/null
measure pg "$pg_pid" "$our_port" >/dev/null
measure ours "$plain_pid" "$plain_port" >/dev/null
# PostgreSQL's rate with synchronous_commit off: what it does with no durable commit at all.
pg_sync() {
  su postgres -c "$bin/psql -h $work -p $pg_port -U postgres -qAt -c 'ALTER SYSTEM SET synchronous_commit = $1' \
    -c 'SELECT pg_reload_conf()'" >/dev/null
}
pg_async_rate() {
  pg_sync off
  measure pg "$pg_pid" "$our_port" | awk '{print $1}'
  pg_sync on
}
per_fsync() { [[ $1 -gt 0 ]] && echo "scale=1; $2 / $1" | bc || echo n/a; }
echo "second server of ours: $second_dll $second_args"
echo "| round | ours rows/s | PostgreSQL rows/s | ratio | ours CPU us/row | PostgreSQL CPU us/row | ours rows/fsync | \
PostgreSQL rows/fsync | context switches/row: ours / PostgreSQL | second server: rows/s, CPU us/row, rows/fsync, \
context switches/row | client CPU us/row | PostgreSQL, synchronous_commit off: rows/s |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|"
for round in $(seq 1 "$rounds"); do
  read -r q_rate q_cpu q_syncs q_rows q_cs q_client < <(measure ours "$server_pid" "$our_port")
  read -r p_rate p_cpu p_syncs p_rows p_cs _ < <(measure pg "$pg_pid" "$our_port")
  read -r o_rate o_cpu o_syncs o_rows o_cs _ < <(measure ours "$plain_pid" "$plain_port")
  a_rate=$(pg_async_rate)
  printf '| %d | %.0f | %.0f | %.2f | %d | %d | %s | %s | %s | %.0f, %d, %s, %s | %s | %.0f |\n' "$round" "$q_rate" \
    "$p_rate" "$(echo "$q_rate / $p_rate" | bc -l)" "$q_cpu" "$p_cpu" "$(per_fsync "$q_syncs" "$q_rows")" \
    "$(per_fsync "$p_syncs" "$p_rows")" "$q_cs / $p_cs" "$o_rate" "$o_cpu" "$(per_fsync "$o_syncs" "$o_rows")" "$o_cs" \
    "$q_client" "$a_rate"
done
echo "load average after: $(load_average)"
