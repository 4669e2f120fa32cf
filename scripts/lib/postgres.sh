# shellcheck shell=bash
# PostgreSQL helpers shared by run.sh, test.sh and the integration tests (through postgres-cluster.sh).
# Functions only: sourcing this file starts nothing.
#
# PostgreSQL refuses to run as root, so when we are root every server command runs as the
# unprivileged `postgres` OS user (created by Debian's package) and the data folder is owned by it.

pg_bindir() {
  # Debian keeps the server binaries (initdb, pg_ctl, postgres) off PATH, one folder per major version.
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then echo "$dir"; return 0; fi
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return 0; fi
  return 1
}

pg_install() {
  # Installs PostgreSQL from Debian's packages when its server binaries are absent.
  if pg_bindir >/dev/null; then return 0; fi
  if [ "$(id -u)" != 0 ]; then
    echo "PostgreSQL is not installed and we are not root: install the 'postgresql' package first." >&2
    return 1
  fi
  echo "Installing PostgreSQL from Debian's packages (first run only)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq postgresql >/dev/null
  pg_bindir >/dev/null
}

_pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_init_cluster() {
  # pg_init_cluster DATADIR: creates a cluster with trust authentication on loopback only
  # (a developer's or a test's private cluster; never a production set-up).
  local datadir=$1 bindir
  bindir=$(pg_bindir)
  if [ -f "$datadir/PG_VERSION" ]; then return 0; fi
  mkdir -p "$datadir"
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$datadir"; fi
  chmod 700 "$datadir"
  _pg_as_owner "$bindir/initdb" -D "$datadir" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
}

pg_start() {
  # pg_start DATADIR PORT LOGFILE: starts the cluster on 127.0.0.1:PORT and waits until it accepts connections.
  # 500 connections: the test suite runs dozens of API instances at once against one cluster, each with its own pool
  # and background workers (metering, webhook deliveries, the deposit watcher), and 200 ran out.
  local datadir=$1 port=$2 logfile=$3 bindir
  bindir=$(pg_bindir)
  touch "$logfile"
  if [ "$(id -u)" = 0 ]; then chown postgres "$logfile"; fi
  _pg_as_owner "$bindir/pg_ctl" -D "$datadir" -l "$logfile" -w -t 60 \
    -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=/tmp -c max_connections=${PG_MAX_CONNECTIONS:-500} -c fsync=${PG_FSYNC:-on}" \
    start >/dev/null
}

pg_is_running() {
  # pg_is_running DATADIR: true while a server runs on DATADIR (a postmaster.pid left by a crash does not count).
  local datadir=$1 bindir
  bindir=$(pg_bindir)
  [ -f "$datadir/postmaster.pid" ] && _pg_as_owner "$bindir/pg_ctl" -D "$datadir" status >/dev/null 2>&1
}

pg_stop() {
  # pg_stop DATADIR: fast shutdown (rolls back open transactions, then checkpoints).
  local datadir=$1 bindir
  bindir=$(pg_bindir)
  if [ -f "$datadir/postmaster.pid" ]; then
    _pg_as_owner "$bindir/pg_ctl" -D "$datadir" -m fast -w stop >/dev/null || true
  fi
}

pg_create_database() {
  # pg_create_database PORT NAME: creates the database when it does not exist yet.
  local port=$1 name=$2 bindir
  bindir=$(pg_bindir)
  if ! "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -tAc "select 1 from pg_database where datname='$name'" | grep -q 1; then
    "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -qc "create database \"$name\"" >/dev/null
  fi
}
