-- wrk script: heartbeats of many nodes, POST /v1/nodes/{id}/heartbeats with each node's own token
-- (scripts/bench/heartbeats.sh; the URL on wrk's command line gives only host and port). Run it with one connection per
-- thread (wrk -tN -cN) and BENCH_SENDERS=N: wrk's Lua sees threads, not connections, so thread i is sender i, and it
-- beats for its own slice of BENCH_NODES (a tab-separated file of "node" and "token" under a header, as
-- `DepinMarket.Benchmarks heartbeat-nodes` writes it): nodes i, i + N, i + 2N, ... in turn. BENCH_BODY is the JSON body
-- with "{sequence}" where the sequence goes: the thread's start in unix seconds × 1,000,000 plus its request number,
-- so strictly increasing per node and above every earlier run's, the rule the raw-SQL baseline follows too
-- (HeartbeatBaseline.FirstSequence), so that the two can take turns on the same nodes.
-- Only a 200 counts as accepted; any other answer is counted as refused and the first one's status and body are kept.
wrk.method = "POST"

local nodes_file = os.getenv("BENCH_NODES") or error("BENCH_NODES: the nodes file")
local senders = tonumber(os.getenv("BENCH_SENDERS") or error("BENCH_SENDERS: how many threads (one connection each) share the nodes"))
local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
  thread:set("id", #threads)
end

local paths, tokens, headers, before, after, first = {}, {}, nil, nil, nil, 0
-- Globals: done() reads them from each thread with thread:get.
sent, accepted, refused, refused_status, refused_sample = 0, 0, 0, "-", ""

function init(args)
  local index = -1 -- the node's place in the file, from 0, header excluded
  for line in io.lines(nodes_file) do
    if index >= 0 and #line > 0 and index % senders == id - 1 then
      local node, token = line:match("^([^\t]+)\t([^\t]+)$")
      paths[#paths + 1] = "/v1/nodes/" .. node .. "/heartbeats"
      tokens[#tokens + 1] = "Bearer " .. token
    end
    index = index + 1
  end
  if #paths == 0 then error("sender " .. id .. " of " .. senders .. " has no node in " .. nodes_file) end
  local body = os.getenv("BENCH_BODY") or error("BENCH_BODY: the JSON body with {sequence}")
  local at = body:find("{sequence}", 1, true) or error("BENCH_BODY has no {sequence}")
  before, after = body:sub(1, at - 1), body:sub(at + #"{sequence}")
  first = os.time() * 1000000
  headers = { ["Content-Type"] = "application/json", ["Accept"] = "application/json" }
end

function request()
  local slot = sent % #paths + 1
  local sequence = first + sent
  sent = sent + 1
  headers["Authorization"] = tokens[slot]
  -- %.0f: the sequence is a double in Lua, exact below 2^53 (HeartbeatRules.MaxSequence).
  return wrk.format(nil, paths[slot], headers, before .. string.format("%.0f", sequence) .. after)
end

function response(status, headers, body)
  if status == 200 then
    accepted = accepted + 1
  else
    refused = refused + 1
    if refused_status == "-" then
      refused_status, refused_sample = tostring(status), (body:sub(1, 400):gsub("%s+", " "))
    end
  end
end

-- One machine-readable line for scripts/bench.sh (latencies in ms; accepted = 200s, refused = any other answer,
-- status_errors = wrk's own count of 4xx/5xx; sent = requests written, answered or not), and a sample of a refusal.
function done(summary, latency, requests)
  local e, total, ok, no, status, sample = summary.errors, 0, 0, 0, "-", ""
  for _, thread in ipairs(threads) do
    total, ok, no = total + thread:get("sent"), ok + thread:get("accepted"), no + thread:get("refused")
    if status == "-" and thread:get("refused_status") ~= "-" then
      status, sample = thread:get("refused_status"), thread:get("refused_sample")
    end
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("RESULT rps=%.1f accepted_per_s=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f requests=%d status_errors=%d socket_errors=%d sent=%d accepted=%d refused=%d refused_status=%s\n",
    summary.requests / seconds, ok / seconds, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, summary.requests, e.status, e.connect + e.read + e.write + e.timeout, total, ok, no, status))
  if no > 0 then io.write("REFUSED first refusal, status " .. status .. ": " .. sample .. "\n") end
end
