-- wrk script: a money-moving POST (one that takes an Idempotency-Key) under load; the path comes from the wrk
-- command line. Run it with one connection per thread (wrk -tN -cN): wrk's Lua sees threads, not connections, so
-- thread i is connection i, and it sends as account i of BENCH_ACCOUNTS (a tab-separated file with an "api_key"
-- column under a header, as `DepinMarket.Benchmarks money-accounts` writes it; a file of one account makes every
-- connection share it). Every request carries a fresh Idempotency-Key, BENCH_RUN-thread-n (BENCH_RUN tells runs
-- apart: a key sent again would be a replay, answered without moving anything). BENCH_BODY is the JSON body;
-- "{n}" in it becomes the request's number within its thread, for bodies that must differ from request to request.
wrk.method = "POST"

local accounts_file = os.getenv("BENCH_ACCOUNTS") or error("BENCH_ACCOUNTS: the accounts file")
local threads = {}

local function api_keys()
  local keys, column = {}, nil
  for line in io.lines(accounts_file) do
    local fields = {}
    for field in line:gmatch("[^\t]+") do fields[#fields + 1] = field end
    if column == nil then
      for i, name in ipairs(fields) do
        if name:match("^api_key") then column = i end
      end
      if column == nil then error(accounts_file .. ": no api_key column in the header") end
    elseif #fields > 0 then
      keys[#keys + 1] = fields[column]
    end
  end
  if #keys == 0 then error(accounts_file .. ": no accounts") end
  return keys
end

local keys = nil
function setup(thread)
  keys = keys or api_keys()
  threads[#threads + 1] = thread
  thread:set("id", #threads)
  thread:set("api_key", keys[(#threads - 1) % #keys + 1])
end

local headers, body, numbered, prefix = nil, nil, false, nil
sent = 0 -- global: done() reads it from each thread with thread:get
function init(args)
  headers = {
    ["Authorization"] = "Bearer " .. api_key,
    ["Content-Type"] = "application/json",
    ["Accept"] = "application/json",
  }
  body = os.getenv("BENCH_BODY") or error("BENCH_BODY: the JSON body")
  numbered = body:find("{n}", 1, true) ~= nil
  prefix = (os.getenv("BENCH_RUN") or error("BENCH_RUN: a tag unique to this run")) .. "-" .. id .. "-"
end

function request()
  sent = sent + 1
  headers["Idempotency-Key"] = prefix .. sent
  return wrk.format(nil, nil, headers, numbered and body:gsub("{n}", tostring(sent)) or body)
end

-- One machine-readable line for scripts/bench.sh (latencies in ms; status = responses that were not 2xx/3xx;
-- sent = requests written, answered or not: those still unanswered when wrk stopped may have taken effect).
function done(summary, latency, requests)
  local e, total = summary.errors, 0
  for _, thread in ipairs(threads) do total = total + thread:get("sent") end
  io.write(string.format("RESULT rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f requests=%d status_errors=%d socket_errors=%d sent=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, summary.requests, e.status, e.connect + e.read + e.write + e.timeout, total))
end
