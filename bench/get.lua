-- bench/get.lua: wrk GETs one URL (the petition page, the count endpoint,
-- or nginx serving the same bytes) and prints one line for bench/surge.sh:
-- "BENCH key=value ..." with requests, duration, error counts and latency
-- percentiles in microseconds.  No request() function, so wrk sends the
-- same prepared request every time, as fast as without a script.

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d non2xx3xx=%d connect=%d read=%d write=%d timeout=%d " ..
    "p50_us=%d p90_us=%d p99_us=%d p999_us=%d max_us=%d\n",
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency.max))
end
