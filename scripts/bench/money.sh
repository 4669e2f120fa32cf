# shellcheck shell=bash
# Load runs of a money-moving POST, for the sections of scripts/bench.sh (sourced by them; uses bench.sh's variables
# and functions). Generic over the endpoint: withdrawals.sh uses it, and a later endpoint (POST /v1/rentals) needs a
# body, a baseline SQL file and the query that counts its effects. What each run gets:
#   - accounts signed up through the API, wallets verified by wallet sign-in, funded by a deposit journal
#     (money_accounts; tests/DepinMarket.Benchmarks/MoneyAccounts.cs), one per wrk connection;
#   - wrk with one thread per connection (scripts/bench/money-post.lua): each connection sends as its own account,
#     with a fresh Idempotency-Key on every request;
#   - a tally: effects, journals and stored answers created during the measured run against the 2xx answers wrk
#     saw and the requests it wrote, so a lost or doubled effect shows;
#   - the raw-SQL baseline: the same database work per request from as many workers (sql-script-load, SqlScript.cs).
# Set before use: money_effects_sql (a query counting the endpoint's effect rows) and money_journals_per_effect.

money_tokens=${BENCH_MONEY_TOKENS:-1000000000}

money_accounts() { # money_accounts FILE COUNT: COUNT funded accounts with verified wallets, made through the running API
  tool money-accounts --url "$api_url" --conn "$conn" --count "$2" --tokens "$money_tokens" --out "$1"
}

money_counts() { # "effects journals answers" now; FILE
  psql_db -tA -F ' ' -c "select ($money_effects_sql), (select count(*) from journals),
    (select count(*) from idempotency_keys where status_code between 200 and 299)" >"$1"
}

money_count_before() { # WRK_BEFORE hook of money_post_run: counts once the warm-up's last requests have committed
  sleep 1
  money_counts "$work/money-before-$1.txt"
}

money_post_run() { # money_post_run NAME PATH BODY ACCOUNTS_FILE: wrk on the API; the tally goes into wrk-NAME.txt
  local name=$1 effects0 journals0 answers0 effects1 journals1 answers1 answered sent effects lost doubled whole
  BENCH_ACCOUNTS=$4 BENCH_BODY=$3 WRK_THREADS=$connections WRK_BEFORE=money_count_before wrk_run "$name" money-post.lua "$2"
  # The API completes a request whose client hung up (IdempotencyMiddleware): let the last ones commit.
  sleep 1
  money_counts "$work/money-after-$name.txt"
  read -r effects0 journals0 answers0 <"$work/money-before-$name.txt"
  read -r effects1 journals1 answers1 <"$work/money-after-$name.txt"
  answered=$(($(result "$work/wrk-$name.txt" requests) - $(result "$work/wrk-$name.txt" status_errors)))
  sent=$(result "$work/wrk-$name.txt" sent)
  effects=$((effects1 - effects0))
  lost=$((answered > effects ? answered - effects : 0))
  doubled=$((effects > sent ? effects - sent : 0))
  # Each effect has its stored answer and its journals, no more, no fewer.
  whole=$([ "$effects" = $((answers1 - answers0)) ] && [ $((effects * money_journals_per_effect)) = $((journals1 - journals0)) ] && echo yes || echo NO)
  echo "RESULT answered=$answered sent=$sent effects=$effects journals=$((journals1 - journals0)) answers=$((answers1 - answers0)) lost=$lost doubled=$doubled whole=$whole" >>"$work/wrk-$name.txt"
  echo "  tally: $answered answered 2xx of $sent requests sent ($((sent - answered)) without a 2xx when wrk stopped or refused);" \
    "created $effects effects, $((journals1 - journals0)) journals, $((answers1 - answers0)) stored answers: lost $lost, doubled $doubled, each effect whole: $whole"
}

money_sql_run() { # money_sql_run FILE SQL_FILES VARS_FILE: the raw-SQL baseline, one worker per connection
  sql_load "$1" sql-script-load --conn "$conn_baseline" --script "$2" --vars "$3" --workers "$connections" --duration "$duration"
}

money_tally() { # money_tally FILE...: "lost L, doubled D, whole yes|NO" over the runs
  local lost=0 doubled=0 whole=yes file
  for file in "$@"; do
    lost=$((lost + $(result "$file" lost))); doubled=$((doubled + $(result "$file" doubled)))
    [ "$(result "$file" whole)" = yes ] || whole=NO
  done
  echo "lost $lost, doubled $doubled, every effect with its journal and stored answer: $whole"
}

ledger_check() { # ledger_check FILE: GET /v1/admin/ledger/check, timed; prints one line about it
  local started ended
  started=$(date +%s%N)
  curl -fsS "$api_url/v1/admin/ledger/check" -H "Authorization: Bearer $admin_key" >"$1"
  ended=$(date +%s%N)
  jq -r --arg ms "$(((ended - started) / 1000000))" '"consistent: \(.consistent) (\(.journals) journals, \(.ledgerAccounts) ledger accounts, sum of balances \(.sumOfBalances),"
    + " \(.unbalancedJournals | length) unbalanced journals, \(.balanceMismatches | length) balance mismatches, \(.negativeBalances | length) negative balances; \($ms) ms)"' "$1"
}
