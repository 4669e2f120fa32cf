# shellcheck shell=bash
# Section "withdrawals" of scripts/bench.sh (sourced by it): POST /v1/withdrawals of 1 token, a fresh Idempotency-Key
# per request, from BENCH_CONNECTIONS clients each on its own funded account with a verified wallet, beside the
# raw-SQL baseline of the same database work (scripts/bench/withdrawal.sql) and, as baseline 2, that work plus the
# two reads the API makes first (withdrawal-reads.sql); then, with BENCH_HOT_ROW=1, both again with every client on
# one account; then the ledger check. Writes $work/summary-withdrawals.md.
# shellcheck source=money.sh
source "$root/scripts/bench/money.sh"
money_effects_sql="select count(*) from withdrawals"
money_journals_per_effect=1
withdrawal_body='{"amount":"1"}'
withdrawal_sql="$root/scripts/bench/withdrawal.sql"
withdrawal_sql2="$root/scripts/bench/withdrawal-reads.sql,$withdrawal_sql"
money_count=${BENCH_MONEY_ACCOUNTS:-$connections}

start_api "$api_url" "$work/api-money.log"
api_logs+=("$work/api-money.log")
log "Withdrawals: $money_count accounts signed up, wallets verified, $money_tokens tokens each deposited"
money_accounts "$work/money-accounts.tsv" "$money_count"
head -n 2 "$work/money-accounts.tsv" >"$work/money-hot.tsv" # the header and one account

log "Warming the API up: 15 s of withdrawals (not measured)"
BENCH_RUN=jit BENCH_ACCOUNTS="$work/money-accounts.tsv" BENCH_BODY=$withdrawal_body \
  wrk -t"$connections" -c"$connections" -d15s -s "$root/scripts/bench/money-post.lua" "$api_url/v1/withdrawals" >/dev/null

# Which statements one request sends, from PostgreSQL's own log (log_statement = all for one request), once the
# warm-up has left Npgsql's automatic preparation in its steady state.
log "Capturing the statements of one POST /v1/withdrawals (PostgreSQL log_statement = all)"
capture_key=$(awk -F '\t' 'NR == 2 { print $1 }' "$work/money-accounts.tsv")
psql_db -c "alter system set log_statement = 'all'" -c "select pg_reload_conf()" >/dev/null
sleep 0.5
psql_db -c "select 'bench-capture-begin'" >/dev/null
curl -fsS -X POST "$api_url/v1/withdrawals" -H "Authorization: Bearer $capture_key" -H 'Content-Type: application/json' \
  -H 'Idempotency-Key: capture-1' -d "$withdrawal_body" >"$work/withdrawal-response.json"
psql_db -c "select 'bench-capture-end'" >/dev/null
psql_db -c "alter system reset log_statement" -c "select pg_reload_conf()" >/dev/null
awk '/bench-capture-begin/ { on = 1; next } /bench-capture-end/ { on = 0 }
  on && / LOG:  (statement|execute [^:]*):/ { sub(/^.* LOG:  /, ""); print }' "$pgdata/server.log" >"$work/withdrawal-statements.txt"
echo "  $(wc -l <"$work/withdrawal-statements.txt") statements (a batch's statements are logged one by one but travel together):"
cut -c1-150 "$work/withdrawal-statements.txt" | sed 's/^/    /'
echo "  API answer ($(wc -c <"$work/withdrawal-response.json") bytes): $(cat "$work/withdrawal-response.json")"

withdrawal_files=() withdrawal_base_files=() withdrawal_base2_files=()
for round in $(seq 1 "$rounds"); do
  log "Round $round/$rounds, withdrawals through the API: wrk -t$connections -c$connections -d${duration}s POST /v1/withdrawals, one account per connection"
  money_post_run "withdrawal-$round" /v1/withdrawals "$withdrawal_body" "$work/money-accounts.tsv"
  withdrawal_files+=("$work/wrk-withdrawal-$round.txt")

  log "Round $round/$rounds, baseline: the same database work through raw Npgsql, $connections workers, one account each"
  money_sql_run "$work/withdrawal-baseline-$round.txt" "$withdrawal_sql" "$work/money-accounts.tsv"
  withdrawal_base_files+=("$work/withdrawal-baseline-$round.txt")

  log "Round $round/$rounds, baseline 2: the same plus the API's two reads (wallet verified, ledger account ids)"
  money_sql_run "$work/withdrawal-baseline2-$round.txt" "$withdrawal_sql2" "$work/money-accounts.tsv"
  withdrawal_base2_files+=("$work/withdrawal-baseline2-$round.txt")
done
hot_row=${BENCH_HOT_ROW:-1}
if [ "$hot_row" = 1 ]; then
  log "Hot row, API: all $connections connections withdraw from one account"
  money_post_run withdrawal-hot /v1/withdrawals "$withdrawal_body" "$work/money-hot.tsv"
  log "Hot row, baseline: all $connections workers on one account"
  money_sql_run "$work/withdrawal-baseline-hot.txt" "$withdrawal_sql" "$work/money-hot.tsv"
fi

