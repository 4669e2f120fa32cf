# shellcheck shell=bash
# Loopback ports for run.sh and the benchmark scripts (sourced).

port_in_use() {
  # port_in_use PORT: true when something on 127.0.0.1 answers a connect to PORT.
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

free_port() {
  # A loopback port nobody listens on, from a range kept clear of run.sh's defaults.
  local port _
  for _ in $(seq 1 200); do
    port=$((40000 + RANDOM % 20000))
    if ! port_in_use "$port"; then echo "$port"; return 0; fi
  done
  echo "no free port found" >&2
  return 1
}
