#!/usr/bin/env bash
# Latch benchmarks: jar size, start-up time, idle RSS, /api/auth/me against bare Javalin, login against raw Argon2id.
#
#   bench/run.sh [all|size|startup|rss|me|login]...     (default: all; about 5 minutes on 2 cores)
#
# login reports each round, all rounds together, and what a sign-in costs Latch besides the hash (measured with
# the cheapest Argon2 setting), since the raw rate alone swings with the host's other load.
#
# Every server listens on 127.0.0.1 on a free port and is stopped on exit. Raw output and a summary go to
# bench/results/<timestamp>/ (git-ignored). Knobs, all optional:
#   BENCH_JVM_FLAGS      JVM flags for Latch and the helpers (default: the flags BENCHMARKS.md recommends)
#   BENCH_STARTUP_RUNS   start-ups per kind (default 10)
#   BENCH_SECONDS        length of each measured wrk / Argon2 run (default 10)
#   BENCH_ROUNDS         measured rounds for me and login, alternating with their baselines (default 2)
#   BENCH_MALLOC_ENV     glibc NAME=VALUE settings for Latch and the bare server (default: those BENCHMARKS.md
#                        recommends; empty for glibc's defaults)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR=$ROOT/target/latch.jar
CLASSES=$ROOT/target/bench-classes
OUT=$ROOT/bench/results/$(date +%Y%m%d-%H%M%S)

# The flags BENCHMARKS.md recommends: serial GC (no GC threads to feed), C1 only (half the start-up time, ~20 MB
# less RSS), small stacks, a heap that starts small, and a native-heap trim every 5 s so freed Argon2 memory goes back.
DEFAULT_JVM_FLAGS="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -Xms16m -Xmx64m -XX:TrimNativeHeapInterval=5000"
read -r -a JVM <<< "${BENCH_JVM_FLAGS:-$DEFAULT_JVM_FLAGS}"
# glibc settings for Latch and the bare server: one malloc arena, so every Argon2 hash (19 MiB) reuses the same
# memory instead of leaving a copy in each request thread's arena; blocks of up to 32 MiB come from that arena and
# are not handed back after every hash (which would cost page faults on the next one), but by the 5 s trim above.
DEFAULT_MALLOC_ENV="MALLOC_ARENA_MAX=1 MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=134217728"
read -r -a MALLOC_ENV <<< "${BENCH_MALLOC_ENV-$DEFAULT_MALLOC_ENV}"
# Latch starts with the class-data archive `mvn package` records (target/latch.jsa), as the README recommends;
# BENCH_CDS=off measures without it. The archive belongs to the jar, so the helpers run without it.
CDS=()
if [ "${BENCH_CDS:-on}" = on ] && [ -f "$ROOT/target/latch.jsa" ]; then
    CDS=(-XX:SharedArchiveFile="$ROOT/target/latch.jsa" -Xlog:cds=off)
fi
STARTUP_RUNS=${BENCH_STARTUP_RUNS:-10}
SECONDS_PER_RUN=${BENCH_SECONDS:-10}
ROUNDS=${BENCH_ROUNDS:-2}
WARMUP_SECONDS=5
ARGON2_MEMORY_KIB=${LATCH_ARGON2_MEMORY_KIB:-19456}
ARGON2_ITERATIONS=${LATCH_ARGON2_ITERATIONS:-2}
ARGON2_PARALLELISM=${LATCH_ARGON2_PARALLELISM:-1}
CORES=$(nproc)

export BENCH_USERNAME=admin BENCH_PASSWORD=bench-password-123
SETUP_CODE=BENCH-SETUP-CODE

# ---------------------------------------------------------------------------------------------------------------
# Processes and files: everything started here is recorded and stopped on exit.

# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"
now_ns() { date +%s%N; }
rss_kib() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
maximum() { sort -n | tail -1; }

# Starts Latch in the background on 127.0.0.1:$2 with data in $1; extra NAME=VALUE settings follow. Sets LATCH_PID.
start_latch() {
    local dir=$1 port=$2
    shift 2
    mkdir -p "$dir"
    env "${MALLOC_ENV[@]}" LATCH_SETUP_CODE=$SETUP_CODE "$@" \
        java "${JVM[@]}" "${CDS[@]}" -jar "$JAR" --host 127.0.0.1 --port "$port" --data-dir "$dir" >>"$dir/latch.log" 2>&1 &
    LATCH_PID=$!
    PIDS+=("$LATCH_PID")
}

