#!/usr/bin/env bash
# Run DepinMarket locally: installs PostgreSQL and anvil if missing, starts a private PostgreSQL cluster in
# .data/postgres and a local chain (anvil, 127.0.0.1:8545), applies migrations, deploys the token and vault
# contracts, and serves the API on http://127.0.0.1:5080 (Swagger UI at /swagger).
#   scripts/run.sh              serve (a second run reuses the data)
#   scripts/run.sh --seed-demo  also add a demo provider with offers of each kind and a demo client; their API
#                               keys are kept in .data/demo-keys.txt (readable by you only) and shown on every
#                               --seed-demo run
# Environment: DEPINMARKET_PG_PORT (55432), DEPINMARKET_ANVIL_PORT (8545), DEPINMARKET_URL (http://127.0.0.1:5080),
#   DEPINMARKET_DATA (the data folder, .data), DEPINMARKET_API_BIN (a folder holding an already built
#   DepinMarket.Api.dll: skips the build; the tests use it).
# Ctrl-C, SIGINT, SIGTERM or SIGHUP (in the foreground or the background) stop the API, anvil and PostgreSQL,
# in that order, and run.sh exits with the signal. If run.sh is killed outright, a watchdog stops them.
set -euo pipefail

# A shell without job control starts its background jobs with SIGINT ignored (`./scripts/run.sh &` in a script,
# a CI step or a supervisor), and bash can neither trap nor reset a signal that was ignored when it started.
# Start again, once, with SIGINT at its default, so the trap below sees it.
if [ "$(trap -p INT)" = "trap -- '' SIGINT" ]; then
  if env --default-signal=INT true 2>/dev/null; then
    exec env --default-signal=INT "$BASH" "$0" "$@"
  elif command -v perl >/dev/null 2>&1; then
    exec perl -e '$SIG{INT} = "DEFAULT"; exec @ARGV or die "exec: $!\n"' "$BASH" "$0" "$@"
  fi
  echo "run.sh: started with SIGINT ignored and cannot restore it; stop it with SIGTERM" >&2
fi

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/postgres.sh
source "$root/scripts/lib/postgres.sh"
# shellcheck source=lib/anvil.sh
source "$root/scripts/lib/anvil.sh"
# shellcheck source=lib/processes.sh
source "$root/scripts/lib/processes.sh"
# shellcheck source=lib/ports.sh
source "$root/scripts/lib/ports.sh"

seed=false
for arg in "$@"; do
  case "$arg" in
    --seed-demo) seed=true ;;
    -h|--help) sed -n '2,/^set /{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
    *) echo "unknown option: $arg (see --help)" >&2; exit 2 ;;
  esac
done

