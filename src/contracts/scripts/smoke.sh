#!/usr/bin/env bash
# Starts a private anvil (scripts/lib/anvil.sh), runs scripts/smoke.mjs against it, stops it. `npm run smoke`.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/../../../scripts/lib/anvil.sh
source "$here/../../../scripts/lib/anvil.sh"

anvil_install
logdir=$(mktemp -d)
trap 'anvil_stop; rm -rf "$logdir"' EXIT
port=$(anvil_free_port)
start=$(date +%s%N)
anvil_start "$port" "$logdir/anvil.log"
echo "anvil up on $ANVIL_RPC_URL (pid $ANVIL_PID) in $(( ($(date +%s%N) - start) / 1000000 )) ms"
node "$here/smoke.mjs" "$ANVIL_RPC_URL"
