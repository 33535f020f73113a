#!/usr/bin/env bash
# Netplay figures (BENCHMARKS.md, "Netplay"): Latch as the README runs it (target/latch), on loopback.
#   verify   the SFU's verify of one read token against the bare Javalin endpoint under default flags, same run:
#            sent a plain GET, and sent the same POST (headers and body); target >= 70%
#   pairs    mint + consume of write tokens over HTTP, with replays checked (bench/lua/pairs.lua); target >= 5,000
#            pairs/s with no violation. SFU_SIGNING_ALG=ES256 measures the other algorithm
#   ledger   heap per outstanding write token in the one-time ledger (LedgerFootprint); target <= 100 bytes
#
#   bench/netplay.sh [all|verify|pairs|ledger]...      knobs: BENCH_SECONDS (10), BENCH_ROUNDS (5), BENCH_THREADS (8),
#                                                       BENCH_WARMUP (45 s of load per target before the rounds)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR=$ROOT/target/latch.jar
CLASSES=$ROOT/target/bench-classes
OUT=$ROOT/bench/results/netplay-$(date +%Y%m%d-%H%M%S)
SECONDS_PER_RUN=${BENCH_SECONDS:-10}
ROUNDS=${BENCH_ROUNDS:-5}
THREADS=${BENCH_THREADS:-8}
ALG=${SFU_SIGNING_ALG:-RS256}
WARMUP_SECONDS=${BENCH_WARMUP:-45}
CORES=$(nproc)
SECRET=bench-sfu-internal-secret-0123456789abcdef
export BENCH_SFU_SECRET=$SECRET

# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

start_netplay_latch() { # dir port -> LATCH_PID
    mkdir -p "$1"
    env LATCH_SETUP_CODE=BENCH-SETUP-CODE ROMM_SFU_INTERNAL_SECRET=$SECRET SFU_MINT_PER_MINUTE=100000 SFU_SIGNING_ALG="$ALG" \
        "$LAUNCHER" --host 127.0.0.1 --port "$2" --data-dir "$1" >>"$1/latch.log" 2>&1 &
    LATCH_PID=$!
    PIDS+=("$LATCH_PID")
    wait_ok "http://127.0.0.1:$2/api/health" 30 || die "Latch did not start; see $1/latch.log"
}

admin_token() { # base -> a session token
    curl -fs -o /dev/null -X POST -H 'Content-Type: application/json' \
        -d '{"username":"admin","password":"bench-password-123","setup_code":"BENCH-SETUP-CODE"}' "$1/api/setup/admin"
    curl -fs -X POST -H 'Content-Type: application/json' -d '{"username":"admin","password":"bench-password-123"}' \
        "$1/api/auth/login" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p'
}

