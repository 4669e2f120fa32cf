#!/usr/bin/env bash
# Performance benchmark of the DepinMarket API (see docs/PERFORMANCE.md). Not part of the test suite: it
# measures and prints, it asserts nothing. Self-contained: installs wrk (and PostgreSQL) from Debian when
# missing, starts a throwaway PostgreSQL cluster and the API on free loopback ports, and removes both at the end.
#   scripts/bench.sh                  run everything (about 13 minutes on 2 cores)
#   scripts/bench.sh --report FILE    also write the summary (markdown) to FILE
#   scripts/bench.sh --keep           keep the temporary folder (logs, captured SQL) for a look afterwards
# Knobs (environment): BENCH_SECTIONS="search ledger withdrawals rentals heartbeats" (which sections run, in this order; each is a
#   file scripts/bench/SECTION.sh) BENCH_THREADS=2 BENCH_CONNECTIONS=16 BENCH_DURATION=10 (seconds per load run)
#   BENCH_ROUNDS=3 (API and baselines alternate, round after round, so a noisy neighbour hits both)
#   BENCH_OFFERS=100000 (rows for the load runs) BENCH_SMALL=10000 BENCH_LARGE=1000000 (scaling sizes)
#   BENCH_SAMPLES=200 (sequential requests per latency probe) BENCH_BUILD_DIR=/tmp/depinmarket-bench-build
#   BENCH_AUTO_PREPARE=1 (0: the API and the baselines run with Npgsql's automatic preparation off)
#   BENCH_LEDGER_DURATION=5 (seconds per ledger-post mode and round; 5 modes)
#   BENCH_MONEY_ACCOUNTS=BENCH_CONNECTIONS (funded accounts for the money POSTs; one per connection at most is used)
#   BENCH_MONEY_TOKENS=1000000000 (deposited per account) BENCH_HOT_ROW=1 (0: no runs with every connection on one account)
#   BENCH_HEARTBEAT_NODES=2000 (nodes the heartbeat senders share) BENCH_HEARTBEAT_DURATION=30 BENCH_HEARTBEAT_WARMUP=5
#   (seconds per heartbeat run and its unmeasured start, API and baseline alike)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/postgres.sh
source "$root/scripts/lib/postgres.sh"
# shellcheck source=lib/ports.sh
source "$root/scripts/lib/ports.sh"

report=""
keep=false
while [ $# -gt 0 ]; do
  case "$1" in
    --report) report=${2:?--report needs a file}; shift 2 ;;
    --keep) keep=true; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$report" in ""|/*) ;; *) report="$PWD/$report" ;; esac

threads=${BENCH_THREADS:-2}
connections=${BENCH_CONNECTIONS:-16}
duration=${BENCH_DURATION:-10}
offers=${BENCH_OFFERS:-100000}
small=${BENCH_SMALL:-10000}
large=${BENCH_LARGE:-1000000}
samples=${BENCH_SAMPLES:-200}
rounds=${BENCH_ROUNDS:-3}
sections=${BENCH_SECTIONS:-search ledger withdrawals rentals heartbeats}
for section in $sections; do
  [ -f "$root/scripts/bench/$section.sh" ] || { echo "unknown section $section (BENCH_SECTIONS: search, ledger, withdrawals, rentals, heartbeats)" >&2; exit 2; }
done
# The API auto-prepares its hot statements (Data/DataSetup.cs: Max Auto Prepare 64, after 2 uses); the raw-SQL
# baselines get the same settings, so the comparison is of the API's overhead, not of preparing or not.
if [ "${BENCH_AUTO_PREPARE:-1}" = 1 ]; then
  api_prepare="" baseline_prepare=";Max Auto Prepare=64;Auto Prepare Min Usages=2"
else
  api_prepare=";Max Auto Prepare=0" baseline_prepare=";Max Auto Prepare=0"