pg_port=${DEPINMARKET_PG_PORT:-55432}
anvil_port=${DEPINMARKET_ANVIL_PORT:-8545}
api_url=${DEPINMARKET_URL:-http://127.0.0.1:5080}
mkdir -p "${DEPINMARKET_DATA:-$root/.data}"
data=$(cd "${DEPINMARKET_DATA:-$root/.data}" && pwd)
api_bin=${DEPINMARKET_API_BIN:-$data/api-bin}
if [ -n "${DEPINMARKET_API_BIN:-}" ] && [ ! -f "$api_bin/DepinMarket.Api.dll" ]; then
  echo "DEPINMARKET_API_BIN=$api_bin holds no DepinMarket.Api.dll" >&2
  exit 2
fi
pgdata="$data/postgres"
anvil_pid_file="$data/anvil.log.pid"
# The one child run.sh is waiting for (a build, a one-shot command or the API), for the watchdog to find.
child_file="$data/run-child.pid"

say() { printf '%s\n' "$*" >&2; }
# A path as the user knows it: relative to the repository when it is inside it.
shown() { case $1 in "$root"/*) printf '%s\n' "${1#"$root"/}" ;; *) printf '%s\n' "$1" ;; esac; }

child_pid=""
run_step() {
  # run_step CMD...: runs CMD as a background job and waits for it, so a signal is acted on at once rather than
  # when CMD ends (bash runs traps only between foreground commands, but `wait` returns on a signal).
  # Background jobs start with SIGINT ignored: Ctrl-C reaches run.sh only, which stops the child in order.
  local status=0
  "$@" &
  child_pid=$!
  proc_record "$child_pid" >"$child_file"
  wait "$child_pid" || status=$?
  child_pid=""
  rm -f "$child_file"
  return "$status"
}

stop_services() {
  # The API (or whatever step is running) first, since it holds connections to both, then anvil, then
  # PostgreSQL. Every stop is idempotent and works from the pid files alone, so the watchdog can use it too.
  # One failing stop must not skip the others.
  proc_stop "$child_file" 15 || true
  anvil_stop "$anvil_pid_file" || true
  pg_stop "$pgdata" || true
}

watchdog_pid=""
stopping=false
shut_down() {
  # Runs once, whichever of a signal, an error or the API's own exit comes first.
  if $stopping; then return 0; fi
  stopping=true
  trap '' INT TERM HUP   # a second Ctrl-C must not cut the stop short and leave the database running
  say "Stopping the API, anvil and PostgreSQL..."
  stop_services
  if [ -n "$watchdog_pid" ]; then kill -TERM "$watchdog_pid" 2>/dev/null || true; fi
  say "Stopped."
}
on_signal() {
  shut_down
  # Die of the same signal, so whatever started run.sh sees how it ended (a shell loop stops on Ctrl-C).
  trap - "$1" EXIT
  kill -s "$1" "$$"
}
on_exit() {
  local status=$?
  shut_down
  exit "$status"
}
trap 'on_signal INT' INT
trap 'on_signal TERM' TERM
trap 'on_signal HUP' HUP
trap on_exit EXIT

# SIGKILL, the OOM killer or a crash run no trap: this watchdog outlives run.sh and then stops what it started.
# It ignores Ctrl-C and hang-ups, which are run.sh's to handle; run.sh ends it with SIGTERM once it has stopped.
owner=$$
(
  trap '' INT HUP
  while proc_alive "$owner"; do sleep 1; done
  stop_services
) </dev/null >/dev/null 2>&1 &
watchdog_pid=$!

pg_install
if ! anvil_installed; then
  say "Installing the chain tooling (npm ci in src/contracts, first run only)..."
  anvil_install
fi
if [ ! -f "$pgdata/PG_VERSION" ]; then
  say "Creating the database cluster in $(shown "$pgdata")..."
  pg_init_cluster "$pgdata"
fi
if pg_is_running "$pgdata"; then
  # Left by a run.sh whose watchdog was killed too: use it (on the port it listens on) and stop it at the end.
  pg_port=$(sed -n 4p "$pgdata/postmaster.pid")
  say "Using the PostgreSQL already running in $(shown "$pgdata") on 127.0.0.1:$pg_port..."
else
  if port_in_use "$pg_port"; then
    say "Port $pg_port is taken by another program (another run.sh, or a PostgreSQL of this machine): stop it, or choose another port with DEPINMARKET_PG_PORT=<port>"
    exit 1
  fi
  say "Starting PostgreSQL on 127.0.0.1:$pg_port..."
  pg_start "$pgdata" "$pg_port" "$pgdata/server.log"
fi
pg_create_database "$pg_port" depinmarket
# anvil keeps its chain in memory: every run starts a fresh chain, and `chain deploy` below redeploys.
if port_in_use "$anvil_port"; then
  say "Port $anvil_port is taken by another program (another run.sh or anvil): stop it, or choose another port with DEPINMARKET_ANVIL_PORT=<port>"
  exit 1
fi
say "Starting anvil on 127.0.0.1:$anvil_port..."
anvil_start "$anvil_port" "$data/anvil.log"

if [ -z "${DEPINMARKET_API_BIN:-}" ]; then
  say "Building the API (the first run takes a minute)..."
  # No build servers: nothing of the build may keep running once run.sh has stopped.
  if ! run_step dotnet build "$root/src/DepinMarket.Api" -c Release -nologo -v quiet --disable-build-servers \
      -o "$api_bin" >"$data/build.log" 2>&1; then
    tail -n 30 "$data/build.log" >&2
    say "The build failed; the whole log is in $(shown "$data/build.log")"
    exit 1
  fi
fi
export ConnectionStrings__Market="Host=127.0.0.1;Port=$pg_port;Database=depinmarket;Username=postgres"
export Chain__RpcUrl="$ANVIL_RPC_URL" Chain__ChainId="$ANVIL_CHAIN_ID" Chain__DeploymentFile="$data/chain-deployment.json"
# anvil's account 0: a well-known PUBLIC test key (anvil/hardhat default mnemonic), only ever for this local chain.
export Chain__SettlerPrivateKey=0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80 # anvil test key
# A developer's webhook listener runs on this machine (localhost); a shared deployment leaves this off (docs/decisions/0017).
export Webhooks__AllowPrivateNetworks="${Webhooks__AllowPrivateNetworks:-true}"
api=("dotnet" "$api_bin/DepinMarket.Api.dll")
say "Applying migrations..."
run_step "${api[@]}" migrate
# Deploys the token and vault (the settler key owns both) and funds the demo wallets (anvil accounts 0 and 1).
say "Deploying the contracts to anvil..."
run_step "${api[@]}" chain deploy --fund "$ANVIL_ACCOUNT0" --fund 0x70997970C51812dc3A010C7d01b50e0d17dc79C8
if [ "$seed" = true ]; then
  say "Seeding the demo data..."
  run_step "${api[@]}" seed-demo --keys-file "$data/demo-keys.txt"
fi

say "Serving $api_url  (Swagger UI: $api_url/swagger), chain $ANVIL_RPC_URL  Ctrl-C to stop."
run_step "${api[@]}" --urls "$api_url"
