#!/usr/bin/env bash
# The whole test suite, on a fresh machine of this kind, with nothing started by hand:
# installs PostgreSQL (Debian) and the chain tooling (npm ci) when missing, checks the compiled
# contract artifacts against their Solidity sources, then runs every test project. The integration
# tests start their own throwaway PostgreSQL cluster on a free loopback port.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/postgres.sh
source "$root/scripts/lib/postgres.sh"
# shellcheck source=lib/anvil.sh
source "$root/scripts/lib/anvil.sh"

pg_install
anvil_install
echo "Checking compiled contract artifacts against their sources..."
node "$root/src/contracts/scripts/compile.mjs" --verify

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test "$root/DepinMarket.sln" -c Release --nologo "$@" 2>&1 | tee "$log" || status=$?

# One closing line for the whole suite, summed over the test projects' "Passed!/Failed!" lines.
awk '/(Passed|Failed)! +- Failed:/ {
       gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
     }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"
