-- wrk script: mint + consume of netplay write tokens, as the EmulatorJS client and the SFU make them. Run with one
-- connection per thread (-tN -cN): each thread mints (Bearer session token), then has the SFU consume what it got,
-- and every 20th pair replays the consume, which must fail. done() prints "pairs N violations V".
local session = os.getenv("BENCH_TOKEN")
local secret = os.getenv("BENCH_SFU_SECRET")
if session == nil or session == "" or secret == nil or secret == "" then
  error("BENCH_TOKEN and BENCH_SFU_SECRET must be set")
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local mint = nil
local step = "mint"
local consume = nil
pairs_done = 0
violations = 0

-- Formatted per thread, once wrk knows the Host header.
function init(args)
  mint = wrk.format("POST", "/api/sfu/token",
    { ["Authorization"] = "Bearer " .. session, ["Content-Type"] = "application/json" }, '{"token_type":"write"}')
end

function request()
  if step == "mint" then
    return mint
  end
  return consume
end

function response(status, headers, body)
  if step == "mint" then
    local token = body:match('"token":"([^"]+)"')
    if status ~= 200 or token == nil then
      violations = violations + 1
      return
    end
    consume = wrk.format("POST", "/api/sfu/internal/verify",
      { ["x-romm-sfu-secret"] = secret, ["Content-Type"] = "application/json", ["Accept"] = "application/json" },
      '{"token":"' .. token .. '","consume":true}')
    step = "consume"
  elseif step == "consume" then
    if status ~= 200 then
      violations = violations + 1
    end
    pairs_done = pairs_done + 1
    step = (pairs_done % 20 == 0) and "replay" or "mint"
  else
    if status ~= 401 then
      violations = violations + 1
    end
    step = "mint"
  end
end

function done(summary, latency, requests)
  local p, v = 0, 0
  for _, t in ipairs(threads) do
    p = p + t:get("pairs_done")
    v = v + t:get("violations")
  end
  io.write(string.format("pairs %d violations %d\n", p, v))
end
