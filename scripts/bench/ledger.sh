# shellcheck shell=bash
# Section "ledger" of scripts/bench.sh (sourced by it): journals posted per second by LedgerPoster from
# BENCH_CONNECTIONS connections, one per transaction, 100 PostAsync per transaction and one PostManyAsync of 100,
# beside a raw-SQL baseline of the same inserts and balance updates (tests/DepinMarket.Benchmarks/LedgerBench.cs),
# in a database of its own. The five modes take turns, round after round. Writes $work/summary-ledger.md.
ledger_duration=${BENCH_LEDGER_DURATION:-5}
psql_db -c "create database depinmarket_ledger" >/dev/null
log "Ledger posting: 5 modes × $rounds rounds × ${ledger_duration}s, $connections connections (LedgerBench.cs)"
# Unprepared by Npgsql's automatic preparation: LedgerPoster prepares its statements itself, the raw baseline is
# the hand-written statement as it is sent (docs/PERFORMANCE.md, "Ledger posting").
tool ledger-post --conn "Host=127.0.0.1;Port=$pg_port;Database=depinmarket_ledger;Username=postgres;Maximum Pool Size=$((connections + 24));Application Name=depinmarket-bench-ledger" \
  --workers "$connections" --duration "$ledger_duration" --rounds "$rounds" --clk-tck "$clk_tck" | tee "$work/ledger.txt"
{
  echo "#### Ledger posting ($connections connections, ${ledger_duration}s per mode and round, $rounds rounds)"
  echo
  echo "| mode | journals per transaction | journals/s per round | journals/s (mean) | postings/s (mean) | vs raw (means) | CPU µs per journal: client / PostgreSQL (mean) |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
  awk '/^RESULT ledger / {
      for (i = 3; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
      key = v["mode"] " " v["batch"]
      if (!(key in n)) order[++modes] = key
      n[key]++; total[key] += v["journals_per_s"]; client[key] += v["client_cpu_us"]; pg[key] += v["pg_cpu_us"]; rounds[key] = rounds[key] (rounds[key] == "" ? "" : " / ") v["journals_per_s"]
    }
    END {
      for (m = 1; m <= modes; m++) {
        key = order[m]; split(key, mb, " "); avg = total[key] / n[key]; raw = "raw " mb[2]
        vs = (key ~ /^raw / || !(raw in n)) ? "" : sprintf("%.2f×", avg / (total[raw] / n[raw]))
        printf "| %s | %s | %s | %.0f | %.0f | %s | %.0f / %.0f |\n", mb[1], mb[2], rounds[key], avg, 2 * avg, vs, client[key] / n[key], pg[key] / n[key]
      }
    }' "$work/ledger.txt"
} >"$work/summary-ledger.md"
