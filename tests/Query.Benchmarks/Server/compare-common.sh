# Sourced (from the repository's root) by run-pg-compare.sh and run-insert-compare.sh, not run on its own: a
# throwaway PostgreSQL cluster (Debian's packages, default settings) in the run's directory $work, our Release
# server beside it, each its own process, and the lines both scripts print about the machine.

# Installs Debian's PostgreSQL when it is missing; sets bin to the newest one's directory of programs.
pg_install() {
  if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
}

# Makes the run's directory from mktemp template $1, owned by postgres (the cluster lives in it): sets work.
make_work() {
  work=$(mktemp -d "$1")
  chown postgres "$work"
}

# Creates and starts the cluster in $work/pg on port $1 (its socket in $work, its log $work/pg.log).
pg_start() {
  su postgres -c "$bin/initdb -D $work/pg -A trust -U postgres" >/dev/null
  su postgres -c "$bin/pg_ctl -D $work/pg -o '-p $1 -k $work' -l $work/pg.log start -w" >/dev/null
}

# For the EXIT trap: stops and reaps the processes whose ids the variables named hold (those set), stops the
# cluster and removes $work.
cleanup_run() {
  local name
  for name in "$@"; do
    [[ -n "${!name:-}" ]] && kill "${!name}" 2>/dev/null && wait "${!name}" 2>/dev/null || true
  done
  su postgres -c "$bin/pg_ctl -D $work/pg -m fast stop" >/dev/null 2>&1 || true
  rm -rf "$work"
}

# Starts a server of ours in the background: Query.Server.dll path $1, data directory $2 (its output in $2.log),
# further flags after them. The caller takes its process id from $!.
start_ours() {
  local dll=$1 dir=$2
  shift 2
  dotnet "$dll" --data-dir "$dir" --port 0 "$@" >"$dir.log" 2>&1 &
}

# Waits (10 s at the most) until every server log named says that it is listening.
wait_listening() {
  local log ready
  for _ in $(seq 1 100); do
    ready=1
    for log in "$@"; do grep -q '^listening on' "$log" || ready=0; done
    [[ $ready == 1 ]] && break
    sleep 0.1
  done
}

# The port the server whose log is $1 listens on.
listening_port() { grep '^listening on' "$1" | sed 's/.*://'; }

# Installs the node-postgres clients (pinned by their lock file).
node_clients() { (cd tests/Query.Benchmarks/Server/node && npm ci --no-audit --no-fund --silent); }

# "N vCPU, N GiB" of this machine, and its load average over 1, 5 and 15 minutes.
machine() { echo "$(nproc) vCPU, $(free -g | awk '/Mem:/ {print $2}') GiB"; }
load_average() { cut -d' ' -f1-3 /proc/loadavg; }
