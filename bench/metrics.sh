#!/usr/bin/env bash
# Issue 12 figure: what metrics cost on the hot paths. Three Latch processes run side by side from target/latch, as
# the README runs it, each signed in once: METRICS_ENABLED=true (the default), METRICS_ENABLED=false (the
# baseline), and METRICS_ENABLED=false with the request lines off too (what the per-request log line costs). wrk
# -t2 -c16 alternates between them in every round on forward-auth (session cookie) and /api/auth/me (cookie); the
# figure is the median round's same-run ratio, metrics on against off. Target: metrics cost < 5%.
#
#   bench/metrics.sh       (about 4 minutes on 2 cores)
#
# Request lines go to each process's log file under the output directory, as `docker logs` would keep them.
# Knobs as in bench/forwardauth.sh: JAVA_OPTS, BENCH_SECONDS (default 8), BENCH_ROUNDS (default 3).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR=$ROOT/target/latch.jar
CLASSES=$ROOT/target/bench-classes
OUT=$ROOT/bench/results/metrics-$(date +%Y%m%d-%H%M%S)

SECONDS_PER_RUN=${BENCH_SECONDS:-8}
ROUNDS=${BENCH_ROUNDS:-3}
WARMUP_SECONDS=10
CORES=$(nproc)
USERNAME=admin PASSWORD=bench-password-123
SETUP_CODE=BENCH-SETUP-CODE

# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

declare -A PORT PID SESSION

# start NAME METRICS_ENABLED [extra JAVA_OPTS]: a fresh Latch on a free port, set up and signed in.
start() {
    local name=$1 enabled=$2 opts=${3:-} dir=$TMP/$1 base body
    mkdir -p "$dir"
    PORT[$name]=$(free_port)
    METRICS_ENABLED=$enabled JAVA_OPTS="${JAVA_OPTS:-} $opts" LATCH_SETUP_CODE=$SETUP_CODE TRUSTED_PROXIES=127.0.0.1,::1 \
        "$LAUNCHER" --host 127.0.0.1 --port "${PORT[$name]}" --data-dir "$dir" >>"$OUT/latch-$name.log" 2>&1 &
    PID[$name]=$!
    PIDS+=("${PID[$name]}")
    base=http://127.0.0.1:${PORT[$name]}
    wait_ok "$base/api/health/ready" 30 || die "Latch ($name) did not start; see $OUT/latch-$name.log"
    curl -fs -o /dev/null -X POST -H 'Content-Type: application/json' \
        -d "{\"username\":\"$USERNAME\",\"password\":\"$PASSWORD\",\"setup_code\":\"$SETUP_CODE\"}" \
        "$base/api/setup/admin" || die "setup failed ($name)"
    body=$(curl -fs -X POST -H 'Content-Type: application/json' \
        -d "{\"username\":\"$USERNAME\",\"password\":\"$PASSWORD\"}" "$base/api/auth/login") || die "login failed ($name)"
    SESSION[$name]=$(sed -n 's/.*"token":"\([^"]*\)".*/\1/p' <<<"$body")
    [ -n "${SESSION[$name]}" ] || die "no token in the login answer ($name): $body"
}

# run_one TARGET DURATION FILE, TARGET = <instance>-<fa|me>
run_one() {
    local name=${1%-*} what=${1##*-} args=(-t2 -c16 --latency -d"$2")
    args+=(-H "Cookie: latch_token=${SESSION[$name]}")
    if [ "$what" = fa ]; then
        args+=(-H "X-Forwarded-Method: GET" -H "X-Forwarded-Proto: https" -H "X-Forwarded-Host: roms.example.com"
            -H "X-Forwarded-Uri: /roms/12?x=1")
        wrk "${args[@]}" "http://127.0.0.1:${PORT[$name]}/api/authz/forward-auth" >"$3"
    else
        wrk "${args[@]}" "http://127.0.0.1:${PORT[$name]}/api/auth/me" >"$3"
    fi
}

main() {
    command -v wrk >/dev/null || die "wrk is needed: apt-get install -y wrk"
    [ -f "$JAR" ] || (cd "$ROOT" && mvn -q -o package -DskipTests)
    read_launcher_settings
    mkdir -p "$OUT"
    {
        summary_header
        echo "wrk -t2 -c16 --latency, ${WARMUP_SECONDS} s warm-up per target, then $ROUNDS rounds of ${SECONDS_PER_RUN} s each, alternating"
    } | tee "$OUT/summary.txt"
    start on true
    start off false
    start quiet false -Dorg.slf4j.simpleLogger.log.latch.requests=warn
    curl -fs -o /dev/null -H "Authorization: Bearer ${SESSION[on]}" "http://127.0.0.1:${PORT[on]}/metrics" \
        || die "/metrics does not answer on the instance with metrics on"
    local targets=(on-fa off-fa quiet-fa on-me off-me quiet-me) t r
    for t in "${targets[@]}"; do
        run_one "$t" "${WARMUP_SECONDS}s" "$OUT/warmup-$t.txt"
    done
    : >"$OUT/rounds.txt"
    for r in $(seq 1 "$ROUNDS"); do
        for t in "${targets[@]}"; do
            measure_round "$r" "$t" "${PID[${t%-*}]}" "$OUT/round$r-$t.txt" "$OUT/rounds.txt"
        done
        for what in fa me; do
            local on off quiet
            read -r _ _ _ on _ _ c_on _ <<<"$(grep "^round $r on-$what " "$OUT/rounds.txt")"
            read -r _ _ _ off _ _ c_off _ <<<"$(grep "^round $r off-$what " "$OUT/rounds.txt")"
            read -r _ _ _ quiet _ _ c_quiet _ <<<"$(grep "^round $r quiet-$what " "$OUT/rounds.txt")"
            log "$(printf 'round %d %-12s metrics on %s req/s (%s us CPU/req), off %s (%s), off and no request lines %s (%s): on/off %s%%, lines on/off %s%% (load %s)' \
                "$r" "$([ "$what" = fa ] && echo forward-auth || echo /api/auth/me)" "$on" "$c_on" "$off" "$c_off" "$quiet" "$c_quiet" \
                "$(ratio "$on" "$off")" "$(ratio "$off" "$quiet")" "$(grep "^round $r on-$what " "$OUT/rounds.txt" | sed 's/.* load //')")"
        done
    done
    local what ratios cost
    for what in fa me; do
        ratios=$(awk -v w="$what" '$1 == "round" && $3 == "on-" w { A[$2] = $4 } $1 == "round" && $3 == "off-" w { B[$2] = $4 }
            END { for (r in A) printf "%.1f\n", 100 * A[r] / B[r] }' "$OUT/rounds.txt")
        cost=$(awk -v m="$(median <<<"$ratios")" 'BEGIN { printf "%.1f", 100 - m }')
        log "$(printf '%-12s metrics on/off: median %s%% (rounds: %s), cost %s%%; target < 5%%: %s' \
            "$([ "$what" = fa ] && echo forward-auth || echo /api/auth/me)" "$(median <<<"$ratios")" \
            "$(sort -n <<<"$ratios" | tr '\n' ' ' | sed 's/ $//')" "$cost" "$(verdict "$cost" '<=' 4.999)")"
    done
    log "request lines written: $(grep -c ' requests - ' "$OUT/latch-on.log" || true) (on), $(grep -c ' requests - ' "$OUT/latch-quiet.log" || true) (quiet)"
    echo "raw output: $OUT"
}

main "$@"
