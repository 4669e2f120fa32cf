# shellcheck shell=bash
# Section "heartbeats" of scripts/bench.sh (sourced by it; uses its variables and functions): heartbeats accepted per
# second through POST /v1/nodes/{id}/heartbeats from BENCH_CONNECTIONS senders, each beating for its own slice of
# BENCH_HEARTBEAT_NODES nodes with their own tokens (scripts/bench/heartbeat.lua), beside the raw-SQL baseline of the
# same statement on the same nodes (heartbeat-load, tests/DepinMarket.Benchmarks/HeartbeatBaseline.cs), round after
# round, with the node monitor on its default interval throughout (it is part of the real load). Then how the raw record
# stays bounded: its partitions and their rows, an expired partition dropped by ensure_node_heartbeat_partitions with
# the configured retention, and the outage roll-up. Writes $work/summary-heartbeats.md.
heartbeat_nodes=${BENCH_HEARTBEAT_NODES:-2000}
heartbeat_duration=${BENCH_HEARTBEAT_DURATION:-30}
heartbeat_warmup=${BENCH_HEARTBEAT_WARMUP:-5}
heartbeat_interval=30  # seconds, each node's heartbeatIntervalSeconds: down after 3 missed (90 s), never during the runs
heartbeat_retention=7  # Nodes:HeartbeatRetentionDays (the default), given to the API so the expiry below uses the same
heartbeat_target=3000 heartbeat_target_ratio=0.33 # issue 10: at least 3,000 heartbeats/s and a third of the baseline
if [ "$heartbeat_nodes" -lt "$connections" ]; then
  echo "BENCH_HEARTBEAT_NODES ($heartbeat_nodes) must be at least BENCH_CONNECTIONS ($connections): each sender needs nodes of its own" >&2
  exit 2
fi

# What an agent on an 8-GPU machine sends (nvidia-smi's figures, busy GPUs); "{sequence}" is filled in per beat.
gpus=""
for gpu in 0 1 2 3 4 5 6 7; do
  gpus="$gpus${gpus:+,}{\"index\":$gpu,\"model\":\"NVIDIA H100 80GB HBM3\",\"utilizationPercent\":$((90 + gpu)),\"memoryUsedMib\":$((61000 + 1234 * gpu)),\"memoryTotalMib\":81559,\"temperatureC\":$((64 + gpu))}"
done
heartbeat_body="{\"sequence\":{sequence},\"agentVersion\":\"0.4.2\",\"gpus\":[$gpus],\"diskFreeGb\":1834.6,\"bandwidthMbps\":9412.5}"
heartbeat_file="$work/heartbeat-nodes.tsv"
heartbeat_run() { # heartbeat_run NAME: wrk_run of heartbeat.lua, one wrk thread per sender
  BENCH_NODES=$heartbeat_file BENCH_SENDERS=$connections BENCH_BODY=$heartbeat_body WRK_THREADS=$connections \
    WRK_WARMUP=$heartbeat_warmup WRK_DURATION=$heartbeat_duration wrk_run "$1" heartbeat.lua ""
}

start_api "$api_url" "$work/api-heartbeats.log" Nodes__MaxNodesPerProvider="$heartbeat_nodes" Nodes__HeartbeatRetentionDays="$heartbeat_retention"
api_logs+=("$work/api-heartbeats.log")
log "Heartbeats: one provider, $heartbeat_nodes nodes registered through the API"
tool heartbeat-nodes --url "$api_url" --count "$heartbeat_nodes" --interval "$heartbeat_interval" --out "$heartbeat_file"

log "Warming the API up: 15 s of heartbeats (not measured)"
BENCH_NODES=$heartbeat_file BENCH_SENDERS=$connections BENCH_BODY=$heartbeat_body wrk -t"$connections" -c"$connections" -d15s -s "$root/scripts/bench/heartbeat.lua" "$api_url" >"$work/wrk-heartbeat-jit.txt"
grep '^REFUSED' "$work/wrk-heartbeat-jit.txt" | sed 's/^/  /' || true
# The API stores its own serialisation of the checked body; the baseline binds the body as sent. They must be one text.
read -r stored_sequence stored_body < <(psql_db -tA -F ' ' -c "select last_sequence, latest_heartbeat from nodes where last_sequence > 0 limit 1")
if [ "$stored_body" = "${heartbeat_body/\{sequence\}/$stored_sequence}" ]; then
  heartbeat_same_body="yes (${#stored_body} characters)"
else
  heartbeat_same_body="NO: the API stored $stored_body"
