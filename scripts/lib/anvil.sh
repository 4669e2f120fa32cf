# shellcheck shell=bash
# Local EVM chain (anvil, from the npm package @foundry-rs/anvil in src/contracts) for run.sh, test.sh and
# the integration tests. Functions only: sourcing this file starts nothing and writes nothing.
# Safe under `set -euo pipefail`; every path is quoted, so the repo may live under a path with spaces.
#
#   source scripts/lib/anvil.sh
#   anvil_install                                # npm ci in src/contracts when needed (anvil_installed: needed?)
#   port=$(anvil_free_port)
#   anvil_start "$port" "$logdir/anvil.log"      # sets ANVIL_PID, ANVIL_PORT, ANVIL_RPC_URL
#   trap anvil_stop EXIT
#   ANVIL_EXTRA_ARGS="--enable-tx-gas-limit" anvil_start ...   # extra anvil flags, split on spaces (default none)
#
# The chain: id 31337, instant mining (one block per transaction), anvil's default test mnemonic, 10 accounts
# with 10000 ETH each. Account 0 is ANVIL_ACCOUNT0; its private key is the well-known, PUBLIC anvil/hardhat
# test key (anyone can sign with it): never use it, or anything derived from that mnemonic, on a real network.

# Where this library lives, resolved now: callers may cd before calling us.
_ANVIL_LIB_DIR=$(CDPATH='' cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)

# Constants and the ANVIL_* variables set by anvil_start are for the callers.
ANVIL_CHAIN_ID=31337
# shellcheck disable=SC2034
ANVIL_ACCOUNT0=0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266   # anvil default account 0 (public test account)

anvil_contracts_dir() {
  # The npm project holding the anvil package, the Solidity sources and the artifacts.
  printf '%s\n' "$(dirname "$(dirname "$_ANVIL_LIB_DIR")")/src/contracts"
}

anvil_installed() {
  # True when node_modules holds what package-lock.json pins (npm ci ran after the lock file last changed).
  local dir
  dir=$(anvil_contracts_dir)
  [ -f "$dir/node_modules/.package-lock.json" ] && ! [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]
}

anvil_install() {
  # Installs the pinned npm toolchain (anvil, solc, OpenZeppelin, ethers) when node_modules is missing or older
  # than package-lock.json. Quiet on success; prints npm's output on failure.
  local dir out
  dir=$(anvil_contracts_dir)
  if anvil_installed; then
    return 0
  fi
  if ! command -v npm >/dev/null 2>&1; then
    echo "anvil_install: npm is not installed (Node.js 20+ is required for the chain tooling)" >&2
    return 1
  fi
  if ! out=$(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error 2>&1); then
    printf '%s\n' "$out" >&2
    echo "anvil_install: npm ci failed in $dir" >&2
    return 1
  fi
  # npm ci leaves .package-lock.json older than a freshly checked-out package-lock.json: mark it current.
  touch "$dir/node_modules/.package-lock.json"
}

anvil_bin() {
  # The anvil executable: $ANVIL_BIN if set, else the native binary of the platform package (so the pid we
  # record is anvil itself, not the node wrapper), else the npm wrapper.
  local dir platform
  if [ -n "${ANVIL_BIN:-}" ]; then printf '%s\n' "$ANVIL_BIN"; return 0; fi
  dir=$(anvil_contracts_dir)
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) platform=linux-amd64 ;;
    Linux-aarch64 | Linux-arm64) platform=linux-arm64 ;;
    Darwin-x86_64) platform=darwin-amd64 ;;
    Darwin-arm64) platform=darwin-arm64 ;;
    *) platform=unknown ;;
  esac
  if [ -x "$dir/node_modules/@foundry-rs/anvil-$platform/bin/anvil" ]; then
    printf '%s\n' "$dir/node_modules/@foundry-rs/anvil-$platform/bin/anvil"
  elif [ -x "$dir/node_modules/.bin/anvil" ]; then
    printf '%s\n' "$dir/node_modules/.bin/anvil"
  else
    echo "anvil_bin: anvil is not installed in $dir/node_modules (run anvil_install)" >&2
    return 1
  fi
}

anvil_free_port() {
  # Prints a TCP port on 127.0.0.1 that is free right now (the kernel picks it).
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

anvil_rpc() {
  # anvil_rpc METHOD [PARAMS_JSON] [URL]: one JSON-RPC call, prints the raw response.
  local method=$1 params=${2:-[]} url=${3:-${ANVIL_RPC_URL:-}}
  if [ -z "$url" ]; then echo "anvil_rpc: no URL (start anvil first or pass one)" >&2; return 1; fi
  curl -sS --max-time 5 -H 'Content-Type: application/json' \
    --data "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$method\",\"params\":$params}" "$url"
}

_anvil_is_running() {
  # True while PID is alive and not a zombie (an exited, unreaped child still answers kill -0).
  local pid=$1 state
  kill -0 "$pid" 2>/dev/null || return 1
  if [ -r "/proc/$pid/stat" ]; then
    state=$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1) || return 1
    [ "$state" != Z ] || return 1
  fi
  return 0
}

