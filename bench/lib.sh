# Shared by bench/run.sh and bench/forwardauth.sh (sourced, not run): process bookkeeping, ports and arithmetic.
# Expects OUT (the results folder) to be set by the caller.

PIDS=()
TMP=$(mktemp -d)

cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do
        stop "$pid"
    done
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

die() { echo "bench: $*" >&2; exit 1; }
log() { echo "$*" | tee -a "$OUT/summary.txt"; }

# Stops one process we started: TERM, up to 10 s for a clean shutdown, then KILL.
stop() {
    local pid=$1 i
    kill -0 "$pid" 2>/dev/null || return 0
    kill "$pid" 2>/dev/null || true
    for i in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

free_port() {
    local port i
    for i in $(seq 1 100); do
        port=$((20000 + RANDOM % 20000))
        if [ -z "$(ss -Htln "sport = :$port")" ]; then
            echo "$port"
            return
        fi
    done
    die "no free port found"
}

# Polls a URL every 10 ms until it answers 2xx; fails after $2 seconds.
wait_ok() {
    local url=$1 limit=$2 i
    for i in $(seq 1 $((limit * 100))); do
        if curl -fs -o /dev/null --max-time 1 "$url"; then
            return 0
        fi
        sleep 0.01
    done
    return 1
}

# CPU time (user + system) a process has used, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# Server CPU microseconds per request of one wrk run: less sensitive than req/s to other load on the machine.
cpu_per_request() {
    awk -v ticks="$2" -v hz="$(getconf CLK_TCK)" '/requests in/ { n = $1 } END { printf "%.0f", ticks * 1e6 / hz / n }' "$1"
}
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", 100 * a / b }'; }
verdict() { awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN { ok = (op == "<=") ? v <= t : v >= t; print ok ? "meets" : "MISSES" }'; }

# The first lines of every summary: when, on what, with which JVM settings (expects CORES, JVM and MALLOC_ENV).
summary_header() {
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)  cores: $CORES  load average: $(loadavg)"
    echo "commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "java: $(java -version 2>&1 | head -1)"
    echo "JVM flags: ${JVM[*]}  environment: ${MALLOC_ENV[*]:-glibc defaults}"
}