fi
echo "  body stored by the API = body sent (what the baseline binds): $heartbeat_same_body"

heartbeat_files=() heartbeat_base_files=() heartbeat_loads=()
for round in $(seq 1 "$rounds"); do
  heartbeat_loads+=("$(cut -d' ' -f1-3 /proc/loadavg)")
  log "Round $round/$rounds, heartbeats through the API: wrk -t$connections -c$connections -d${heartbeat_duration}s after ${heartbeat_warmup}s, $connections senders × $((heartbeat_nodes / connections)) nodes (load average ${heartbeat_loads[-1]})"
  heartbeat_run "heartbeat-$round"
  heartbeat_files+=("$work/wrk-heartbeat-$round.txt")
  echo "  accepted (200): $(result "${heartbeat_files[-1]}" accepted) = $(result "${heartbeat_files[-1]}" accepted_per_s)/s; refused: $(result "${heartbeat_files[-1]}" refused)"
  grep '^REFUSED' "${heartbeat_files[-1]}" | sed 's/^/  /' || true
  log "Round $round/$rounds, baseline: HeartbeatWriter's statement through raw Npgsql, $connections workers on the same nodes, ${heartbeat_duration}s after ${heartbeat_warmup}s"
  sql_load "$work/heartbeat-baseline-$round.txt" heartbeat-load --conn "$conn_baseline" --nodes "$heartbeat_file" --body "$heartbeat_body" \
    --workers "$connections" --duration "$heartbeat_duration" --warmup "$heartbeat_warmup"
  heartbeat_base_files+=("$work/heartbeat-baseline-$round.txt")
done
heartbeat_load_end=$(cut -d' ' -f1-3 /proc/loadavg)
heartbeat_rows=$(psql_db -tAc "select count(*) from node_heartbeats")
heartbeat_statuses=$(psql_db -tAc "select string_agg(n || ' ' || status, ', ' order by status) from (select status, count(*) as n from nodes group by status) s")
# Outages: none expected, nothing went silent (a node is down after 3 missed intervals, 90 s; no gap comes near that).
heartbeat_outages=$(psql_db -tAc "select count(*) || ' rows (' || count(*) filter (where ended_at is null) || ' open)' from node_outages")
stop_api # from here on no monitor runs ensure_node_heartbeat_partitions beside ours

# --- the raw record stays bounded --------------------------------------------------------------------------------
heartbeat_partitions() { # "name | rows | size" of every partition of node_heartbeats, as markdown rows
  psql_db -tA -F ' | ' -c "select c.relname,
      (xpath('/row/n/text()', query_to_xml(format('select count(*) as n from heartbeat_partitions.%I', c.relname), false, true, '')))[1]::text,
      pg_size_pretty(pg_total_relation_size(c.oid))
    from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'node_heartbeats'::regclass order by c.relname" |
    sed 's/^/| /; s/$/ |/'
}
expired_day=$(psql_db -tAc "select to_char((now() at time zone 'utc')::date - $((heartbeat_retention + 3)), 'YYYYMMDD')")
expired=node_heartbeats_$expired_day
log "Retention: an expired day ($expired_day, $((heartbeat_retention + 3)) days ago) with 10,000 beats, then ensure_node_heartbeat_partitions(3, $heartbeat_retention)"
psql_db -c "create table heartbeat_partitions.$expired partition of node_heartbeats
    for values from ('$expired_day'::date::timestamp at time zone 'utc') to (('$expired_day'::date + 1)::timestamp at time zone 'utc')" \
  -c "insert into node_heartbeats (node_id, sequence, received_at, body)
    select node_id, sequence, '$expired_day'::date::timestamp at time zone 'utc' + interval '12 hours', body from node_heartbeats limit 10000" >/dev/null
heartbeat_partitions >"$work/heartbeat-partitions-before.md"
sed 's/^/  /' "$work/heartbeat-partitions-before.md"
ensure_started=$(date +%s%N)
psql_db -c "select ensure_node_heartbeat_partitions(3, $heartbeat_retention)" >/dev/null
ensure_ms=$((($(date +%s%N) - ensure_started) / 1000000))
heartbeat_partitions >"$work/heartbeat-partitions-after.md"
expired_gone=$(psql_db -tAc "select case when to_regclass('heartbeat_partitions.$expired') is null then 'dropped' else 'STILL THERE' end")
echo "  after the call ($ensure_ms ms): $expired $expired_gone; $(wc -l <"$work/heartbeat-partitions-after.md") partitions left, $(psql_db -tAc "select count(*) from node_heartbeats") rows"

