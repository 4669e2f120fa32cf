-- wrk script: a provider listing a compute offer (published at once), authenticated with the key in BENCH_KEY.
-- Every request creates a row; scripts/bench.sh deletes them afterwards so they do not skew later searches.
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY")
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
wrk.body = '{"gpuModel":"H100","gpuCount":8,"cpuCores":96,"ramGb":1024,"diskGb":4000,"region":"DE",' ..
           '"pricePerGpuHour":"2.5","minHours":1,"maxHours":720,"publish":true}'

-- One machine-readable line for scripts/bench.sh (latencies in ms; status = responses that were not 2xx/3xx).
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f requests=%d status_errors=%d socket_errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, summary.requests, e.status, e.connect + e.read + e.write + e.timeout))
end
