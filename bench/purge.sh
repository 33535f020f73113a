#!/usr/bin/env bash
# Issue 12 figure: the purge of 1,000,000 expired audit events while /api/auth/me is under load. Latch starts as
# the README runs it (target/latch) on a database seeded with N events past the 90-day retention; the purge runs
# 30 s after start (its first scheduled run). /api/auth/me is measured with wrk in slices of BENCH_SLICE seconds:
# before the purge, then until the purge's log line says it is done. Target: p99 during the purge < 20 ms.
#
#   bench/purge.sh [N]      (default 1000000; about 2 minutes on 2 cores)
#
# Raw output and a summary go to bench/results/<timestamp>-purge/ (git-ignored). BENCH_CONNECTIONS (default 4)
# sets wrk's connections: enough to keep Latch busy without queueing requests behind each other on 2 cores.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=$ROOT/bench/results/$(date +%Y%m%d-%H%M%S)-purge
mkdir -p "$OUT"
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"
N=${1:-1000000}
SLICE=${BENCH_SLICE:-5}
CONNECTIONS=${BENCH_CONNECTIONS:-4}
SETUP_CODE=BENCH-SETUP-CODE

command -v wrk >/dev/null || die "wrk is missing: apt-get install wrk"
[ -x "$ROOT/target/latch" ] || die "target/latch is missing: mvn -B -q -DskipTests package"
RUN=("$ROOT/target/latch")
dir=$TMP/data
mkdir -p "$dir"
port=$(free_port)
base=http://127.0.0.1:$port

start() {
    LATCH_SETUP_CODE=$SETUP_CODE "${RUN[@]}" --host 127.0.0.1 --port "$port" --data-dir "$dir" >>"$dir/latch.log" 2>&1 &
    LATCH_PID=$!
    PIDS+=("$LATCH_PID")
}
ms() { awk '{ v = $1; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms/, "", v) } else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 } printf "%.2f", v }' <<<"$1"; }
slice() { # name -> "req/s p50_ms p99_ms" from one wrk slice, raw output kept
    wrk -t1 -c"$CONNECTIONS" -d"${SLICE}s" --latency -s "$ROOT/bench/lua/me.lua" "$base/api/auth/me" >"$OUT/$1.txt"
    read -r rps p50 p99 <<<"$(wrk_numbers "$OUT/$1.txt")"
    echo "$rps $(ms "$p50") $(ms "$p99")"
}

# First start: schema and admin. Then the events go straight into the database, as a year and more of use leaves them.
start
wait_ok "$base/api/health" 30 || die "Latch did not start"
curl -fs -o /dev/null -X POST -H 'Content-Type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"bench-password-123\",\"setup_code\":\"$SETUP_CODE\"}" "$base/api/setup/admin"
stop "$LATCH_PID"
java -cp "$ROOT/target/latch.jar" "$ROOT/bench/purge/SeedAudit.java" "$dir" "$N" >"$OUT/seed.log"

: >"$dir/latch.log"
t0=$(date +%s)
start
wait_ok "$base/api/health" 60 || die "Latch did not start"
BENCH_TOKEN=$(curl -fs -X POST -H 'Content-Type: application/json' \
    -d '{"username":"admin","password":"bench-password-123"}' "$base/api/auth/login" | sed 's/.*"token":"\([^"]*\)".*/\1/')
export BENCH_TOKEN

{
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)  cores: $(nproc)  load average: $(loadavg)"
    echo "commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "run as: ${RUN[*]}; $N expired audit events; wrk -t1 -c$CONNECTIONS, slices of ${SLICE} s"
    printf '%-8s %-7s %8s %8s %8s  %s\n' slice at_s req_s p50_ms p99_ms load
} | tee "$OUT/summary.txt"

wrk -t1 -c"$CONNECTIONS" -d5s -s "$ROOT/bench/lua/me.lua" "$base/api/auth/me" >/dev/null # warm-up
# Before: slices that end before the purge's first run, 30 s after start.
i=0
while [ $(( $(date +%s) - t0 + SLICE )) -lt 29 ]; do
    i=$((i + 1))
    at=$(( $(date +%s) - t0 ))
    printf '%-8s %-7s %8s %8s %8s  %s\n' "before$i" "$at" $(slice "before$i") "$(loadavg)" | tee -a "$OUT/summary.txt"
done
while [ $(( $(date +%s) - t0 )) -lt 30 ]; do nap 0.1; done
# During: slices until the purge reports what it deleted.
i=0
while ! grep -q "purged .*audit_events" "$dir/latch.log"; do
    i=$((i + 1))
    [ "$i" -le 120 ] || die "the purge did not finish in 10 minutes"
    at=$(( $(date +%s) - t0 ))
    printf '%-8s %-7s %8s %8s %8s  %s\n' "during$i" "$at" $(slice "during$i") "$(loadavg)" | tee -a "$OUT/summary.txt"
done
done_at=$(( $(date +%s) - t0 ))
printf '%-8s %-7s %8s %8s %8s  %s\n' "after" "$(( $(date +%s) - t0 ))" $(slice after) "$(loadavg)" | tee -a "$OUT/summary.txt"
{
    echo "purge finished by ${done_at} s after start: $(grep -o 'purged .*' "$dir/latch.log" | head -1)"
    awk '$1 ~ /^before/ { if ($5 > b) b = $5 } $1 ~ /^during/ { if ($5 > d) d = $5; n++ }
         END { printf "p99 before: worst slice %.2f ms; during the purge (%d slices): worst slice %.2f ms -> %s (target < 20 ms)\n",
               b, n, d, (d < 20 ? "meets" : "MISSES") }' "$OUT/summary.txt"
} | tee -a "$OUT/summary.txt"
echo "results: $OUT"
