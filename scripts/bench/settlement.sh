#!/usr/bin/env bash
# End-to-end settlement benchmark of issue 9 (docs/PERFORMANCE.md, "Settlement of 10,000 payouts (issue 9)"). Not part
# of the test suite, and not a bench.sh section: it measures and prints, it judges only against the issue's target
# (10,000 payouts settled and reconciled in under 5 minutes). Standalone: builds tests/DepinMarket.Benchmarks
# (Release), starts a throwaway PostgreSQL cluster (scripts/postgres-cluster.sh) on a free loopback port, and runs the
# tool's `settlement` command (SettlementBench.cs), which migrates and seeds the database, starts a private anvil
# through scripts/anvil-node.sh (`npm ci` in src/contracts first when anvil is missing), settles through the API's
# own SettlementWorker, reconciles, then sends the same payouts raw; the cluster and anvil are removed at the end.
#   scripts/bench/settlement.sh                 run it (under a minute after the build)
#   scripts/bench/settlement.sh --report FILE   also write the summary (markdown) to FILE
#   scripts/bench/settlement.sh --keep          keep the temporary folder (build log, raw output, the database's log)
#   --payouts N, --batch N, --minimum T, --balances all|N, --baseline yes|no, --rpc URL   passed to the tool: other
#                                               sizes, fewer balances read, no raw baseline, an anvil you run yourself
# Knobs (environment): BENCH_BUILD_DIR=/tmp/depinmarket-bench-build (our own bin/obj, as bench.sh's)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=../lib/postgres.sh
source "$root/scripts/lib/postgres.sh"
# shellcheck source=../lib/ports.sh
source "$root/scripts/lib/ports.sh"

report=""
keep=false
tool_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --report) report=${2:?--report needs a file}; shift 2 ;;
    --keep) keep=true; shift ;;
    --payouts|--batch|--minimum|--balances|--baseline|--rpc) tool_args+=("$1" "${2:?$1 needs a value}"); shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$report" in ""|/*) ;; *) report="$PWD/$report" ;; esac
build=${BENCH_BUILD_DIR:-/tmp/depinmarket-bench-build}
target_s=300 # issue 9: 10,000 payouts settled and reconciled in under 5 minutes


work=$(mktemp -d /tmp/depinmarket-settlebench.XXXXXX)
chmod 755 "$work" # the postgres OS user must reach the data folder inside
pgdata="$work/pg"
pg_started=false
cleanup() {
  local status=$?
  trap - INT TERM EXIT
  if [ "$pg_started" = true ]; then "$root/scripts/postgres-cluster.sh" stop "$pgdata" || true; fi
  if [ "$keep" = true ] || [ "$status" != 0 ]; then echo "Build log, raw output and the database kept in $work"; else rm -rf "$work"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== Building the benchmark tool (Release)"
dotnet build "$root/tests/DepinMarket.Benchmarks" -c Release -nologo -v quiet --artifacts-path "$build" >"$work/build.log" 2>&1 \
  || { cat "$work/build.log"; exit 1; }

pg_install
pg_port=$(free_port)
echo "== A throwaway PostgreSQL cluster on 127.0.0.1:$pg_port"
pg_started=true
# OWNER_PID: the cluster's watchdog removes it even if this script is killed outright.
OWNER_PID=$$ "$root/scripts/postgres-cluster.sh" start "$pgdata" "$pg_port"
"$(pg_bindir)/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -qc "create database settlement" >/dev/null
conn="Host=127.0.0.1;Port=$pg_port;Database=settlement;Username=postgres"

echo "== Settlement on anvil through the API's SettlementWorker (SettlementBench.cs)"
load_before=$(cut -d' ' -f1-3 /proc/loadavg) # a shared machine: other work weighs on the wall times
status=0
dotnet "$build/bin/DepinMarket.Benchmarks/release/DepinMarket.Benchmarks.dll" settlement --conn "$conn" --repo "$root" \
  ${tool_args[@]+"${tool_args[@]}"} | tee "$work/settlement.txt" || status=$?

# --- summary (markdown) from the RESULT lines ------------------------------------------------------
kv() { # kv PREFIX: the RESULT lines starting with PREFIX (name and first key), their "key=value" fields only
  grep "^RESULT $1" "$work/settlement.txt" | cut -d' ' -f3- || true
}
awk_lib='function g(n,   s, r) { s = sprintf("%d", n); r = ""; while (length(s) > 3) { r = "," substr(s, length(s) - 2) r; s = substr(s, 1, length(s) - 3) } return s r }
  { delete v; for (i = 1; i <= NF; i++) { split($i, p, "="); v[p[1]] = p[2] } }'
{
  echo "### Settlement ($(date -u +'%Y-%m-%d %H:%M UTC'), load average before $load_before, after $(cut -d' ' -f1-3 /proc/loadavg))"
  echo
  echo "| payouts | per transaction | transactions | blocks | gasUsed | gas / payout | worker passes | settled (s) | reconciled (s) | total (s) | payouts / s | raw payouts (s) | worker / raw | ledger check | on-chain check |"
  echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |"
  paste -d' ' <(kv 'settlement payouts=') <(kv 'settlement-raw transactions=' | sed -e 's/gas_used=/raw_gas_used=/' -e 's/transactions=/raw_transactions=/') | awk "$awk_lib"'{
    printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", g(v["payouts"]), v["batch"], v["transactions"], v["blocks"],
      g(v["gas_used"]), g(v["gas_per_payout"]), v["passes"], v["settle_s"], v["reconcile_s"], v["total_s"], v["payouts_per_s"],
      (v["raw_s"] == "" ? "-" : v["raw_s"]), (v["ratio"] == "" ? "-" : v["ratio"] "×"), v["ledger"],
      (v["chain_problems"] == 0 ? "all " v["balances_checked"] " balances as owed" : v["chain_problems"] " problems") }'
  echo
  kv 'settlement payouts=' | awk -v t="$target_s" "$awk_lib"'{ ok = v["payouts"] == v["expected"] && v["ledger"] == "clean" && v["chain_problems"] == 0 && v["total_s"] + 0 < t
    printf "%s payouts settled and reconciled in %s s (target: %s payouts in under %d s: **%s**).\n", g(v["payouts"]), v["total_s"], g(v["expected"]), t, (ok ? "met" : "MISSED") }'
} >"$work/summary.md"
echo
echo "== Summary"
cat "$work/summary.md"
if [ -n "$report" ]; then cp "$work/summary.md" "$report"; echo "(written to $report)"; fi
exit "$status"
