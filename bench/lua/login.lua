-- wrk script: every request signs in with the benchmark user's password (POST JSON to the URL given to wrk).
-- BENCH_USERNAME / BENCH_PASSWORD come from bench/run.sh, which created that user through first-run setup.
local username = os.getenv("BENCH_USERNAME") or "admin"
local password = os.getenv("BENCH_PASSWORD") or "bench-password-123"

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = string.format('{"username":"%s","password":"%s"}', username, password)
