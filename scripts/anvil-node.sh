#!/usr/bin/env bash
# A local EVM chain (anvil) that outlives this script, for the C# integration tests and for manual runs.
#   anvil-node.sh start PORT LOGFILE   installs anvil if needed (npm ci in src/contracts), starts it on
#                                      127.0.0.1:PORT in the background, waits until it answers, writes the pid
#                                      to LOGFILE.pid and prints the RPC URL
#   anvil-node.sh stop PIDFILE         stops it (idempotent: a missing pid file or a dead pid is fine)
# With OWNER_PID set, a watchdog stops anvil as soon as that process is gone: a test host that is killed
# outright never runs its exit handlers, and its node must not run on forever. ANVIL_EXTRA_ARGS adds anvil flags
# (scripts/lib/anvil.sh), e.g. "--enable-tx-gas-limit" for a node that enforces EIP-7825's per-transaction gas cap.
# Chain id 31337 with anvil's well-known PUBLIC test accounts: never reuse those keys on a real network.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/anvil.sh
source "$here/lib/anvil.sh"

case "${1:-}" in
  start)
    [ $# -eq 3 ] || { echo "usage: $0 start PORT LOGFILE" >&2; exit 2; }
    anvil_install
    # anvil_start runs anvil as a background job with stdin, stdout and stderr redirected, so it keeps running after
    # this script exits (and holds none of our output pipes, so a caller reading our stdout sees EOF).
    anvil_start "$2" "$3"
    if [ -n "${OWNER_PID:-}" ]; then
      # Detached from our output pipes, so a caller reading our stdout still sees EOF when we exit.
      (
        while kill -0 "$OWNER_PID" 2>/dev/null && kill -0 "$ANVIL_PID" 2>/dev/null; do sleep 1; done
        anvil_stop "$ANVIL_PID_FILE"
      ) </dev/null >/dev/null 2>&1 &
      disown
    fi
    printf '%s\n' "$ANVIL_RPC_URL"
    ;;
  stop)
    [ $# -eq 2 ] || { echo "usage: $0 stop PIDFILE" >&2; exit 2; }
    anvil_stop "$2"
    ;;
  *)
    echo "usage: $0 start PORT LOGFILE | stop PIDFILE" >&2
    exit 2
    ;;
esac
