#!/usr/bin/env bash
# Runs `bench table-lookup` (pull query by PRIMARY KEY on a table of 1 million keys) against our server and,
# beside it, a throwaway PostgreSQL 15 cluster on this machine (fsync on, default settings; installed from
# Debian's packages when missing), through the same Npgsql client in the same process.
# Usage: tests/Query.Benchmarks/Server/run-table-bench.sh [keys] [seconds]   (default 1,000,000 and 5)
set -euo pipefail
cd "$(dirname "$0")/../../.."
keys=${1:-1000000}
seconds=${2:-5}
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
cluster=$(mktemp -d /tmp/query-pg-tables-XXXX)
chown postgres "$cluster"
port=54341
su postgres -c "$bin/initdb -D $cluster/data -A trust -U postgres" >/dev/null
su postgres -c "$bin/pg_ctl -D $cluster/data -o '-p $port -k $cluster' -l $cluster/log start -w" >/dev/null
trap 'su postgres -c "$bin/pg_ctl -D $cluster/data stop -m fast" >/dev/null; rm -rf "$cluster"' EXIT
dotnet run -c Release --project tests/Query.Benchmarks -- bench table-lookup --keys "$keys" --seconds "$seconds" \
  --pg "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
