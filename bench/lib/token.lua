-- wrk script for bench/run: form POSTs to a token endpoint, every response checked.
--
-- Environment:
--   BENCH_REQUESTS        one request per line: "<path> <form body>" (body URL-encoded, no spaces); with several
--                         lines the requests are sent round-robin (used to warm up every code path at once)
--   BENCH_EXPECT_STATUS   the status every response must have (default 200; 429 for the refused-client scenarios)
--   BENCH_EXPECT_BODY     a string every response body must contain (default "access_token" for 200; bench/run
--                         passes "too_many_requests" for the 429 scenarios)
--   BENCH_EXPECT_HEADER   optional: a header every response must carry (case-insensitive), e.g. the quota
--                         header X-RateLimit-Remaining for the quota scenarios
--
-- Every response with another status, without the expected body text or without the expected header is counted
-- as bad; done() prints one machine-readable line "BENCH key=value ..." that bench/run parses, and the first bad
-- response for diagnosis.

local spec = os.getenv("BENCH_REQUESTS") or error("BENCH_REQUESTS is not set")
local expect_header = os.getenv("BENCH_EXPECT_HEADER")
if expect_header == "" then expect_header = nil end
if expect_header then expect_header = string.lower(expect_header) end
local expect_status = tonumber(os.getenv("BENCH_EXPECT_STATUS") or "200") or 200
local expect_body = os.getenv("BENCH_EXPECT_BODY")
if expect_body == nil or expect_body == "" then expect_body = (expect_status == 200) and "access_token" or nil end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  requests = {}
  for line in string.gmatch(spec, "[^\n]+") do
    local path, body = string.match(line, "^(%S+)%s+(%S+)$")
    if not path then error("bad BENCH_REQUESTS line: " .. line) end
    table.insert(requests, wrk.format("POST", path,
      { ["Content-Type"] = "application/x-www-form-urlencoded" }, body))
  end
  next_request = 0
  bad = 0
  missing = 0
  first_bad = ""
end

function request()
  next_request = next_request % #requests + 1
  return requests[next_request]
end

local function has_header(headers, wanted)
  for name, _ in pairs(headers) do
    if string.lower(name) == wanted then return true end
  end
  return false
end

function response(status, headers, body)
  if status ~= expect_status then
    bad = bad + 1
    if first_bad == "" then first_bad = status .. " " .. string.sub(body or "", 1, 300) end
  elseif expect_body and not string.find(body or "", expect_body, 1, true) then
    bad = bad + 1
    if first_bad == "" then first_bad = status .. " without '" .. expect_body .. "': " .. string.sub(body or "", 1, 300) end
  elseif expect_header and not has_header(headers, expect_header) then
    missing = missing + 1
    if first_bad == "" then first_bad = status .. " without header " .. expect_header end
  end
end

function done(summary, latency, requests)
  local non200, no_header, sample = 0, 0, ""
  for _, t in ipairs(threads) do
    non200 = non200 + t:get("bad")
    no_header = no_header + t:get("missing")
    local f = t:get("first_bad")
    if sample == "" and f ~= nil and f ~= "" then sample = f end
  end
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d non200=%d missing_header=%d connect=%d read=%d write=%d timeout=%d " ..
    "p50_us=%d p90_us=%d p99_us=%d max_us=%d mean_us=%.1f\n",
    summary.requests, summary.duration, non200, no_header, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
  if sample ~= "" then
    io.write("BENCH first_bad=" .. string.gsub(sample, "[\r\n]", " ") .. "\n")
  end
end
