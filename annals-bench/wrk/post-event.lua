-- wrk script: POST one ~300-byte event per request to /api/events (the server assigns ids), and count answers
-- other than 201. Run against a server of its own (never a shared one: every request stores an event):
--   java -cp annals-bench/target/annals-bench.jar io.annals.bench.LoadGenerator serve --port 0   (prints its URL)
--   wrk -t2 -c32 -d20s --latency -s annals-bench/wrk/post-event.lua http://127.0.0.1:PORT
wrk.method = "POST"
wrk.path = "/api/events"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"type":"bench.type-3","source":"annals-bench","aggregate":{"type":"order","id":"order-4711"},'
  .. '"metadata":{"tags":["tag-7"]},"payload":{"orderId":"order-4711","amount":"123.45","currency":"GBP",'
  .. '"note":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}}'

local threads = {}

setup = function(thread)
  table.insert(threads, thread)
end

init = function(args)
  failed = 0
end

response = function(status, headers, body)
  if status ~= 201 then failed = failed + 1 end
end

done = function(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + t:get("failed") end
  io.write(string.format("answers other than 201: %d\n", bad))
  io.write(string.format("p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms\n", latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency:percentile(99.9) / 1000))
end
