#!/usr/bin/env bash
# Run DepinMarket locally: installs PostgreSQL if missing, starts a private cluster in .data/postgres,
# applies migrations and serves the API on http://127.0.0.1:5080 (Swagger UI at /swagger).
#   scripts/run.sh              serve (a second run reuses the data)
#   scripts/run.sh --seed-demo  also add a demo provider with offers of each kind and a demo client
# Ctrl-C stops the API and the database cleanly.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/postgres.sh
source "$root/scripts/lib/postgres.sh"

seed=false
for arg in "$@"; do
  case "$arg" in
    --seed-demo) seed=true ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "unknown option: $arg (see --help)" >&2; exit 2 ;;
  esac
done

pg_port=${DEPINMARKET_PG_PORT:-55432}
api_url=${DEPINMARKET_URL:-http://127.0.0.1:5080}
data="$root/.data"
mkdir -p "$data"

pg_install
pg_init_cluster "$data/postgres"
if [ ! -f "$data/postgres/postmaster.pid" ]; then
  pg_start "$data/postgres" "$pg_port" "$data/postgres/server.log"
fi
api_pid=""
cleanup() {
  trap - INT TERM EXIT
  if [ -n "$api_pid" ]; then kill -TERM "$api_pid" 2>/dev/null || true; wait "$api_pid" 2>/dev/null || true; fi
  echo "Stopping PostgreSQL..."
  pg_stop "$data/postgres"
}
trap cleanup INT TERM EXIT
pg_create_database "$pg_port" depinmarket

echo "Building the API..."
dotnet build "$root/src/DepinMarket.Api" -c Release -nologo -v quiet -o "$data/api-bin" >/dev/null
export ConnectionStrings__Market="Host=127.0.0.1;Port=$pg_port;Database=depinmarket;Username=postgres"
api=("dotnet" "$data/api-bin/DepinMarket.Api.dll")
"${api[@]}" migrate
if [ "$seed" = true ]; then "${api[@]}" seed-demo; fi

echo "Serving $api_url  (Swagger UI: $api_url/swagger)  Ctrl-C to stop."
"${api[@]}" --urls "$api_url" &
api_pid=$!
wait "$api_pid"
