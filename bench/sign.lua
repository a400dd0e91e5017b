-- bench/sign.lua: wrk signs one open petition with valid, unique signatures
-- (bench/surge.sh).
--
--   BENCH_RUN=id BENCH_SLOT=n wrk -t2 -c64 -d8s -s bench/sign.lua http://127.0.0.1:PORT
--
-- Every request is a new person: the e-mail holds the run id (BENCH_RUN,
-- unique per run), the wrk thread and a counter; provinces and territories
-- come round weighted roughly by population, each with a postal code of
-- its own; a quarter sign in French.  X-Forwarded-For gives each request
-- its own address in 10.0.0.0/8 (the server must trust 127.0.0.1 as a
-- proxy), from a block of 2^18 per wrk thread (up to 4) and BENCH_SLOT
-- (0 to 15, then they come round again), so the per-address rate limits
-- see a crowd of first-time signers, not one client.
--
-- done() prints one line "BENCH key=value ..." that surge.sh reads:
-- requests answered, requests sent (answered + cut off when wrk stopped),
-- 303 (acknowledged), 503 (shed under overload), other statuses, socket
-- errors, and the latency percentiles in microseconds.
--
-- LuaJIT (Debian's wrk): no // operator; thread state is global, so the
-- thread id is `thread_id`, set by setup() (a `local` of the same name
-- would shadow it).

local petition = os.getenv("BENCH_PETITION") or "e-6512"
local run = os.getenv("BENCH_RUN") or tostring(os.time())
local slot = tonumber(os.getenv("BENCH_SLOT") or "0")

local regions = {
  {"ON", "K1A+0A6"}, {"ON", "K1A+0A6"}, {"ON", "K1A+0A6"}, {"ON", "K1A+0A6"}, {"ON", "K1A+0A6"},
  {"ON", "K1A+0A6"}, {"ON", "K1A+0A6"}, {"ON", "K1A+0A6"}, {"ON", "K1A+0A6"}, {"ON", "K1A+0A6"},
  {"QC", "H2X+1Y4"}, {"QC", "H2X+1Y4"}, {"QC", "H2X+1Y4"}, {"QC", "H2X+1Y4"}, {"QC", "H2X+1Y4"},
  {"QC", "H2X+1Y4"}, {"BC", "V6B+1A1"}, {"BC", "V6B+1A1"}, {"BC", "V6B+1A1"}, {"BC", "V6B+1A1"},
  {"AB", "T2P+1J9"}, {"AB", "T2P+1J9"}, {"AB", "T2P+1J9"}, {"MB", "R3C+4T3"}, {"SK", "S4P+3Y2"},
  {"NS", "B3H+4R2"}, {"NB", "E1C+4M3"}, {"NL", "A1C+5M2"}, {"PE", "C1A+7N8"}, {"YT", "Y1A+2C6"},
  {"NT", "X1A+2L9"}, {"NU", "X0A+0H0"},
}
local headers = {["Content-Type"] = "application/x-www-form-urlencoded"}

-- Main state: hand out thread ids and keep the threads for done().
local threads = {}
function setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
end

-- Thread state.
thread_id = 0
sent, s303, s503, other = 0, 0, 0, 0
local base = 0

function init(args)
  base = ((slot * 4 + thread_id) % 64) * 262144
end

function request()
  sent = sent + 1
  local n = sent
  local r = regions[(n * 7) % #regions + 1]
  local lang = (n % 4 == 3) and "fr" or "en"
  local a = base + n % 262144
  headers["X-Forwarded-For"] = "10." .. math.floor(a / 65536) .. "." ..
    (math.floor(a / 256) % 256) .. "." .. (a % 256)
  local body = "first_name=Ada&last_name=Surge&email=s" .. run .. "t" .. thread_id .. "n" .. n ..
    "%40example.ca&country=Canada&province=" .. r[1] .. "&postal_code=" .. r[2] ..
    "&phone=613-555-0100&eligible=1&terms=1"
  return wrk.format("POST", "/" .. lang .. "/petitions/" .. petition .. "/sign", headers, body)
end

function response(status, hdrs, body)
  if status == 303 then
    s303 = s303 + 1
  elseif status == 503 then
    s503 = s503 + 1
  else
    other = other + 1
    if other <= 3 then
      io.stderr:write("sign.lua: status " .. status .. ": " .. string.sub(body or "", 1, 200) .. "\n")
    end
  end
end

function done(summary, latency, requests)
  local t = {sent = 0, s303 = 0, s503 = 0, other = 0}
  for _, th in ipairs(threads) do
    for k, _ in pairs(t) do
      t[k] = t[k] + th:get(k)
    end
  end
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d sent=%d ok=%d s503=%d other=%d non2xx3xx=%d " ..
    "connect=%d read=%d write=%d timeout=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d\n",
    summary.requests, summary.duration, t.sent, t.s303, t.s503, t.other, e.status,
    e.connect, e.read, e.write, e.timeout, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max))
end
