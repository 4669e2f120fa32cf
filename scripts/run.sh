#!/usr/bin/env bash
# Run DepinMarket locally: installs PostgreSQL and anvil if missing, starts a private PostgreSQL cluster in
# .data/postgres and a local chain (anvil, 127.0.0.1:8545), applies migrations, deploys the token and vault
# contracts, and serves the API on http://127.0.0.1:5080 (Swagger UI at /swagger).
#   scripts/run.sh              serve (a second run reuses the data)
#   scripts/run.sh --seed-demo  also add a demo provider with offers of each kind and a demo client
# Ctrl-C stops the API and the database cleanly.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/postgres.sh
source "$root/scripts/lib/postgres.sh"
# shellcheck source=lib/anvil.sh
source "$root/scripts/lib/anvil.sh"

seed=false
for arg in "$@"; do
  case "$arg" in
    --seed-demo) seed=true ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "unknown option: $arg (see --help)" >&2; exit 2 ;;
  esac
done

pg_port=${DEPINMARKET_PG_PORT:-55432}
anvil_port=${DEPINMARKET_ANVIL_PORT:-8545}
api_url=${DEPINMARKET_URL:-http://127.0.0.1:5080}
data="$root/.data"
mkdir -p "$data"

pg_install
anvil_install
pg_init_cluster "$data/postgres"
if [ ! -f "$data/postgres/postmaster.pid" ]; then
  pg_start "$data/postgres" "$pg_port" "$data/postgres/server.log"
fi
api_pid=""
cleanup() {
  trap - INT TERM EXIT
  if [ -n "$api_pid" ]; then kill -TERM "$api_pid" 2>/dev/null || true; wait "$api_pid" 2>/dev/null || true; fi
  echo "Stopping anvil and PostgreSQL..."
  anvil_stop
  pg_stop "$data/postgres"
}
trap cleanup INT TERM EXIT
pg_create_database "$pg_port" depinmarket
# anvil keeps its chain in memory: every run starts a fresh chain, and `chain deploy` below redeploys.
anvil_start "$anvil_port" "$data/anvil.log"

echo "Building the API..."
dotnet build "$root/src/DepinMarket.Api" -c Release -nologo -v quiet -o "$data/api-bin" >/dev/null
export ConnectionStrings__Market="Host=127.0.0.1;Port=$pg_port;Database=depinmarket;Username=postgres"
export Chain__RpcUrl="$ANVIL_RPC_URL" Chain__ChainId="$ANVIL_CHAIN_ID" Chain__DeploymentFile="$data/chain-deployment.json"
# anvil's account 0: a well-known PUBLIC test key (anvil/hardhat default mnemonic), only ever for this local chain.
export Chain__SettlerPrivateKey=0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80 # anvil test key
api=("dotnet" "$data/api-bin/DepinMarket.Api.dll")
"${api[@]}" migrate
# Deploys the token and vault (the settler key owns both) and funds the demo wallets (anvil accounts 0 and 1).
"${api[@]}" chain deploy --fund "$ANVIL_ACCOUNT0" --fund 0x70997970C51812dc3A010C7d01b50e0d17dc79C8
if [ "$seed" = true ]; then "${api[@]}" seed-demo; fi

echo "Serving $api_url  (Swagger UI: $api_url/swagger), chain $ANVIL_RPC_URL  Ctrl-C to stop."
"${api[@]}" --urls "$api_url" &
api_pid=$!
wait "$api_pid"
