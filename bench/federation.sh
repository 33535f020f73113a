#!/usr/bin/env bash
# Federation figure (BENCHMARKS.md, N4): ten Latch instances as the README runs them (target/latch), each its own
# issuer (LATCH_PUBLIC_URL=http://127.0.0.1:<port>). Instance 0 trusts the other nine; each of those mints a read
# token. At instance 0 the SFU's verify of each foreign token is timed once cold (its issuer's JWKS not yet
# fetched) and then warm, with wrk, for each issuer in turn.
#
#   bench/federation.sh            knobs: BENCH_SECONDS (5 per issuer, warm), BENCH_INSTANCES (10)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR=$ROOT/target/latch.jar
CLASSES=$ROOT/target/bench-classes
OUT=$ROOT/bench/results/federation-$(date +%Y%m%d-%H%M%S)
SECONDS_PER_RUN=${BENCH_SECONDS:-5}
INSTANCES=${BENCH_INSTANCES:-10}
CORES=$(nproc)
SECRET=bench-sfu-internal-secret-0123456789abcdef
export BENCH_SFU_SECRET=$SECRET

# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

json_field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }

main() {
    command -v wrk >/dev/null || die "wrk is needed: apt-get install -y wrk"
    [ -f "$JAR" ] && [ -x "$ROOT/target/latch" ] || (cd "$ROOT" && mvn -q package -DskipTests)
    mkdir -p "$OUT"
    read_launcher_settings
    summary_header | tee "$OUT/summary.txt"
    local i port ports=() bases=() sessions=() tokens=()
    for i in $(seq 0 $((INSTANCES - 1))); do
        port=$(free_port)
        ports+=("$port")
        bases+=("http://127.0.0.1:$port")
        mkdir -p "$TMP/i$i"
        env LATCH_SETUP_CODE=BENCH-SETUP-CODE ROMM_SFU_INTERNAL_SECRET=$SECRET LATCH_PUBLIC_URL="http://127.0.0.1:$port" \
            "$LAUNCHER" --host 127.0.0.1 --port "$port" --data-dir "$TMP/i$i" >>"$TMP/i$i/latch.log" 2>&1 &
        PIDS+=($!)
        [ "$i" = 0 ] && VERIFIER_PID=$!
    done
    for i in $(seq 0 $((INSTANCES - 1))); do
        wait_ok "${bases[$i]}/api/health" 60 || die "instance $i did not start; see $TMP/i$i/latch.log"
        curl -fs -o /dev/null -X POST -H 'Content-Type: application/json' \
            -d '{"username":"admin","password":"bench-password-123","setup_code":"BENCH-SETUP-CODE"}' "${bases[$i]}/api/setup/admin"
        sessions+=("$(curl -fs -X POST -H 'Content-Type: application/json' -d '{"username":"admin","password":"bench-password-123"}' \
            "${bases[$i]}/api/auth/login" | json_field token)")
    done
    for i in $(seq 1 $((INSTANCES - 1))); do
        curl -fs -o /dev/null -X POST -H "Authorization: Bearer ${sessions[0]}" -H 'Content-Type: application/json' \
            -d "{\"issuer\":\"${bases[$i]}\"}" "${bases[0]}/api/admin/issuers" || die "instance 0 refused to trust $i"
        tokens[$i]=$(curl -fs -X POST -H "Authorization: Bearer ${sessions[$i]}" -H 'Content-Type: application/json' \
            -d '{"token_type":"read"}' "${bases[$i]}/api/sfu/token" | json_field token)
    done
    local verify="${bases[0]}/api/sfu/internal/verify" cold=() p50s=() p99s=() rps
    for i in $(seq 1 $((INSTANCES - 1))); do
        local t status
        read -r status t <<<"$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -X POST -H "x-romm-sfu-secret: $SECRET" \
            -H 'Content-Type: application/json' -d "{\"token\":\"${tokens[$i]}\",\"consume\":false}" "$verify")"
        [ "$status" = 200 ] || die "instance 0 refused instance $i's token ($status)"
        cold+=("$(awk -v t="$t" 'BEGIN { printf "%.1f", t * 1000 }')")
    done
    log "$(printf 'N4 cold verify at instance 0 of a token from each of %d trusted instances (JWKS fetched then): ms %s' \
        $((INSTANCES - 1)) "$(printf '%s\n' "${cold[@]}" | sort -n | tr '\n' ' ')")"
    log "N4 cold: p50 $(printf '%s\n' "${cold[@]}" | median) ms, max $(printf '%s\n' "${cold[@]}" | sort -n | tail -1) ms  target < 100 ms"
    for i in $(seq 1 $((INSTANCES - 1))); do
        BENCH_TOKEN=${tokens[$i]} wrk -t2 -c8 --latency -d"${SECONDS_PER_RUN}s" -s "$ROOT/bench/lua/verify.lua" "$verify" \
            >"$OUT/warm-$i.txt"
        read -r rps p50 p99 <<<"$(wrk_numbers "$OUT/warm-$i.txt")"
        p50s+=("$p50")
        p99s+=("$p99")
        log "N4 warm, issuer $i: $rps req/s, p50 $p50, p99 $p99"
    done
    log "N4 warm verifies of foreign read tokens at instance 0 (8 connections): p50 $(printf '%s\n' "${p50s[@]}" | tr '\n' ' ')"
    log "N4 warm: p99 $(printf '%s\n' "${p99s[@]}" | tr '\n' ' ')  aim < 1 ms"
    echo "raw output: $OUT"
}

main "$@"
