#!/usr/bin/env bash
# A throwaway or long-lived PostgreSQL cluster, for scripts and for the integration tests.
#   postgres-cluster.sh start DATADIR PORT   installs PostgreSQL if needed, initialises DATADIR, starts it
#   postgres-cluster.sh stop DATADIR         stops it
#   postgres-cluster.sh destroy DATADIR      stops it and deletes DATADIR (throwaway test clusters)
# With OWNER_PID set, start adds a watchdog that destroys the cluster as soon as that process is gone: a test
# host that is killed outright never runs its exit handlers, and its cluster must not run on forever.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/postgres.sh
source "$here/lib/postgres.sh"

case "${1:-}" in
  start)
    pg_install
    pg_init_cluster "$2"
    pg_start "$2" "$3" "$2/server.log"
    if [ -n "${OWNER_PID:-}" ]; then
      datadir=$2
      (
        while kill -0 "$OWNER_PID" 2>/dev/null; do sleep 1; done
        pg_stop "$datadir"
        rm -rf -- "$datadir"
      ) </dev/null >/dev/null 2>&1 &
      disown
    fi
    ;;
  stop)
    pg_stop "$2"
    ;;
  destroy)
    pg_stop "$2"
    rm -rf -- "$2"
    ;;
  *)
    echo "usage: $0 start DATADIR PORT | stop DATADIR | destroy DATADIR" >&2
    exit 2
    ;;
esac