_anvil_port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

anvil_start() {
  # anvil_start PORT LOGFILE: starts anvil on 127.0.0.1:PORT in the background, logging to LOGFILE, and waits
  # (up to ANVIL_START_TIMEOUT seconds, default 30) until eth_chainId answers 31337. Sets ANVIL_PID, ANVIL_PORT,
  # ANVIL_RPC_URL and writes the pid to ANVIL_PID_FILE (default LOGFILE.pid) for anvil_stop in another shell.
  local port=${1:?anvil_start PORT LOGFILE} logfile=${2:?anvil_start PORT LOGFILE}
  local timeout=${ANVIL_START_TIMEOUT:-30} bin pid deadline answer
  if [ -n "${ANVIL_PID:-}" ] && _anvil_is_running "$ANVIL_PID"; then
    echo "anvil_start: anvil is already running (pid $ANVIL_PID, $ANVIL_RPC_URL)" >&2
    return 1
  fi
  if _anvil_port_in_use "$port"; then
    echo "anvil_start: port $port on 127.0.0.1 is already in use" >&2
    return 1
  fi
  bin=$(anvil_bin)
  mkdir -p "$(dirname "$logfile")"
  # Extra flags for a node that must differ from the default one (the gas benchmark's EIP-7825 node).
  local extra=()
  read -r -a extra <<<"${ANVIL_EXTRA_ARGS:-}"
  "$bin" --host 127.0.0.1 --port "$port" --chain-id "$ANVIL_CHAIN_ID" --accounts 10 --balance 10000 ${extra[@]+"${extra[@]}"} \
    </dev/null >"$logfile" 2>&1 &
  pid=$!
  ANVIL_PID=$pid
  # shellcheck disable=SC2034
  ANVIL_PORT=$port
  ANVIL_RPC_URL="http://127.0.0.1:$port"
  ANVIL_PID_FILE=${ANVIL_PID_FILE:-$logfile.pid}
  printf '%s\n' "$pid" >"$ANVIL_PID_FILE"

  deadline=$((SECONDS + timeout))
  while :; do
    if ! _anvil_is_running "$pid"; then
      echo "anvil_start: anvil exited during start-up; last lines of $logfile:" >&2
      tail -n 20 "$logfile" >&2 || true
      wait "$pid" 2>/dev/null || true
      rm -f "$ANVIL_PID_FILE"
      unset ANVIL_PID
      return 1
    fi
    answer=$(anvil_rpc eth_chainId '[]' "$ANVIL_RPC_URL" 2>/dev/null || true)
    case "$answer" in
      *'"result":"0x7a69"'*) return 0 ;;
      *'"result"'*)
        echo "anvil_start: $ANVIL_RPC_URL answered with an unexpected chain id: $answer" >&2
        anvil_stop "$ANVIL_PID_FILE"
        return 1 ;;
    esac
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "anvil_start: anvil did not answer eth_chainId on $ANVIL_RPC_URL within ${timeout}s; see $logfile" >&2
      anvil_stop "$ANVIL_PID_FILE"
      return 1
    fi
    sleep 0.1
  done
}

# shellcheck disable=SC2120  # PIDFILE is optional
anvil_stop() {
  # anvil_stop [PIDFILE]: stops the anvil started by anvil_start (SIGTERM, then SIGKILL after 5 s).
  # Idempotent, so it is safe in an EXIT trap. A pid read from PIDFILE is only signalled if it is still anvil.
  local pidfile=${1:-${ANVIL_PID_FILE:-}} pid=${ANVIL_PID:-} from_file=false
  if [ -z "$pid" ] && [ -n "$pidfile" ] && [ -f "$pidfile" ]; then pid=$(cat "$pidfile"); from_file=true; fi
  if [ -n "$pid" ] && _anvil_is_running "$pid"; then
    # A pid read from a file may have been recycled since: only signal it while it still looks like anvil.
    if $from_file && [ -r "/proc/$pid/cmdline" ] && ! tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q anvil; then
      echo "anvil_stop: pid $pid is not anvil any more; not signalling it" >&2
    else
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do
        _anvil_is_running "$pid" || break
        sleep 0.1
      done
      if _anvil_is_running "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
    fi
  fi
  # Reap our own child quietly (no "Terminated" message); a pid that is not our child makes wait fail: fine.
  if [ -n "$pid" ]; then wait "$pid" 2>/dev/null || true; fi
  if [ -n "$pidfile" ]; then rm -f "$pidfile"; fi
  unset ANVIL_PID ANVIL_PORT ANVIL_RPC_URL ANVIL_PID_FILE
  return 0
}
