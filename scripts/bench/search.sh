# shellcheck shell=bash
# Section "search" of scripts/bench.sh (sourced by it; uses its variables and functions): the compute-offer search
# under load beside raw-Npgsql baselines of the same SQL, offer creation, and the scaling probe from
# BENCH_SMALL to BENCH_LARGE offers. Writes $work/summary-search.md.
if [ "$small" -gt "$offers" ] || [ "$offers" -gt "$large" ]; then
  echo "need BENCH_SMALL <= BENCH_OFFERS <= BENCH_LARGE (the table grows from one size to the next)" >&2
  exit 2
fi

# The search under test, and its parameters as EF Core binds them (in order: gpu, minGpus, maxPricePerGpuHour
# in base units, region, limit + 1: the search asks for one row more to know whether there is a next page).
search_query="gpu=H100&minGpus=2&maxPricePerGpuHour=3&region=DE&limit=50"
search_params="text:H100;int:2;numeric:3000000000000000000;text:DE;int:51"
# A search that finds nothing (no seeded node has 64 GPUs): the API then runs COUNTs to explain which filter
# emptied the result. Probed for latency at both sizes: that path must not grow with the table (target ≤ 3×).
empty_query="gpu=H100&minGpus=64&region=DE&limit=50"

seed() { # seed FROM TO: offers number FROM..TO, then fresh statistics
  # A big batch goes in faster without the secondary indexes: drop them and build them again afterwards,
  # from their definitions as the migrations created them (so the benchmark follows any index change).
  local secondary=() definition
  if [ $(($2 - $1)) -ge 100000 ]; then
    mapfile -t secondary < <(psql_db -tAc "select indexdef from pg_indexes where tablename = 'compute_offers'
      and indexname not in (select conname from pg_constraint where conrelid = 'compute_offers'::regclass)")
    if [ ${#secondary[@]} -gt 0 ]; then
      psql_db -c "$(psql_db -tAc "select 'drop index ' || string_agg(quote_ident(indexname), ', ') from pg_indexes
        where tablename = 'compute_offers' and indexname not in (select conname from pg_constraint where conrelid = 'compute_offers'::regclass)")"
    fi
  fi
  psql_db -v from="$1" -v to="$2" -v provider="$provider_id" -f "$root/scripts/bench/seed.sql"
  for definition in "${secondary[@]}"; do
    psql_db -c "set maintenance_work_mem = '256MB'" -c "$definition"
  done
  psql_db -c "vacuum analyze compute_offers"
  psql_db -c "checkpoint" # write the batch out now, not during the next measurement
}

# First run: with EF Core's SQL logged, to capture the exact commands a search request sends.
log "Capturing the SQL of one search request (EF Core command logging on)"
start_api "$api_url" "$work/api-capture.log" 'Serilog__MinimumLevel__Override__Microsoft.EntityFrameworkCore.Database.Command=Information'
signup=$(curl -fsS -X POST "$api_url/v1/accounts" -H 'Content-Type: application/json' \
  -d '{"displayName":"Benchmark provider","roles":["provider","client"],"walletAddress":"0x000000000000000000000000000000000000dead"}')
api_key=$(jq -r .apiKey.key <<<"$signup")
key_prefix=$(jq -r .apiKey.prefix <<<"$signup")
provider_id=$(jq -r .account.id <<<"$signup")
export BENCH_KEY="$api_key"
echo "  provider account $provider_id, API key prefix $key_prefix"

log "Seeding $small compute offers"
seed 1 "$small"
count_offers() { psql_db -tAc "select count(*) || ' offers, ' || count(*) filter (where status = 'active') || ' active' from compute_offers"; }
echo "  $(count_offers)"

curl -fsS "$api_url/v1/offers/compute?$search_query" -H "Authorization: Bearer $api_key" >"$work/search-response.json"
stop_api
# Keep the table at this size in a second database, for the scaling probe at the end: the small and the
# large table are then measured side by side, request after request, rather than minutes apart.
for attempt in 1 2 3 4 5; do
  if psql_db -c "create database depinmarket_small template depinmarket" >/dev/null 2>&1; then break; fi
  if [ "$attempt" = 5 ]; then psql_db -c "create database depinmarket_small template depinmarket"; fi
  sleep 1 # an autovacuum worker still connected to the template
done
conn_small="Host=127.0.0.1;Port=$pg_port;Database=depinmarket_small;Username=postgres"
extract_sql() { # extract_SQL LOG PATTERN1 PATTERN2: the first logged command whose text matches both
  awk -v p1="$2" -v p2="$3" '
    function flush() { if (inb && !found && blk ~ p1 && blk ~ p2) { printf "%s", blk; found = 1 } }
    /^\[[0-9][0-9]:[0-9][0-9]:[0-9][0-9] [A-Z][A-Z][A-Z]\] / { flush(); inb = ($0 ~ /Executed DbCommand/); blk = ""; next }
    inb { blk = blk $0 "\n" }
    END { flush() }' "$1"
}
extract_sql "$work/api-capture.log" "FROM compute_offers" "ORDER BY" >"$work/search.sql"
extract_sql "$work/api-capture.log" "FROM api_keys" "prefix" >"$work/auth.sql"
if [ ! -s "$work/search.sql" ] || [ ! -s "$work/auth.sql" ]; then
  echo "could not find the search or key-lookup SQL in the API's log:" >&2
  cat "$work/api-capture.log" >&2
  exit 1
fi
commands_per_search=$(awk '/Executed DbCommand/ { n++ } END { print n + 0 }' "$work/api-capture.log")
echo "  the API sent $((commands_per_search - 1)) SQL commands for the search request (after 1 for sign-up):"
echo "  1. API-key lookup (every authenticated request):"
sed 's/^/       /' "$work/auth.sql"
echo "  2. the search (the baseline runs exactly this text, with the same parameter types):"
sed 's/^/       /' "$work/search.sql"
echo "  API answer: $(jq '.items | length' "$work/search-response.json") items, next cursor: $(jq 'has("nextCursor") and .nextCursor != null' "$work/search-response.json")"

# From here on the API runs with quiet logging.
start_api "$api_url" "$work/api.log"

# --- load: search and creation at $offers offers -----------------------------------------------------
log "Growing the table to $offers offers"
seed $((small + 1)) "$offers"
echo "  $(count_offers)"
# .NET compiles hot code again, optimised, in the background (tiered compilation, dynamic PGO); on 2 busy
# cores that takes tens of seconds of load. Measure the steady state, not the start-up: 15 s of search first.
log "Warming the API up: 15 s of searches (not measured)"
wrk -t"$threads" -c"$connections" -d15s -s "$root/scripts/bench/search.lua" "$api_url/v1/offers/compute?$search_query" >/dev/null
for round in $(seq 1 "$rounds"); do
  log "Round $round/$rounds, search through the API: wrk -t$threads -c$connections -d${duration}s GET /v1/offers/compute?$search_query"
  wrk_run "search-$round" search.lua "/v1/offers/compute?$search_query"

  log "Round $round/$rounds, baseline: the same search SQL through raw Npgsql, $connections workers, ${duration}s"
  sql_load "$work/baseline-$round.txt" sql-load --conn "$conn_baseline" --sql "$work/search.sql" --params "$search_params" \
    --workers "$connections" --duration "$duration"

  log "Round $round/$rounds, baseline 2: API-key lookup + search SQL through raw Npgsql (the two queries an API request runs)"
  sql_load "$work/baseline-auth-$round.txt" sql-load --conn "$conn_baseline" --sql "$work/search.sql" --params "$search_params" \
    --auth-sql "$work/auth.sql" --auth-params "text:$key_prefix" --workers "$connections" --duration "$duration"
done

load_after=$(cut -d' ' -f1 /proc/loadavg)

log "Offer creation through the API: wrk -t$threads -c$connections -d${duration}s POST /v1/offers/compute"
created_before=$(psql_db -tAc "select count(*) from compute_offers")
created_since=$(psql_db -tAc "select now()") # seeded rows are dated before this; the API stamps new ones after
wrk_run create create-offer.lua "/v1/offers/compute"
created=$(($(psql_db -tAc "select count(*) from compute_offers") - created_before))
echo "  $created offers created (warm-up and measured run); removing them so later searches see only seeded data"
psql_db -c "delete from compute_offers where created_at >= '$created_since'" >/dev/null
psql_db -tAc "select count(*) from compute_offers" | sed 's/^/  offers left: /'

# --- scaling: the same search at $large offers -------------------------------------------------------
log "Growing the table to $large offers"
seed $((offers + 1)) "$large"
echo "  $(count_offers)"
api_small_url="http://127.0.0.1:$(free_port)"
log "Scaling probe: $small offers (second database, second API instance on $api_small_url) against $large offers"
start_api "$api_small_url" "$work/api-small.log" ConnectionStrings__Market="$conn_small$api_prepare"
labels="$small offers,$large offers"
for url in "$api_small_url" "$api_url"; do # JIT warm-up of both instances
  wrk -t"$threads" -c"$connections" -d3s -s "$root/scripts/bench/search.lua" "$url/v1/offers/compute?$search_query" >/dev/null
done
probe() { # probe NAME TOOL-ARGS...: alternating small/large, RESULT lines split into NAME-small.txt and NAME-large.txt
  local name=$1; shift
  tool "$@" --labels "$labels" | tee "$work/$name.txt" | grep -v '^RESULT'
  grep '^RESULT target=1 ' "$work/$name.txt" >"$work/$name-small.txt"
  grep '^RESULT target=2 ' "$work/$name.txt" >"$work/$name-large.txt"
}
probe sql-latency sql-latency --conn "$conn_small$baseline_prepare,$conn$baseline_prepare" --sql "$work/search.sql" --params "$search_params" \
  --count "$samples" --warmup 100
probe http-latency http-latency --url "$api_small_url/v1/offers/compute?$search_query,$api_url/v1/offers/compute?$search_query" \
  --key "$api_key" --count "$samples" --warmup 100
echo "  empty result: $empty_query"
probe http-empty http-latency --url "$api_small_url/v1/offers/compute?$empty_query,$api_url/v1/offers/compute?$empty_query" \
  --key "$api_key" --count 100 --warmup 20
tool explain --conn "$conn_small" --sql "$work/search.sql" --params "$search_params" >"$work/plan-small.txt"
tool explain --conn "$conn" --sql "$work/search.sql" --params "$search_params" >"$work/plan-large.txt"

stop_api
api_logs+=("$work/api.log" "$work/api-small.log")
search_errors=$(cat "$work/api.log" "$work/api-small.log" | grep -cE '^\[[0-9:]+ (ERR|FTL)\]' || true)
api_warnings=$(cat "$work/api.log" "$work/api-small.log" | grep -cE '^\[[0-9:]+ WRN\]' || true)
api_files=() base_files=() base2_files=()
for round in $(seq 1 "$rounds"); do
  api_files+=("$work/wrk-search-$round.txt"); base_files+=("$work/baseline-$round.txt"); base2_files+=("$work/baseline-auth-$round.txt")
done
api_rps=$(mean rps "${api_files[@]}")
base_rps=$(mean rps "${base_files[@]}")
base2_rps=$(mean rps "${base2_files[@]}")
create_rps=$(result "$work/wrk-create.txt" rps)
search_ratio=$(ratio "$api_rps" "$base_rps")
search_ratio2=$(ratio "$api_rps" "$base2_rps")
round_ratios=""
for round in $(seq 1 "$rounds"); do
  round_ratios="$round_ratios${round_ratios:+ / }$(ratio "$(result "${api_files[$((round - 1))]}" rps)" "$(result "${base_files[$((round - 1))]}" rps)")"
done
sql_small=$(result "$work/sql-latency-small.txt" p50_ms)
sql_large=$(result "$work/sql-latency-large.txt" p50_ms)
http_small=$(result "$work/http-latency-small.txt" p50_ms)
http_large=$(result "$work/http-latency-large.txt" p50_ms)
sql_scale=$(ratio "$sql_large" "$sql_small")
http_scale=$(ratio "$http_large" "$http_small")
empty_small=$(result "$work/http-empty-small.txt" p50_ms)
empty_large=$(result "$work/http-empty-large.txt" p50_ms)
empty_scale=$(ratio "$empty_large" "$empty_small")
if grep -q 'Index Scan using ix_compute_offers_gpu_price' "$work/plan-large.txt"; then
  index_backed="yes: Index Scan using ix_compute_offers_gpu_price"
elif grep -qE 'Index (Only )?Scan|Bitmap Index Scan' "$work/plan-large.txt"; then
  index_backed="partly: $(grep -oE '(Index (Only )?Scan|Bitmap Index Scan)( Backward)? (using|on) [a-z_]+' "$work/plan-large.txt" | head -n 1)"
else
  index_backed="NO: $(grep -oE 'Seq Scan on [a-z_]+' "$work/plan-large.txt" | head -n 1)"
fi

{
  echo "#### Search ($(date -u +'%Y-%m-%d %H:%M UTC'), wrk -t$threads -c$connections -d${duration}s)"
  echo
  echo "Load at $offers offers: \`GET /v1/offers/compute?$search_query\` and \`POST /v1/offers/compute\`." \
    "Npgsql auto-prepare (API and baselines alike): $([ "${BENCH_AUTO_PREPARE:-1}" = 1 ] && echo on || echo off)."
  echo
  row6 "run" "req/s (mean)" "req/s per round" "p50 / p99 ms (mean)" "CPU ms per request: API process / PostgreSQL backends" "errors (non-2xx / socket)"
  row6 "---" "---:" "---:" "---:" "---:" "---"
  row6 "API search (wrk)" "$api_rps" "$(each rps "${api_files[@]}")" \
    "$(mean p50_ms "${api_files[@]}") / $(mean p99_ms "${api_files[@]}")" \
    "$(mean api_cpu_ms "${api_files[@]}") / $(mean pg_cpu_ms "${api_files[@]}")" \
    "$(sum status_errors "${api_files[@]}") / $(sum socket_errors "${api_files[@]}")"
  row6 "baseline: search SQL, raw Npgsql" "$base_rps" "$(each rps "${base_files[@]}")" \
    "$(mean p50_ms "${base_files[@]}") / $(mean p99_ms "${base_files[@]}")" \
    "- / $(mean pg_cpu_ms "${base_files[@]}")" "$(sum errors "${base_files[@]}")"
  row6 "baseline 2: key lookup + search SQL, raw Npgsql" "$base2_rps" "$(each rps "${base2_files[@]}")" \
    "$(mean p50_ms "${base2_files[@]}") / $(mean p99_ms "${base2_files[@]}")" \
    "- / $(mean pg_cpu_ms "${base2_files[@]}")" "$(sum errors "${base2_files[@]}")"
  row6 "API offer creation (wrk, 1 run)" "$create_rps" "" \
    "$(result "$work/wrk-create.txt" p50_ms) / $(result "$work/wrk-create.txt" p99_ms)" \
    "$(result "$work/wrk-create.txt" api_cpu_ms) / $(result "$work/wrk-create.txt" pg_cpu_ms)" \
    "$(result "$work/wrk-create.txt" status_errors) / $(result "$work/wrk-create.txt" socket_errors)"
  echo
  echo "Search throughput, API / baseline: **$search_ratio×** (target ≥ 0.6×: $(verdict "$search_ratio" ">=" 0.6);" \
    "per round: $round_ratios). API / baseline 2: $search_ratio2×."
  echo
  echo "Machine load (1-minute load average): $load_at_start when bench.sh started (others' work on the same $(nproc) cores)," \
    "$load_after at the end of the load runs (ours included)."
  echo
  echo "Scaling, single connection, p50 of $samples sequential searches, alternating between a $small-offer and a $large-offer database:"
  echo
  row "path" "$small offers" "$large offers" "ratio" "target"
  row "---" "---:" "---:" "---:" "---"
  row "search SQL, raw Npgsql" "$sql_small ms" "$sql_large ms" "$sql_scale×" "≤ 2×: $(verdict "$sql_scale" "<=" 2)"
  row "API search" "$http_small ms" "$http_large ms" "$http_scale×" "≤ 2×: $(verdict "$http_scale" "<=" 2)"
  row "API search, empty result: \`$empty_query\` (p50 of 100)" "$empty_small ms" "$empty_large ms" "$empty_scale×" "≤ 3×: $(verdict "$empty_scale" "<=" 3)"
  echo
  echo "Plan at $large offers index-backed: $index_backed."
  echo
  echo "API logs (both search instances): $search_errors error lines, $api_warnings warning lines."
  echo
  echo "EXPLAIN (ANALYZE, BUFFERS) of the search at $large offers:"
  echo
  echo '```'
  cat "$work/plan-large.txt"
  echo '```'
  echo
  echo "and at $small offers:"
  echo
  echo '```'
  cat "$work/plan-small.txt"
  echo '```'
} >"$work/summary-search.md"