# Creates the admin through first-run setup and prints a fresh session token from a real sign-in.
setup_and_login() {
    local base=$1 body
    curl -fs -o /dev/null -X POST -H 'Content-Type: application/json' \
        -d "{\"username\":\"$BENCH_USERNAME\",\"password\":\"$BENCH_PASSWORD\",\"setup_code\":\"$SETUP_CODE\"}" \
        "$base/api/setup/admin" || die "setup failed at $base"
    body=$(curl -fs -X POST -H 'Content-Type: application/json' \
        -d "{\"username\":\"$BENCH_USERNAME\",\"password\":\"$BENCH_PASSWORD\"}" "$base/api/auth/login") \
        || die "login failed at $base"
    sed -n 's/.*"token":"\([^"]*\)".*/\1/p' <<<"$body"
}


# wrk output -> "req/s p50 p99"; refuses a run with errors or non-2xx answers, which would not measure the endpoint.
wrk_numbers() {
    local file=$1
    if grep -qE 'Non-2xx|Socket errors' "$file"; then
        die "$(basename "$file"): some requests failed: $(grep -E 'Non-2xx|Socket errors' "$file" | tr -s ' ')"
    fi
    awk '/Requests\/sec:/ { rps = $2 } $1 == "50%" { p50 = $2 } $1 == "99%" { p99 = $2 } END { print rps, p50, p99 }' "$file"
}

ensure_built() {
    if [ ! -f "$JAR" ]; then
        (cd "$ROOT" && mvn -q -o package -DskipTests) || (cd "$ROOT" && mvn -q package -DskipTests)
    fi
    mkdir -p "$CLASSES"
    javac -d "$CLASSES" -cp "$JAR" "$ROOT/bench/bare/BareServer.java" "$ROOT/bench/argon2/Argon2Rate.java" \
        "$ROOT/bench/diagnose/MeCost.java" "$ROOT/bench/diagnose/CpuSteps.java"
}

# ---------------------------------------------------------------------------------------------------------------
# 1. Jar size <= 16 MB

bench_size() {
    local bytes
    bytes=$(stat -c %s "$JAR")
    log "$(printf '1 jar size        %.1f MB (%d bytes)  target <= 16 MB: %s' \
        "$(awk -v b="$bytes" 'BEGIN { print b / 1048576 }')" "$bytes" "$(verdict "$bytes" '<=' 16777216)")"
}

# ---------------------------------------------------------------------------------------------------------------
# 2. Launch to first 200 from /api/health <= 1.5 s. "first": empty data dir (migrations, new secret, setup code);
#    "restart": the same data dir again, the everyday case.

bench_startup() {
    local i kind dir port t0 ms
    : >"$OUT/startup.txt"
    echo "load average before start-up: $(loadavg)" >>"$OUT/startup.txt"
    for i in $(seq 1 "$STARTUP_RUNS"); do
        dir=$TMP/startup-$i
        for kind in first restart; do
            port=$(free_port)
            t0=$(now_ns)
            start_latch "$dir" "$port"
            wait_ok "http://127.0.0.1:$port/api/health" 30 || die "Latch did not start; see $dir/latch.log"
            ms=$((($(now_ns) - t0) / 1000000))
            echo "$kind $ms" >>"$OUT/startup.txt"
            stop "$LATCH_PID"
        done
    done
    for kind in first restart; do
        local values med max
        values=$(awk -v k="$kind" '$1 == k { print $2 }' "$OUT/startup.txt")
        med=$(median <<<"$values")
        max=$(maximum <<<"$values")
        log "$(printf '2 start-up %-7s median %s ms, max %s ms over %s runs  target <= 1500 ms: %s' \
            "$kind" "$med" "$max" "$STARTUP_RUNS" "$(verdict "$med" '<=' 1500)")"
    done
}

# ---------------------------------------------------------------------------------------------------------------
# 3. Idle RSS <= 100 MB: after start, first-run setup, one sign-in and one /me, then 7 s idle.

