#!/usr/bin/env bash
# Payout gas benchmark of issue 9 (docs/PERFORMANCE.md, "Payout gas (issue 9)"). Not part of the test suite, and not a
# bench.sh section (it needs no PostgreSQL): it measures and prints, it judges only against the issue's target.
# Builds tests/DepinMarket.Benchmarks (Release) and runs its `gas` command (GasBench.cs), which starts two private
# anvils through scripts/anvil-node.sh on free loopback ports (`npm ci` in src/contracts first when anvil is
# missing): one as anvil starts by default, one with --enable-tx-gas-limit (EIP-7825's per-transaction cap), and
# stops them at the end.
#   scripts/bench/gas.sh                 run it (about a minute, most of it the build)
#   scripts/bench/gas.sh --report FILE   also write the summary (markdown) to FILE
#   scripts/bench/gas.sh --keep          keep the temporary folder (build log, raw output)
#   --rpc URL, --cap-rpc URL|none, --sizes 1,10,100,500   passed to the tool: anvils you run yourself (with anvil's
#                                        default dev accounts), no EIP-7825 node, other batch sizes
# Knobs (environment): BENCH_BUILD_DIR=/tmp/depinmarket-bench-build (our own bin/obj, as bench.sh's)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

report=""
keep=false
tool_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --report) report=${2:?--report needs a file}; shift 2 ;;
    --keep) keep=true; shift ;;
    --rpc|--cap-rpc|--sizes) tool_args+=("$1" "${2:?$1 needs a value}"); shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$report" in ""|/*) ;; *) report="$PWD/$report" ;; esac
build=${BENCH_BUILD_DIR:-/tmp/depinmarket-bench-build}
target=1.8 # issue 9: at least 1.8x less gas per recipient than single transfers at batch size 100

work=$(mktemp -d /tmp/depinmarket-gasbench.XXXXXX)
cleanup() {
  local status=$?
  if [ "$keep" = true ] || [ "$status" != 0 ]; then echo "Build log and raw output kept in $work"; else rm -rf "$work"; fi
  exit "$status"
}
trap cleanup EXIT

echo "== Building the benchmark tool (Release)"
dotnet build "$root/tests/DepinMarket.Benchmarks" -c Release -nologo -v quiet --artifacts-path "$build" >"$work/build.log" 2>&1 \
  || { cat "$work/build.log"; exit 1; }
echo "== Payout gas on anvil (GasBench.cs)"
dotnet "$build/bin/DepinMarket.Benchmarks/release/DepinMarket.Benchmarks.dll" gas --repo "$root" ${tool_args[@]+"${tool_args[@]}"} | tee "$work/gas.txt"

# --- summary (markdown) from the RESULT lines ------------------------------------------------------
kv() { # kv PREFIX: the RESULT lines starting with PREFIX, their "key=value" fields only
  grep "^RESULT $1 " "$work/gas.txt" | cut -d' ' -f3-
}
# Parses the fields into v[] and groups digits (g), for each awk below.
awk_lib='function g(n,   s, r) { s = sprintf("%d", n); r = ""; while (length(s) > 3) { r = "," substr(s, length(s) - 2) r; s = substr(s, 1, length(s) - 3) } return s r }
  { delete v; for (i = 1; i <= NF; i++) { split($i, p, "="); v[p[1]] = p[2] } }'
{
  echo "### Payout gas ($(date -u +'%Y-%m-%d %H:%M UTC'), $(sed -n 's/^  node [^ ]* (\([^)]*\)).*/\1/p' "$work/gas.txt" | head -n 1))"
  echo
  echo "| holders | recipients | payout gasUsed (1 tx) | payout gas / recipient | transfers gasUsed (n tx) | transfer gas / recipient | transfer / payout |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
  kv gas | awk "$awk_lib"'{ printf "| %s | %d | %s | %s | %s | %s | %.2f× |\n", v["holders"], v["recipients"], g(v["payout_gas"]), g(v["payout_per_recipient"]), g(v["transfer_gas"]), g(v["transfer_per_recipient"]), v["ratio"] }'
  echo
  kv gas | awk -v t="$target" "$awk_lib"'v["recipients"] == 100 { printf "Batch of 100, %s holders: %.2f× less gas per recipient than single transfers (target %s×: **%s**).\n", v["holders"], v["ratio"], t, (v["ratio"] + 0 >= t ? "met" : "MISSED") }'
  kv gas-marginal | awk "$awk_lib"'{ printf "Marginal gas per recipient, %s holders (batches of %s): %s; fixed gas per payout transaction: %s.\n", v["holders"], v["from"], g(v["per_recipient"]), g(v["fixed"]) }'
  echo
  echo "Largest payout to new holders in one transaction (fresh recipients for every attempt):"
  echo
  echo "| gas limit | limit | limit / marginal | (limit − fixed) / marginal | largest whose eth_estimateGas fits, sent at gas = limit | one recipient more, gas = limit | gas = limit + 1 | largest through the library (estimate + 20 % headroom) | the same largest size through the library |"
  echo "| --- | ---: | ---: | ---: | --- | --- | --- | --- | --- |"
  kv gas-bound | awk "$awk_lib"'{ name = v["limit_name"] == "block" ? "block (eth_getBlockByNumber)" : "EIP-7825 transaction cap (anvil --enable-tx-gas-limit)"
    printf "| %s | %s | %d | %d | %d: %s, gasUsed %s | %s, gasUsed %s | %s | %d: %s, gasUsed %s | %s |\n", name, g(v["limit"]), v["simple"], v["predicted"],
      v["largest"], v["largest_status"], g(v["largest_gas_used"]), v["next_status"], g(v["next_gas_used"]), v["over_limit_status"],
      v["largest_with_headroom"], v["headroom_status"], g(v["headroom_gas_used"]), v["headroom_at_largest_status"] }'
} >"$work/summary.md"
echo
echo "== Summary"
cat "$work/summary.md"
if [ -n "$report" ]; then cp "$work/summary.md" "$report"; echo "(written to $report)"; fi
