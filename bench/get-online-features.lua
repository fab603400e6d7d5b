-- wrk script: POST /get-online-features with the body in the file named by the BODY environment variable
-- (the server benchmark writes it: 1 entity x 50 features over 5 views). Usage: bench/server-wrk.sh.
local f = assert(io.open(os.getenv("BODY"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"

-- No response() callback: it would make wrk copy every body into Lua. wrk itself prints
-- "Non-2xx or 3xx responses: N" when an answer is not 200; a failed benchmark, not a fast one.
function done(summary, latency, requests)
  io.write(string.format("p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms, requests %d\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000, summary.requests))
end
