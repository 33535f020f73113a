-- wrk script: the SFU's verify call for one read token (consume false, as its HTTP /list and /join send it).
local token = os.getenv("BENCH_TOKEN")
local secret = os.getenv("BENCH_SFU_SECRET")
if token == nil or token == "" or secret == nil or secret == "" then
  error("BENCH_TOKEN and BENCH_SFU_SECRET must be set")
end

wrk.method = "POST"
wrk.body = '{"token":"' .. token .. '","consume":false}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
wrk.headers["x-romm-sfu-secret"] = secret
