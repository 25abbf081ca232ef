#!/usr/bin/env bash
# Runs `bench wire` against our server and, beside it, a throwaway PostgreSQL 15 cluster on this machine
# (installed from Debian's packages when missing; fsync on, default settings), through the same Npgsql client.
# Usage: tests/Query.Benchmarks/Server/run-wire-bench.sh [rows]   (default 10,000,000)
set -euo pipefail
cd "$(dirname "$0")/../../.."
rows=${1:-10000000}
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
cluster=$(mktemp -d /tmp/query-pg-XXXX)
chown postgres "$cluster"
port=54329
su postgres -c "$bin/initdb -D $cluster/data -A trust -U postgres" >/dev/null
su postgres -c "$bin/pg_ctl -D $cluster/data -o '-p $port -k $cluster' -l $cluster/log start -w" >/dev/null
trap 'su postgres -c "$bin/pg_ctl -D $cluster/data stop -m fast" >/dev/null; rm -rf "$cluster"' EXIT
echo "disk: $(dd if=/dev/zero of="$cluster/dd" bs=1M count=256 conv=fdatasync 2>&1 | tail -1)"; rm -f "$cluster/dd"
dotnet run -c Release --project tests/Query.Benchmarks -- bench wire --rows "$rows" \
  --pg "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