bench_rss() {
    local port base token rss anon file
    port=$(free_port)
    base=http://127.0.0.1:$port
    start_latch "$TMP/rss" "$port"
    wait_ok "$base/api/health" 30 || die "Latch did not start; see $TMP/rss/latch.log"
    echo "after start: VmRSS $(rss_kib "$LATCH_PID" VmRSS) KiB" >"$OUT/rss.txt"
    token=$(setup_and_login "$base")
    curl -fs -o /dev/null -H "Authorization: Bearer $token" "$base/api/auth/me"
    sleep 7 # past one native-heap trim (every 5 s)
    rss=$(rss_kib "$LATCH_PID" VmRSS)
    anon=$(rss_kib "$LATCH_PID" RssAnon)
    file=$(rss_kib "$LATCH_PID" RssFile)
    echo "after setup + login + me + 7 s: VmRSS $rss KiB (anon $anon, file $file)" >>"$OUT/rss.txt"
    grep -E '^(Vm|Rss|Threads)' "/proc/$LATCH_PID/status" >>"$OUT/rss.txt"
    stop "$LATCH_PID"
    log "$(printf '3 idle RSS        %.1f MB (anon %.1f, file %.1f)  target <= 100 MB: %s' \
        "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" "$(awk -v k="$anon" 'BEGIN { print k / 1024 }')" \
        "$(awk -v k="$file" 'BEGIN { print k / 1024 }')" "$(verdict "$rss" '<=' 102400)")"
}

# ---------------------------------------------------------------------------------------------------------------
# 4. GET /api/auth/me with a valid token >= 80% of a bare Javalin endpoint; same wrk, same JVM flags, same run.
#    The two alternate so a background load hits both alike.

