# shellcheck shell=bash
# Section "rentals" of scripts/bench.sh (sourced by it), benchmark (b) of issue 8: POST /v1/rentals of a model offer
# (a budget of 0.001 token: no capacity is taken, so no offer row is shared) with a fresh Idempotency-Key per request,
# from BENCH_CONNECTIONS clients each on its own funded account, beside the raw-SQL baseline of the same database work
# (scripts/bench/rental.sql); then the ledger check and the tally of rentals against answers.
# Writes $work/summary-rentals.md.
# shellcheck source=money.sh
source "$root/scripts/bench/money.sh"
money_effects_sql="select count(*) from rentals"
money_journals_per_effect=1
money_count=${BENCH_MONEY_ACCOUNTS:-$connections}

start_api "$api_url" "$work/api-rentals.log"
api_logs+=("$work/api-rentals.log")
log "Rentals: a provider with a model offer, $money_count clients signed up, $money_tokens tokens each deposited"
provider_key=$(curl -fsS "$api_url/v1/accounts" -H 'Content-Type: application/json' \
  -d '{"displayName":"bench provider","roles":["provider"],"walletAddress":"0x00000000000000000000000000000000000000b1"}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["apiKey"]["key"])')
offer_json=$(curl -fsS "$api_url/v1/offers/model" -H "Authorization: Bearer $provider_key" -H 'Content-Type: application/json' \
  -d '{"modelId":"meta-llama/Llama-3.1-8B-Instruct","modality":"text","contextLength":131072,"pricePerMillionInputTokens":"0.5","pricePerMillionOutputTokens":"1.5","endpointUrl":"https://llm.example.com/v1","requestsPerMinute":600,"publish":true}')
offer_id=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["id"])' "$offer_json")
provider_id=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["providerId"])' "$offer_json")
money_accounts "$work/rental-accounts.tsv" "$money_count"
# The baseline binds @offer and @provider from the same table as the accounts' own values.
awk -v o="$offer_id" -v p="$provider_id" 'BEGIN { FS = OFS = "\t" } NR == 1 { print $0, "offer:uuid", "provider:uuid"; next } { print $0, o, p }' \
  "$work/rental-accounts.tsv" >"$work/rental-vars.tsv"
rental_body="{\"kind\":\"model\",\"offerId\":\"$offer_id\",\"budget\":\"0.001\"}"
rental_sql="$root/scripts/bench/rental.sql"

log "Warming the API up: 15 s of rentals (not measured)"
BENCH_RUN=jit BENCH_ACCOUNTS="$work/rental-accounts.tsv" BENCH_BODY=$rental_body \
  wrk -t"$connections" -c"$connections" -d15s -s "$root/scripts/bench/money-post.lua" "$api_url/v1/rentals" >/dev/null

rental_files=() rental_base_files=()
for round in $(seq 1 "$rounds"); do
  log "Round $round/$rounds, rentals through the API: wrk -t$connections -c$connections -d${duration}s POST /v1/rentals, one account per connection"
  money_post_run "rental-$round" /v1/rentals "$rental_body" "$work/rental-accounts.tsv"
  rental_files+=("$work/wrk-rental-$round.txt")
  log "Round $round/$rounds, baseline: the same database work through raw Npgsql, $connections workers, one account each"
  money_sql_run "$work/rental-baseline-$round.txt" "$rental_sql" "$work/rental-vars.tsv"
  rental_base_files+=("$work/rental-baseline-$round.txt")
done

log "Ledger check after the rental runs: GET /v1/admin/ledger/check"
rental_ledger_line=$(ledger_check "$work/ledger-check-rentals.json")
echo "  $rental_ledger_line"
rental_rows=$(psql_db -tAc "select count(*) || ' rentals, ' || (select count(*) from journals) || ' journals' from rentals")
stop_api

rental_ratio=$(ratio "$(mean rps "${rental_files[@]}")" "$(mean rps "${rental_base_files[@]}")")
{
  echo "#### Rentals (wrk -t$connections -c$connections -d${duration}s, $rounds rounds)"
  echo
  echo "\`POST /v1/rentals\` \`$rental_body\` with a fresh Idempotency-Key per request, each connection on its own funded account ($money_count accounts)."
  echo
  row6 "run" "req/s (mean)" "req/s per round" "p50 / p99 ms (mean)" "CPU ms per request: API process / PostgreSQL backends" "errors (non-2xx / socket)"
  row6 "---" "---:" "---:" "---:" "---:" "---"
  row6 "API rentals (wrk)" "$(mean rps "${rental_files[@]}")" "$(each rps "${rental_files[@]}")" \
    "$(mean p50_ms "${rental_files[@]}") / $(mean p99_ms "${rental_files[@]}")" \
    "$(mean api_cpu_ms "${rental_files[@]}") / $(mean pg_cpu_ms "${rental_files[@]}")" \
    "$(sum status_errors "${rental_files[@]}") / $(sum socket_errors "${rental_files[@]}")"
  row6 "baseline: the same database work, raw Npgsql" "$(mean rps "${rental_base_files[@]}")" "$(each rps "${rental_base_files[@]}")" \
    "$(mean p50_ms "${rental_base_files[@]}") / $(mean p99_ms "${rental_base_files[@]}")" \
    "- / $(mean pg_cpu_ms "${rental_base_files[@]}")" "$(sum errors "${rental_base_files[@]}")"
  echo
  echo "Rental throughput, API / baseline: **$rental_ratio×** (target: at least a third)."
  echo "Over all API runs: $(money_tally "${rental_files[@]}"). Ledger check after all runs ($rental_rows): $rental_ledger_line."
} >"$work/summary-rentals.md"