log "Ledger check after the withdrawal runs: GET /v1/admin/ledger/check"
ledger_line=$(ledger_check "$work/ledger-check.json")
echo "  $ledger_line"
withdrawal_rows=$(psql_db -tAc "select count(*) || ' withdrawals, ' || (select count(*) from journals) || ' journals, ' || (select count(*) from postings) || ' postings' from withdrawals")
echo "  $withdrawal_rows in the database"
stop_api

withdrawal_ratio=$(ratio "$(mean rps "${withdrawal_files[@]}")" "$(mean rps "${withdrawal_base_files[@]}")")
withdrawal_ratio2=$(ratio "$(mean rps "${withdrawal_files[@]}")" "$(mean rps "${withdrawal_base2_files[@]}")")
withdrawal_round_ratios=""
for round in $(seq 1 "$rounds"); do
  withdrawal_round_ratios="$withdrawal_round_ratios${withdrawal_round_ratios:+ / }$(ratio "$(result "${withdrawal_files[$((round - 1))]}" rps)" "$(result "${withdrawal_base_files[$((round - 1))]}" rps)")"
done
{
  echo "#### Withdrawals (wrk -t$connections -c$connections -d${duration}s, $rounds rounds)"
  echo
  echo "\`POST /v1/withdrawals\` \`$withdrawal_body\` with a fresh Idempotency-Key per request, each connection on its own" \
    "account ($money_count accounts, verified wallets, funded). The API sends $(wc -l <"$work/withdrawal-statements.txt") statements per request."
  echo
  row6 "run" "req/s (mean)" "req/s per round" "p50 / p99 ms (mean)" "CPU ms per request: API process / PostgreSQL backends" "errors (non-2xx / socket)"
  row6 "---" "---:" "---:" "---:" "---:" "---"
  row6 "API withdrawals (wrk)" "$(mean rps "${withdrawal_files[@]}")" "$(each rps "${withdrawal_files[@]}")" \
    "$(mean p50_ms "${withdrawal_files[@]}") / $(mean p99_ms "${withdrawal_files[@]}")" \
    "$(mean api_cpu_ms "${withdrawal_files[@]}") / $(mean pg_cpu_ms "${withdrawal_files[@]}")" \
    "$(sum status_errors "${withdrawal_files[@]}") / $(sum socket_errors "${withdrawal_files[@]}")"
  row6 "baseline: the same database work, raw Npgsql" "$(mean rps "${withdrawal_base_files[@]}")" "$(each rps "${withdrawal_base_files[@]}")" \
    "$(mean p50_ms "${withdrawal_base_files[@]}") / $(mean p99_ms "${withdrawal_base_files[@]}")" \
    "- / $(mean pg_cpu_ms "${withdrawal_base_files[@]}")" "$(sum errors "${withdrawal_base_files[@]}")"
  row6 "baseline 2: + wallet and ledger-id reads" "$(mean rps "${withdrawal_base2_files[@]}")" "$(each rps "${withdrawal_base2_files[@]}")" \
    "$(mean p50_ms "${withdrawal_base2_files[@]}") / $(mean p99_ms "${withdrawal_base2_files[@]}")" \
    "- / $(mean pg_cpu_ms "${withdrawal_base2_files[@]}")" "$(sum errors "${withdrawal_base2_files[@]}")"
  if [ "$hot_row" = 1 ]; then
    hot=$work/wrk-withdrawal-hot.txt hot_base=$work/withdrawal-baseline-hot.txt
    row6 "API, hot row: every connection on one account (1 run)" "$(result "$hot" rps)" "" \
      "$(result "$hot" p50_ms) / $(result "$hot" p99_ms)" "$(result "$hot" api_cpu_ms) / $(result "$hot" pg_cpu_ms)" \
      "$(result "$hot" status_errors) / $(result "$hot" socket_errors)"
    row6 "baseline, hot row (1 run)" "$(result "$hot_base" rps)" "" "$(result "$hot_base" p50_ms) / $(result "$hot_base" p99_ms)" \
      "- / $(result "$hot_base" pg_cpu_ms)" "$(result "$hot_base" errors)"
  fi
  echo
  echo "Withdrawal throughput, API / baseline: **$withdrawal_ratio×** (per round: $withdrawal_round_ratios). API / baseline 2: $withdrawal_ratio2×."
  if [ "$hot_row" = 1 ]; then
    echo "Hot row, API / baseline: $(ratio "$(result "$hot" rps)" "$(result "$hot_base" rps)")×."
  fi
  echo
  echo "Tally of the API runs (rows created during each measured run against wrk's 2xx answers and requests written):"
  echo
  row "run" "2xx answers / requests sent" "withdrawals / journals / stored answers created" "lost / doubled" "each whole"
  row "---" "---:" "---:" "---:" "---"
  for file in "${withdrawal_files[@]}" ${hot:+"$hot"}; do
    row "$(basename "$file" .txt | sed 's/^wrk-//')" "$(result "$file" answered) / $(result "$file" sent)" \
      "$(result "$file" effects) / $(result "$file" journals) / $(result "$file" answers)" \
      "$(result "$file" lost) / $(result "$file" doubled)" "$(result "$file" whole)"
  done
  echo
  echo "Over all API runs: $(money_tally "${withdrawal_files[@]}" ${hot:+"$hot"})."
  echo "Ledger check after all runs (warm-ups and baselines included; $withdrawal_rows): $ledger_line."
} >"$work/summary-withdrawals.md"