bench_verify() {
    local port base token read r name
    port=$(free_port)
    base=http://127.0.0.1:$port
    start_netplay_latch "$TMP/verify" "$port"
    token=$(admin_token "$base")
    read=$(curl -fs -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d '{"token_type":"read"}' \
        "$base/api/sfu/token" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
    [ -n "$read" ] || die "no read token"
    local -A url pids
    local bare_port
    bare_port=$(free_port)
    start_bare default "$bare_port"
    url[bare-default]="http://127.0.0.1:$bare_port/bare"
    url[bare-default-post]=${url[bare-default]}
    url[verify]="$base/api/sfu/internal/verify"
    pids[bare-default]=$BARE_PID
    pids[bare-default-post]=$BARE_PID
    pids[verify]=$LATCH_PID
    local names=(bare-default bare-default-post verify)
    run_one() { # name duration file
        local args=(-t2 -c16 --latency -d"$2")
        case $1 in
            verify | bare-default-post) args+=(-s "$ROOT/bench/lua/verify.lua") ;;
        esac
        BENCH_TOKEN=$read wrk "${args[@]}" "${url[$1]}" >"$3"
    }
    [ "$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "x-romm-sfu-secret: $SECRET" -H 'Content-Type: application/json' \
        -d "{\"token\":\"$read\",\"consume\":false}" "${url[verify]}")" = 200 ] || die "verify refused the read token"
    for name in "${names[@]}"; do
        run_one "$name" "${WARMUP_SECONDS}s" "$OUT/verify-warmup-$name.txt"
    done
    : >"$OUT/verify.txt"
    for r in $(seq 1 "$ROUNDS"); do
        for name in "${names[@]}"; do
            measure_round "$r" "$name" "${pids[$name]}" "$OUT/verify-round$r-$name.txt" "$OUT/verify.txt"
        done
        local line="N1 round $r"
        for name in "${names[@]}"; do
            line+="  $name $(awk -v r="$r" -v n="$name" '$2 == r && $3 == n { printf "%d req/s (p50 %s, %s us CPU)", $4, $5, $7 }' "$OUT/verify.txt")"
        done
        log "$line"
    done
    local base_name ratios med
    for base_name in bare-default bare-default-post; do
        ratios=$(awk -v b="$base_name" '$1 == "round" && $3 == b { B[$2] = $4 } $1 == "round" && $3 == "verify" { W[$2] = $4 }
            END { for (r in W) printf "%.1f\n", 100 * W[r] / B[r] }' "$OUT/verify.txt")
        med=$(median <<<"$ratios")
        log "$(printf 'N1 verify (read token) vs %-17s median of %d rounds %s%% (rounds: %s)  target >= 70%%: %s' "$base_name" \
            "$ROUNDS" "$med" "$(sort -n <<<"$ratios" | tr '\n' ' ' | sed 's/ $//')" "$(verdict "$med" '>=' 70)")"
    done
    stop "$BARE_PID"
    stop "$LATCH_PID"
}

bench_pairs() {
    local port base token r out pairs rate cpu c0 rates=() cpus=()
    port=$(free_port)
    base=http://127.0.0.1:$port
    start_netplay_latch "$TMP/pairs" "$port"
    token=$(admin_token "$base")
    # wrk, not a JVM client: the load generator shares the two cores, and the JDK's HTTP client spent as much CPU
    # per pair as Latch did. One connection per thread, so each thread's mint is followed by its own consume.
    local cmd=(wrk -t"$THREADS" -c"$THREADS" -s "$ROOT/bench/lua/pairs.lua")
    BENCH_TOKEN=$token "${cmd[@]}" -d"${WARMUP_SECONDS}s" "$base" >"$OUT/pairs-warmup.txt"
    for r in $(seq 1 "$ROUNDS"); do
        c0=$(cpu_ticks "$LATCH_PID")
        BENCH_TOKEN=$token "${cmd[@]}" -d"${SECONDS_PER_RUN}s" "$base" >"$OUT/pairs-round$r.txt"
        out=$(grep '^pairs ' "$OUT/pairs-round$r.txt")
        pairs=$(awk '{ print $2 }' <<<"$out")
        [ "$(awk '{ print $4 }' <<<"$out")" = 0 ] || die "exactly-once violated: $out"
        rate=$(awk -v p="$pairs" -v s="$SECONDS_PER_RUN" 'BEGIN { printf "%.0f", p / s }')
        cpu=$(awk -v t="$(($(cpu_ticks "$LATCH_PID") - c0))" -v hz="$(getconf CLK_TCK)" -v p="$pairs" 'BEGIN { printf "%.2f", t / hz * 1000 / p }')
        rates+=("$rate")
        cpus+=("$cpu")
        echo "round $r pairs $pairs rate $rate cpu_ms_per_pair $cpu load $(loadavg)" >>"$OUT/pairs.txt"
        log "N2 round $r  $rate pairs/s, Latch CPU $cpu ms per pair (mint + consume), no violation"
    done
    log "$(printf 'N2 mint + consume of write tokens (%s): median %s pairs/s over %d rounds, Latch CPU %s ms per pair, no violation  target >= 5000: %s' \
        "$ALG" \
        "$(printf '%s\n' "${rates[@]}" | median)" "$ROUNDS" "$(printf '%s\n' "${cpus[@]}" | median)" \
        "$(verdict "$(printf '%s\n' "${rates[@]}" | median)" '>=' 5000)")"
    stop "$LATCH_PID"
}

bench_ledger() {
    local out
    # Object layout (compressed references) is the same under the launcher's heap and this larger one; only the
    # count of tokens needs the room.
    out=$(java -Xmx1g -cp "$JAR:$CLASSES" LedgerFootprint 1000000)
    log "N3 ledger: $out  target <= 100 bytes: $(verdict "$(awk '{ print $7 }' <<<"$out")" '<=' 100)"
}

main() {
    local steps=("$@") step
    [ ${#steps[@]} -gt 0 ] || steps=(all)
    [ "${steps[0]}" != all ] || steps=(verify pairs ledger)
    command -v wrk >/dev/null || die "wrk is needed: apt-get install -y wrk"
    [ -f "$JAR" ] && [ -x "$ROOT/target/latch" ] || (cd "$ROOT" && mvn -q package -DskipTests)
    mkdir -p "$CLASSES" "$OUT"
    javac -d "$CLASSES" -cp "$JAR" "$ROOT/bench/bare/BareServer.java" "$ROOT"/bench/netplay/LedgerFootprint.java
    read_launcher_settings
    summary_header | tee "$OUT/summary.txt"
    for step in "${steps[@]}"; do
        case $step in
            verify | pairs | ledger) "bench_$step" ;;
            *) die "unknown step '$step' (known: all verify pairs ledger)" ;;
        esac
    done
    echo "raw output: $OUT"
}

main "$@"