# --- summary ---------------------------------------------------------------------------------------------------------
heartbeat_api=$(mean accepted_per_s "${heartbeat_files[@]}")
heartbeat_base=$(mean rps "${heartbeat_base_files[@]}")
heartbeat_ratio=$(ratio "$heartbeat_api" "$heartbeat_base")
{
  echo "#### Heartbeats ($connections senders, ${heartbeat_duration}s after ${heartbeat_warmup}s per run, $rounds rounds)"
  echo
  echo "\`POST /v1/nodes/{id}/heartbeats\` of $heartbeat_nodes nodes (one provider), sender *i* of $connections beating for nodes" \
    "*i*, *i* + $connections, … in turn with each node's own token, a body of 8 GPUs (${#stored_body} characters) and a rising" \
    "sequence; the node monitor on its default interval. Baseline: HeartbeatWriter's statement, bound by HeartbeatWriter.AcceptCommand," \
    "from $connections raw Npgsql workers on the same nodes. Body the API stores = body sent: $heartbeat_same_body."
  echo
  echo "| round | load average before | API: accepted/s | API p50 / p99 ms | baseline/s | baseline p50 / p99 ms | API / baseline | CPU ms per beat: API process / its PostgreSQL backends / baseline's backends | refused (non-200) / socket errors |"
  echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  for round in $(seq 1 "$rounds"); do
    api_file=${heartbeat_files[$((round - 1))]} base_file=${heartbeat_base_files[$((round - 1))]}
    echo "| $round | ${heartbeat_loads[$((round - 1))]} | $(result "$api_file" accepted_per_s) | $(result "$api_file" p50_ms) / $(result "$api_file" p99_ms)" \
      "| $(result "$base_file" rps) | $(result "$base_file" p50_ms) / $(result "$base_file" p99_ms)" \
      "| $(ratio "$(result "$api_file" accepted_per_s)" "$(result "$base_file" rps)")×" \
      "| $(result "$api_file" api_cpu_ms) / $(result "$api_file" pg_cpu_ms) / $(result "$base_file" pg_cpu_ms)" \
      "| $(result "$api_file" refused) / $(result "$api_file" socket_errors) |"
  done
  echo "| mean | | **$heartbeat_api** | $(mean p50_ms "${heartbeat_files[@]}") / $(mean p99_ms "${heartbeat_files[@]}") | $heartbeat_base" \
    "| $(mean p50_ms "${heartbeat_base_files[@]}") / $(mean p99_ms "${heartbeat_base_files[@]}") | **$heartbeat_ratio×**" \
    "| $(mean api_cpu_ms "${heartbeat_files[@]}") / $(mean pg_cpu_ms "${heartbeat_files[@]}") / $(mean pg_cpu_ms "${heartbeat_base_files[@]}")" \
    "| $(sum refused "${heartbeat_files[@]}") / $(sum socket_errors "${heartbeat_files[@]}") |"
  echo
  echo "Targets: API ≥ $heartbeat_target heartbeats/s: **$(verdict "$heartbeat_api" ">=" "$heartbeat_target")**;" \
    "API ≥ a third of the baseline: **$(verdict "$heartbeat_ratio" ">=" "$heartbeat_target_ratio")**." \
    "Baseline errors (refused beats): $(sum errors "${heartbeat_base_files[@]}"). Load average at the end of the runs: $heartbeat_load_end."
  grep -h '^REFUSED' "${heartbeat_files[@]}" | head -n 3 | sed 's/^REFUSED /\nRefused: /' || true
  echo
  echo "After the runs: $heartbeat_rows rows in node_heartbeats; nodes: $heartbeat_statuses; node_outages: $heartbeat_outages."
  echo
  echo "Partitions of node_heartbeats with an expired day added ($expired, $((heartbeat_retention + 3)) days old, 10,000 rows):"
  echo
  echo "| partition | rows | size |"
  echo "| --- | ---: | ---: |"
  cat "$work/heartbeat-partitions-before.md"
  echo
  echo "After \`select ensure_node_heartbeat_partitions(3, $heartbeat_retention)\` (the monitor's call, retention" \
    "Nodes:HeartbeatRetentionDays = $heartbeat_retention; $ensure_ms ms): $expired **$expired_gone**, a DROP of the whole day:"
  echo
  echo "| partition | rows | size |"
  echo "| --- | ---: | ---: |"
  cat "$work/heartbeat-partitions-after.md"
} >"$work/summary-heartbeats.md"
