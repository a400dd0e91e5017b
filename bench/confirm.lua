-- bench/confirm.lua: wrk confirms pending signatures, each once, as the
-- button behind the e-mailed link does (bench/surge.sh).
--
--   BENCH_TOKENS=file BENCH_THREADS=2 wrk -t2 -c64 -d8s -s bench/confirm.lua http://127.0.0.1:PORT
--
-- The file has lines "ID TOKEN" (bench/tokens.c); wrk thread k of
-- BENCH_THREADS (which must equal -t) takes lines k, k + n, k + 2n, ...
-- and POSTs t=TOKEN to /en/signatures/ID for each.  A thread that runs out
-- of lines asks GET /healthz instead (not counted as a confirmation) and
-- counts it as `exhausted`: surge.sh then warns that the run ran dry.
--
-- done() prints "BENCH key=value ...": requests answered, sent, 303s
-- (confirmed), 503s, other statuses, exhausted, socket errors and latency
-- percentiles in microseconds.  LuaJIT: no // operator.

local file = os.getenv("BENCH_TOKENS") or "tokens.txt"
local nthreads = tonumber(os.getenv("BENCH_THREADS") or "2")
local headers = {["Content-Type"] = "application/x-www-form-urlencoded"}

local threads = {}
function setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
end

thread_id = 0
sent, s200, s503, other, exhausted = 0, 0, 0, 0, 0
local ids, toks = {}, {}

function init(args)
  local i = 0
  for line in io.lines(file) do
    if i % nthreads == thread_id then
      local id, tok = string.match(line, "^(%d+) (%S+)$")
      if id then
        ids[#ids + 1] = id
        toks[#toks + 1] = tok
      end
    end
    i = i + 1
  end
end

function request()
  sent = sent + 1
  if sent > #ids then
    exhausted = exhausted + 1
    return wrk.format("GET", "/healthz")
  end
  return wrk.format("POST", "/en/signatures/" .. ids[sent], headers, "t=" .. toks[sent])
end

function response(status, hdrs, body)
  if status == 200 and string.sub(body or "", 1, 3) == "ok " then
    return -- /healthz, after the thread ran out of lines
  elseif status == 303 then -- confirmed: Post/Redirect/Get to the thanks
    s200 = s200 + 1
  elseif status == 503 then
    s503 = s503 + 1
  else
    other = other + 1
    if other <= 3 then
      io.stderr:write("confirm.lua: status " .. status .. ": " .. string.sub(body or "", 1, 200) .. "\n")
    end
  end
end

function done(summary, latency, requests)
  local t = {sent = 0, s200 = 0, s503 = 0, other = 0, exhausted = 0}
  for _, th in ipairs(threads) do
    for k, _ in pairs(t) do
      t[k] = t[k] + th:get(k)
    end
  end
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d sent=%d ok=%d s503=%d other=%d exhausted=%d " ..
    "non2xx3xx=%d connect=%d read=%d write=%d timeout=%d p50_us=%d p90_us=%d p99_us=%d " ..
    "max_us=%d\n",
    summary.requests, summary.duration, t.sent, t.s200, t.s503, t.other, t.exhausted,
    e.status, e.connect, e.read, e.write, e.timeout, latency:percentile(50),
    latency:percentile(90), latency:percentile(99), latency.max))
end