bench_me() {
    local latch_port bare_port token bare_pid r bare me c0 b_cpu m_cpu
    latch_port=$(free_port)
    start_latch "$TMP/me" "$latch_port"
    bare_port=$(free_port)
    env "${MALLOC_ENV[@]}" java "${JVM[@]}" -cp "$JAR:$CLASSES" BareServer "$bare_port" >"$OUT/bare.log" 2>&1 &
    bare_pid=$!
    PIDS+=("$bare_pid")
    wait_ok "http://127.0.0.1:$latch_port/api/health" 30 || die "Latch did not start; see $TMP/me/latch.log"
    token=$(setup_and_login "http://127.0.0.1:$latch_port")
    for r in $(seq 1 30); do
        curl -fs -o /dev/null "http://127.0.0.1:$bare_port/bare" && break
        [ "$r" -lt 30 ] || die "the bare server did not start; see $OUT/bare.log"
        sleep 0.2
    done

    local bare_cmd=(wrk -t2 -c16 --latency "http://127.0.0.1:$bare_port/bare")
    local me_cmd=(wrk -t2 -c16 --latency -s "$ROOT/bench/lua/me.lua" "http://127.0.0.1:$latch_port/api/auth/me")
    BENCH_TOKEN=$token "${bare_cmd[@]}" -d"${WARMUP_SECONDS}s" >"$OUT/me-warmup-bare.txt"
    BENCH_TOKEN=$token "${me_cmd[@]}" -d"${WARMUP_SECONDS}s" >"$OUT/me-warmup-me.txt"
    : >"$OUT/me.txt"
    for r in $(seq 1 "$ROUNDS"); do
        echo "round $r load average: $(loadavg)" >>"$OUT/me.txt"
        c0=$(cpu_ticks "$bare_pid")
        "${bare_cmd[@]}" -d"${SECONDS_PER_RUN}s" >"$OUT/me-round$r-bare.txt"
        b_cpu=$(cpu_per_request "$OUT/me-round$r-bare.txt" $(($(cpu_ticks "$bare_pid") - c0)))
        c0=$(cpu_ticks "$LATCH_PID")
        BENCH_TOKEN=$token "${me_cmd[@]}" -d"${SECONDS_PER_RUN}s" >"$OUT/me-round$r-me.txt"
        m_cpu=$(cpu_per_request "$OUT/me-round$r-me.txt" $(($(cpu_ticks "$LATCH_PID") - c0)))
        bare=$(wrk_numbers "$OUT/me-round$r-bare.txt")
        me=$(wrk_numbers "$OUT/me-round$r-me.txt")
        echo "round $r bare $bare cpu_us_per_req $b_cpu me $me cpu_us_per_req $m_cpu" >>"$OUT/me.txt"
        read -r b_rps b_p50 b_p99 <<<"$bare"
        read -r m_rps m_p50 m_p99 <<<"$me"
        log "$(printf '4 me round %d      bare %s req/s (p50 %s, p99 %s); /me %s req/s (p50 %s, p99 %s); ratio %s%%  target >= 80%%: %s' \
            "$r" "$b_rps" "$b_p50" "$b_p99" "$m_rps" "$m_p50" "$m_p99" "$(ratio "$m_rps" "$b_rps")" \
            "$(verdict "$(ratio "$m_rps" "$b_rps")" '>=' 80)")"
        log "$(printf '  server CPU/req  bare %s us, /me %s us (bare/me = %s%%)' "$b_cpu" "$m_cpu" "$(ratio "$b_cpu" "$m_cpu")")"
    done
    local pooled
    pooled=$(awk '$1 == "round" && $3 == "bare" { b += $4; m += $10; bc += $8; mc += $14; n++ }
        END { printf "%d %.0f %.0f %.1f %.0f %.0f", n, b / n, m / n, 100 * m / b, bc / n, mc / n }' "$OUT/me.txt")
    read -r r b_rps m_rps pooled b_cpu m_cpu <<<"$pooled"
    log "$(printf '4 me, all %d rounds: bare %s req/s, /me %s req/s on average; ratio %s%%  target >= 80%%: %s; CPU/req bare %s us, /me %s us' \
        "$r" "$b_rps" "$m_rps" "$pooled" "$(verdict "$pooled" '>=' 80)" "$b_cpu" "$m_cpu")"
    stop "$bare_pid"
    stop "$LATCH_PID"
}

# ---------------------------------------------------------------------------------------------------------------
# 5. Sign-ins per second >= 85% of the raw Argon2id verify rate, one verifying thread per core.
#    Alternates the raw rate and the HTTP rate; wrk keeps 8 sign-ins in flight so both cores stay busy. The raw rate
#    runs with glibc's default arenas, so it is the machine's ceiling, not a figure shaped by Latch's settings.

bench_login() {
    local port base r raw login_rps l_p50 l_p99 c0 http_cpu raw_cpu
    port=$(free_port)
    base=http://127.0.0.1:$port
    start_latch "$TMP/login" "$port" LOGIN_MAX_ATTEMPTS_PER_IP=1000000
    wait_ok "$base/api/health" 30 || die "Latch did not start; see $TMP/login/latch.log"
    setup_and_login "$base" >/dev/null
    local login_cmd=(wrk -t2 -c8 --timeout 10s --latency -s "$ROOT/bench/lua/login.lua" "$base/api/auth/login")
    "${login_cmd[@]}" -d3s >"$OUT/login-warmup.txt"
    : >"$OUT/login.txt"
    for r in $(seq 1 "$ROUNDS"); do
        echo "round $r load average: $(loadavg)" >>"$OUT/login.txt"
        java "${JVM[@]}" -cp "$JAR:$CLASSES" Argon2Rate "$ARGON2_MEMORY_KIB" "$ARGON2_ITERATIONS" "$ARGON2_PARALLELISM" \
            "$CORES" "$SECONDS_PER_RUN" >"$OUT/login-round$r-raw.txt"
        c0=$(cpu_ticks "$LATCH_PID")
        "${login_cmd[@]}" -d"${SECONDS_PER_RUN}s" >"$OUT/login-round$r-http.txt"
        http_cpu=$(cpu_per_request "$OUT/login-round$r-http.txt" $(($(cpu_ticks "$LATCH_PID") - c0)))
        raw=$(sed -n 's/.*rate=\([0-9.]*\)\/s.*/\1/p' "$OUT/login-round$r-raw.txt")
        raw_cpu=$(sed -n 's/.*cpu_ms_per_verify=\([0-9.]*\).*/\1/p' "$OUT/login-round$r-raw.txt")
        http_cpu=$(awk -v us="$http_cpu" 'BEGIN { printf "%.1f", us / 1000 }')
        read -r login_rps l_p50 l_p99 <<<"$(wrk_numbers "$OUT/login-round$r-http.txt")"
        echo "round $r raw $raw cpu_ms_per_verify $raw_cpu http $login_rps $l_p50 $l_p99 cpu_ms_per_login $http_cpu" >>"$OUT/login.txt"
        log "$(printf '5 login round %d   raw Argon2id %s verifies/s (%d threads); HTTP sign-in %s req/s (p50 %s, p99 %s); ratio %s%%  target >= 85%%: %s' \
            "$r" "$raw" "$CORES" "$login_rps" "$l_p50" "$l_p99" "$(ratio "$login_rps" "$raw")" \
            "$(verdict "$(ratio "$login_rps" "$raw")" '>=' 85)")"
        log "$(printf '  CPU             raw %s ms per verify, Latch %s ms per sign-in (raw/Latch = %s%%)' \
            "$raw_cpu" "$http_cpu" "$(ratio "$raw_cpu" "$http_cpu")")"
    done
    echo "RSS after the sign-in load: $(rss_kib "$LATCH_PID" VmRSS) KiB, peak $(rss_kib "$LATCH_PID" VmHWM) KiB" >>"$OUT/login.txt"
    stop "$LATCH_PID"
    # One round swings with whatever else the host runs in those seconds; all rounds together swing less.
    local pooled
    pooled=$(awk '$1 == "round" && $3 == "raw" { raw += $4; http += $8; n++ }
        END { printf "%d %.2f %.2f %.1f", n, raw / n, http / n, 100 * http / raw }' "$OUT/login.txt")
    read -r r raw login_rps pooled <<<"$pooled"
    log "$(printf '5 login, all %d rounds: raw %s verifies/s, HTTP %s sign-ins/s on average; ratio %s%%  target >= 85%%: %s' \
        "$r" "$raw" "$login_rps" "$pooled" "$(verdict "$pooled" '>=' 85)")"
    bench_login_overhead
}

# What a sign-in costs besides the hash: the same sign-ins against a Latch whose Argon2 cost is the smallest
# allowed, so what is left is JSON, SQLite, the JWT, the cookie and the audit line. A figure the host's other
# load hardly moves, to read the ratio above against.
bench_login_overhead() {
    local port base c0 cpu
    port=$(free_port)
    base=http://127.0.0.1:$port
    start_latch "$TMP/login-cheap" "$port" LOGIN_MAX_ATTEMPTS_PER_IP=1000000 LATCH_ARGON2_MEMORY_KIB=8 LATCH_ARGON2_ITERATIONS=1
    wait_ok "$base/api/health" 30 || die "Latch did not start; see $TMP/login-cheap/latch.log"
    setup_and_login "$base" >/dev/null
    local login_cmd=(wrk -t2 -c8 --timeout 10s --latency -s "$ROOT/bench/lua/login.lua" "$base/api/auth/login")
    "${login_cmd[@]}" -d3s >"$OUT/login-cheap-warmup.txt"
    c0=$(cpu_ticks "$LATCH_PID")
    "${login_cmd[@]}" -d"${SECONDS_PER_RUN}s" >"$OUT/login-cheap.txt"
    cpu=$(cpu_per_request "$OUT/login-cheap.txt" $(($(cpu_ticks "$LATCH_PID") - c0)))
    log "$(printf '  besides Argon2  %s us of Latch CPU per sign-in (m=8 KiB, t=1: %s sign-ins/s); with a %s ms verify that leaves %s%% of the raw rate' \
        "$cpu" "$(wrk_numbers "$OUT/login-cheap.txt" | cut -d' ' -f1)" \
        "$(awk '$1 == "round" && $3 == "raw" { c += $6; n++ } END { printf "%.1f", c / n }' "$OUT/login.txt")" \
        "$(awk -v us="$cpu" '$1 == "round" && $3 == "raw" { c += $6; n++ } END { printf "%.1f", 100 * (c / n) / (c / n + us / 1000) }' "$OUT/login.txt")")"
    stop "$LATCH_PID"
}

# ---------------------------------------------------------------------------------------------------------------

main() {
    local steps=("$@") step
    [ ${#steps[@]} -gt 0 ] || steps=(all)
    [ "${steps[0]}" != all ] || steps=(size startup rss me login)
    for step in "${steps[@]}"; do
        case $step in
            size | startup | rss | me | login) ;;
            *) die "unknown step '$step' (known: all size startup rss me login)" ;;
        esac
    done
    command -v wrk >/dev/null || die "wrk is needed: apt-get install -y wrk"
    ensure_built
    mkdir -p "$OUT"
    {
        summary_header
    } | tee "$OUT/summary.txt"
    for step in "${steps[@]}"; do
        "bench_$step"
    done
    echo "raw output: $OUT"
}

main "$@"