fi
# Our own bin/obj folders (dotnet build --artifacts-path): never in the way of builds others run in the repo.
build=${BENCH_BUILD_DIR:-/tmp/depinmarket-bench-build}

started_at=$(date +%s)
load_at_start=$(cut -d' ' -f1 /proc/loadavg)
log() { printf '\n== %s (%ss)\n' "$*" "$(($(date +%s) - started_at))"; }

# --- tools -----------------------------------------------------------------------------------------
missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v jq >/dev/null 2>&1 || missing+=(jq)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then echo "missing: ${missing[*]}; install them (apt-get install ${missing[*]})" >&2; exit 1; fi
  echo "Installing ${missing[*]} from Debian's packages..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi
pg_install
bindir=$(pg_bindir)


# --- workspace, cleanup ----------------------------------------------------------------------------
work=$(mktemp -d /tmp/depinmarket-bench.XXXXXX)
chmod 755 "$work" # the postgres OS user must reach the data folder inside
pgdata="$work/pg"
pg_started=false
api_pids=()
stop_api() { # stops every API instance this script started
  local pid
  for pid in "${api_pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  api_pids=()
}
cleanup() {
  local status=$?
  trap - INT TERM EXIT
  stop_api
  if [ "$pg_started" = true ]; then "$root/scripts/postgres-cluster.sh" stop "$pgdata" || true; fi
  if [ "$keep" = true ] || [ "$status" != 0 ]; then echo "Logs and captured SQL kept in $work"; else rm -rf "$work"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- build -----------------------------------------------------------------------------------------
log "Building the API and the baseline tool (Release)"
for project in src/DepinMarket.Api tests/DepinMarket.Benchmarks; do
  dotnet build "$root/$project" -c Release -nologo -v quiet --artifacts-path "$build" >"$work/build.log" 2>&1 \
    || { cat "$work/build.log"; exit 1; }
done
api_dll="$build/bin/DepinMarket.Api/release/DepinMarket.Api.dll"
tool() { dotnet "$build/bin/DepinMarket.Benchmarks/release/DepinMarket.Benchmarks.dll" "$@"; }
result() { # result FILE KEY: KEY's value in the "RESULT k=v ..." lines of FILE (the last one given)
  grep '^RESULT ' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | tail -n 1
}

# --- database --------------------------------------------------------------------------------------
pg_port=$(free_port)
log "Starting a throwaway PostgreSQL cluster on 127.0.0.1:$pg_port"
pg_started=true
"$root/scripts/postgres-cluster.sh" start "$pgdata" "$pg_port"
"$bindir/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -qc "create database depinmarket" >/dev/null
conn="Host=127.0.0.1;Port=$pg_port;Database=depinmarket;Username=postgres"
# Application names tell the measured connections apart in pg_stat_activity (see backend_ticks below).
api_app=depinmarket-bench-api
conn_baseline="$conn;Application Name=depinmarket-bench-baseline$baseline_prepare"
psql_db() { "$bindir/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d depinmarket -v ON_ERROR_STOP=1 -X -q "$@"; }
export ConnectionStrings__Market="$conn;Application Name=$api_app$api_prepare"
dotnet "$api_dll" migrate >"$work/migrate.log" 2>&1 || { cat "$work/migrate.log"; exit 1; }
"$bindir/psql" --version | sed 's/^/  /'

# --- API -------------------------------------------------------------------------------------------
api_port=$(free_port)
api_url="http://127.0.0.1:$api_port"
# The operator key (GET /v1/admin/ledger/check), for this throwaway instance only.
admin_key="bench-operator-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
start_api() { # start_api URL LOGFILE [NAME=VALUE...]: quiet logging, no effective rate limit, no stake minimums, loopback only
  local url=$1 logfile=$2 pid; shift 2
  # Stake minimums off: the sections measure listing and renting, and their seeded providers hold no tokens to stake.
  env Serilog__MinimumLevel__Default=Warning \
      Stakes__PerGpu=0 Stakes__PerStorageTb=0 Stakes__PerModelOffer=0 \
      Serilog__MinimumLevel__Override__Microsoft.Hosting.Lifetime=Warning \
      RateLimiting__TokenLimit=100000000 RateLimiting__TokensPerPeriod=100000000 RateLimiting__SignUpsPerHour=100000000 \
      Admin__ApiKey="$admin_key" \
      "$@" dotnet "$api_dll" --urls "$url" >"$logfile" 2>&1 &
  pid=$!
  api_pids+=("$pid")
  for _ in $(seq 1 120); do
    if curl -fs "$url/health/live" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then cat "$logfile"; echo "the API did not start" >&2; exit 1; fi
    sleep 0.5
  done
  echo "the API did not answer on $url/health/live within 60 s" >&2
  exit 1
}

# CPU per request: far steadier than req/s on a shared machine. The API process's from /proc; PostgreSQL's
# from /proc of the backends that serve the measured connections only (found by their application_name;
# tests/DepinMarket.Benchmarks/BackendCpu.cs). The whole cluster's CPU (postmaster plus reaped children) is
# not used: it charged a run with the previous run's backends whenever they were reaped inside its window.
clk_tck=$(getconf CLK_TCK)
api_ticks() { awk '{ print $14 + $15 }' "/proc/${api_pids[0]}/stat"; }
backend_ticks() { tool backend-ticks --conn "$conn" --app "$api_app" >"$1"; } # backend_ticks FILE: "pid ticks" lines
cpu_per_request() { # cpu_per_request API_BEFORE API_AFTER PG_BEFORE_FILE PG_AFTER_FILE REQUESTS OUTFILE: appends a RESULT line
  awk -v b="$1" -v a="$2" -v n="$5" -v hz="$clk_tck" '
    NR == FNR { before[$1] = $2; next }
    { pg += $2 - ($1 in before ? before[$1] : 0); alive[$1] = 1; backends++ }
    END { for (pid in before) if (!(pid in alive)) vanished++
      printf "RESULT api_cpu_ms=%.2f pg_cpu_ms=%.2f pg_backends=%d pg_backends_vanished=%d\n",
        (a - b) * 1000 / hz / n, pg * 1000 / hz / n, backends, vanished + 0 }' "$3" "$4" >>"$6"
}
wrk_run() { # wrk_run NAME SCRIPT PATH: a short warm-up (discarded), then the measured run
  # WRK_THREADS overrides -t (money-post.lua wants one thread per connection), WRK_WARMUP the warm-up's 3 s and
  # WRK_DURATION the measured run's BENCH_DURATION; WRK_BEFORE names a command run between the warm-up and the
  # measured run (with NAME). BENCH_RUN tells the two runs apart for the scripts.
  local api_before api_after wrk_threads=${WRK_THREADS:-$threads}
  BENCH_RUN="warmup-$1" wrk -t"$wrk_threads" -c"$connections" -d"${WRK_WARMUP:-3}s" -s "$root/scripts/bench/$2" "$api_url$3" >/dev/null
  if [ -n "${WRK_BEFORE:-}" ]; then "$WRK_BEFORE" "$1"; fi
  backend_ticks "$work/pg-before-$1.txt"
  api_before=$(api_ticks)
  BENCH_RUN="$1" wrk -t"$wrk_threads" -c"$connections" -d"${WRK_DURATION:-$duration}s" --latency -s "$root/scripts/bench/$2" "$api_url$3" >"$work/wrk-$1.txt"
  api_after=$(api_ticks)
  backend_ticks "$work/pg-after-$1.txt"
  grep -E '^ +(Latency|Req/Sec|50%|99%)|requests in|Non-2xx|Socket errors' "$work/wrk-$1.txt" | sed 's/^ */  /'
  cpu_per_request "$api_before" "$api_after" "$work/pg-before-$1.txt" "$work/pg-after-$1.txt" \
    "$(result "$work/wrk-$1.txt" requests)" "$work/wrk-$1.txt"
  result "$work/wrk-$1.txt" api_cpu_ms | sed 's/^/  CPU per request: API process /; s/$/ ms/'
  echo "  CPU per request: PostgreSQL $(result "$work/wrk-$1.txt" pg_cpu_ms) ms ($(result "$work/wrk-$1.txt" pg_backends) backends of the API; $(result "$work/wrk-$1.txt" pg_backends_vanished) ended during the run)"
}
sql_load() { # sql_load FILE COMMAND TOOL-ARGS...: a baseline run (COMMAND: sql-load or sql-script-load); the tool
  # measures its own backends' CPU while measuring
  local file=$1; shift
  tool "$@" --clk-tck "$clk_tck" >"$file"
  grep -v '^RESULT' "$file"
  echo "  CPU per request: PostgreSQL $(result "$file" pg_cpu_ms) ms ($(result "$file" pg_backends) backends of the baseline; $(result "$file" pg_backends_vanished) ended during the run)"
}

# --- summary helpers -------------------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "n/a"; else printf "%.2f", a / b }'; }
verdict() { # verdict VALUE OP TARGET
  awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN { if (v == "n/a") { print "n/a"; exit } ok = (op == ">=") ? (v + 0 >= t + 0) : (v + 0 <= t + 0); print ok ? "met" : "MISSED" }'
}
mean() { # mean KEY FILE...: the mean of a RESULT value over the rounds' files
  local key=$1 file; shift
  for file in "$@"; do result "$file" "$key"; done | awk '{ s += $1; n++ } END { if (n) printf "%.2f", s / n; else print "n/a" }'
}
each() { # each KEY FILE...: the value of every round, "a / b / ..."
  local key=$1 file out=""; shift
  for file in "$@"; do out="$out${out:+ / }$(result "$file" "$key")"; done
  echo "$out"
}
sum() { local key=$1 file; shift; for file in "$@"; do result "$file" "$key"; done | awk '{ s += $1 } END { print s + 0 }'; }
row() { printf '| %s | %s | %s | %s | %s |\n' "$@"; }
row6() { printf '| %s | %s | %s | %s | %s | %s |\n' "$@"; }
api_logs=() # every API instance's log, for the error count at the end

# --- sections --------------------------------------------------------------------------------------
# Each section runs its measurements and writes its part of the summary to $work/summary-SECTION.md.
for section in $sections; do
  # shellcheck source=/dev/null
  source "$root/scripts/bench/$section.sh"
done
stop_api

# --- summary ---------------------------------------------------------------------------------------
api_errors=0
if [ ${#api_logs[@]} -gt 0 ]; then api_errors=$(cat "${api_logs[@]}" | grep -cE '^\[[0-9:]+ (ERR|FTL)\]' || true); fi
{
  echo "### Results ($(date -u +'%Y-%m-%d %H:%M UTC'), $(nproc) cores, sections: $sections)"
  for section in $sections; do
    echo
    cat "$work/summary-$section.md"
  done
  echo
  echo "Machine load (1-minute load average): $load_at_start when bench.sh started, $(cut -d' ' -f1 /proc/loadavg) at the end."
  echo "API error lines logged (all instances): $api_errors. Runtime of bench.sh: $(($(date +%s) - started_at)) s."
} >"$work/summary.md"

log "Summary (total runtime $(($(date +%s) - started_at)) s)"
cat "$work/summary.md"
if [ -n "$report" ]; then cp "$work/summary.md" "$report"; echo "(written to $report)"; fi
if [ "$api_errors" != 0 ]; then
  echo; echo "API errors logged during the run:"; cat "${api_logs[@]}" | grep -E -A3 '^\[[0-9:]+ (ERR|FTL)\]' | head -n 40
fi
