-- wrk script: the typical filtered compute-offer search, authenticated with the key in BENCH_KEY.
-- The URL (with its query string) comes from the wrk command line; see scripts/bench.sh.
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY")
wrk.headers["Accept"] = "application/json"

-- One machine-readable line for scripts/bench.sh (latencies in ms; status = responses that were not 2xx/3xx).
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f requests=%d status_errors=%d socket_errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, summary.requests, e.status, e.connect + e.read + e.write + e.timeout))
end
