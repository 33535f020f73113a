#!/usr/bin/env bash
# Issue 9 figures: Latch with 1,000, 100,000 and 1,000,000 unexpired revocations in its blocklist, started as the
# README runs it. For each: time to the first 200 from /api/health, time until the blocklist is in memory (from
# Latch's own log line), heap used after a full GC, RSS, and /api/auth/me throughput once the list is loaded.
#
#   bench/revocations.sh [COUNTS...]      (default: 1000 100000 1000000; a few minutes on 2 cores)
#
# Raw output and a summary go to bench/results/<timestamp>-revocations/ (git-ignored). BENCH_SECONDS sets the
# length of each wrk run (default 10).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=$ROOT/bench/results/$(date +%Y%m%d-%H%M%S)-revocations
mkdir -p "$OUT"
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"
COUNTS=("$@")
[ ${#COUNTS[@]} -gt 0 ] || COUNTS=(1000 100000 1000000)
SECONDS_PER_RUN=${BENCH_SECONDS:-10}
SETUP_CODE=BENCH-SETUP-CODE

command -v wrk >/dev/null || die "wrk is missing: apt-get install wrk"
[ -f "$ROOT/target/latch.jar" ] || (cd "$ROOT" && mvn -B -q -DskipTests package)
# The README's way to run Latch: the launcher mvn package writes, else the jar.
if [ -x "$ROOT/target/latch" ]; then RUN=("$ROOT/target/latch"); else RUN=(java -jar "$ROOT/target/latch.jar"); fi
JCMD=$(dirname "$(readlink -f "$(command -v java)")")/jcmd

start() {
    local dir=$1 port=$2
    LATCH_SETUP_CODE=$SETUP_CODE "${RUN[@]}" --host 127.0.0.1 --port "$port" --data-dir "$dir" >>"$dir/latch.log" 2>&1 &
    LATCH_PID=$!
    PIDS+=("$LATCH_PID")
}

heap_used_kib() {
    "$JCMD" "$1" GC.run >/dev/null
    "$JCMD" "$1" GC.heap_info | awk '/used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?/, "", v); s += v } } END { print s }'
}

{
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)  cores: $(nproc)  load average: $(loadavg)"
    echo "commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "run as: ${RUN[*]}"
    printf '%-12s %10s %12s %12s %10s %10s %10s\n' revocations start_ms loaded_ms heap_used_MB rss_MB me_req_s p99_ms
} | tee "$OUT/summary.txt"

for n in "${COUNTS[@]}"; do
    dir=$TMP/data-$n
    mkdir -p "$dir"
    port=$(free_port)
    base=http://127.0.0.1:$port
    # First start: schema and admin. Then the revocations go straight into the database, as a busy month leaves them.
    start "$dir" "$port"
    wait_ok "$base/api/health" 30 || die "Latch did not start"
    curl -fs -o /dev/null -X POST -H 'Content-Type: application/json' \
        -d "{\"username\":\"admin\",\"password\":\"bench-password-123\",\"setup_code\":\"$SETUP_CODE\"}" "$base/api/setup/admin"
    stop "$LATCH_PID"
    java -cp "$ROOT/target/latch.jar" "$ROOT/bench/revocations/SeedRevocations.java" "$dir" "$n" >>"$OUT/seed.log"

    : > "$dir/latch.log"
    t0=$(date +%s%N)
    start "$dir" "$port"
    wait_ok "$base/api/health" 60 || die "Latch did not start with $n revocations"
    start_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    for i in $(seq 1 600); do
        grep -q "blocklist: .* revocations in memory" "$dir/latch.log" && break
        sleep 0.05
    done
    loaded_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    grep "blocklist:" "$dir/latch.log" >>"$OUT/seed.log" || true

    token=$(curl -fs -X POST -H 'Content-Type: application/json' \
        -d '{"username":"admin","password":"bench-password-123"}' "$base/api/auth/login" | sed 's/.*"token":"\([^"]*\)".*/\1/')
    export BENCH_TOKEN=$token
    wrk -t2 -c16 -d5s -s "$ROOT/bench/lua/me.lua" "$base/api/auth/me" >/dev/null
    wrk -t2 -c16 -d"${SECONDS_PER_RUN}s" --latency -s "$ROOT/bench/lua/me.lua" "$base/api/auth/me" >"$OUT/me-$n.txt"
    rps=$(awk '/Requests\/sec/ { printf "%.0f", $2 }' "$OUT/me-$n.txt")
    p99=$(awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms/, "", v) } else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 } printf "%.2f", v }' "$OUT/me-$n.txt")
    heap=$(heap_used_kib "$LATCH_PID")
    rss=$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$LATCH_PID/status")
    printf '%-12s %10s %12s %12.1f %10.1f %10s %10s\n' "$n" "$start_ms" "$loaded_ms" "$(echo "$heap / 1024" | bc -l)" \
        "$(echo "$rss / 1024" | bc -l)" "$rps" "$p99" | tee -a "$OUT/summary.txt"
    stop "$LATCH_PID"
done
echo "results: $OUT"
