-- wrk script: every request asks GET /api/auth/me with the session token bench/run.sh obtained by signing in.
local token = os.getenv("BENCH_TOKEN")
if token == nil or token == "" then
  error("BENCH_TOKEN is not set")
end

wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. token
