# shellcheck shell=bash
# Free loopback ports for the benchmark scripts (sourced).

free_port() {
  # A loopback port nobody listens on (nothing answers a connect), from a range kept clear of run.sh's defaults.
  local port _
  for _ in $(seq 1 200); do
    port=$((40000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  echo "no free port found" >&2
  return 1
}
