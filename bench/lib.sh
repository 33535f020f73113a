# Shared by bench/run.sh and bench/forwardauth.sh (sourced, not run): process bookkeeping, ports, arithmetic, and
# the two bare Javalin baselines. Expects ROOT, JAR, CLASSES and OUT to be set by the caller.

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

# Polls cost no process: a curl or sleep(1) every few milliseconds is a fork and exec each, on the same two cores
# the JVM being timed starts on. nap sleeps by reading a pipe nobody writes; port_open is bash's own connect.
exec {NAP_FD}<> <(:)
nap() { read -r -t "$1" -u "$NAP_FD" _ || true; }
port_open() { { exec {PROBE_FD}<>"/dev/tcp/$1/$2"; } 2>/dev/null || return 1; exec {PROBE_FD}>&-; }

# Waits up to $2 seconds for $1 (http://host:port/path) to answer 2xx: a connect every 5 ms, then curl once it opens.
wait_ok() {
    local url=$1 limit=$2 hostport host port deadline
    hostport=${url#http://}
    hostport=${hostport%%/*}
    host=${hostport%:*}
    port=${hostport##*:}
    deadline=$((SECONDS + limit))
    while [ "$SECONDS" -lt "$deadline" ]; do
        if port_open "$host" "$port" && curl -fs -o /dev/null --max-time 1 "$url"; then
            return 0
        fi
        nap 0.005
    done
    return 1
}

# wrk output -> "req/s p50 p99"; refuses a run with errors or non-2xx answers, which would not measure the endpoint.
wrk_numbers() {
    local file=$1
    if grep -qE 'Non-2xx|Socket errors' "$file"; then
        die "$(basename "$file"): some requests failed: $(grep -E 'Non-2xx|Socket errors' "$file" | tr -s ' ')"
    fi
    awk '/Requests\/sec:/ { rps = $2 } $1 == "50%" { p50 = $2 } $1 == "99%" { p99 = $2 } END { print rps, p50, p99 }' "$file"
}

# CPU time (user + system) a process has used, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# Server CPU microseconds per request of one wrk run: less sensitive than req/s to other load on the machine.
cpu_per_request() {
    awk -v ticks="$2" -v hz="$(getconf CLK_TCK)" '/requests in/ { n = $1 } END { printf "%.0f", ticks * 1e6 / hz / n }' "$1"
}
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# One measured run in round $1 of target $2, through the caller's run_one, charging the CPU of process $3: raw wrk
# output to $4, and "round R NAME req/s p50 p99 cpu_us_per_request load L" appended to $5.
measure_round() {
    local r=$1 name=$2 pid=$3 raw=$4 results=$5 load c0 cpu
    load=$(loadavg)
    c0=$(cpu_ticks "$pid")
    run_one "$name" "${SECONDS_PER_RUN}s" "$raw"
    cpu=$(cpu_per_request "$raw" $(($(cpu_ticks "$pid") - c0)))
    echo "round $r $name $(wrk_numbers "$raw") $cpu load $load" >>"$results"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", 100 * a / b }'; }
verdict() { awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN { ok = (op == "<=") ? v <= t : v >= t; print ok ? "meets" : "MISSES" }'; }

# Latch runs as the README runs it: target/latch, the launcher `mvn package` writes (a shell preamble with the JVM
# flags, then the jar). Its flags and glibc settings are read back from it, so a helper (the bare server, the raw
# Argon2 rate) can run "under the same flags"; JAVA_OPTS from the environment reaches Latch and those helpers alike.
LAUNCHER=$ROOT/target/latch
JVM=()
MALLOC_ENV=()
read_launcher_settings() {
    [ -x "$LAUNCHER" ] || die "$LAUNCHER is missing: mvn -B -q -DskipTests package"
    read -r -a JVM <<<"$(sed -n '/^exec /q; s/^flags="\(.*\)"$/\1/p' "$LAUNCHER") ${JAVA_OPTS:-}"
    read -r -a MALLOC_ENV <<<"$(sed -n '/^exec /q; /MALLOC_ARENA_MAX:=/p' "$LAUNCHER" | grep -o 'MALLOC_[A-Z_]*:=[0-9]*' | sed 's/:=/=/' | tr '\n' ' ')"
    [ ${#JVM[@]} -gt 0 ] || die "no flags=\"...\" line in $LAUNCHER"
}

# The bare Javalin endpoint (bench/bare/BareServer.java, Javalin from the Latch jar, one JSON route) on 127.0.0.1:$2.
#   default  the JVM's default flags and glibc's defaults: the best this machine does with Javalin (the headline)
#   same     Latch's flags and glibc settings: what Latch's own code costs on top of Javalin under them
# Sets BARE_PID.
start_bare() {
    local kind=$1 port=$2
    case $kind in
        default) env -u MALLOC_ARENA_MAX -u MALLOC_MMAP_THRESHOLD_ -u MALLOC_TRIM_THRESHOLD_ -u JAVA_TOOL_OPTIONS \
            -u JDK_JAVA_OPTIONS java -cp "$JAR:$CLASSES" BareServer "$port" >"$OUT/bare-$kind.log" 2>&1 & ;;
        same) env "${MALLOC_ENV[@]}" java "${JVM[@]}" -cp "$JAR:$CLASSES" BareServer "$port" >"$OUT/bare-$kind.log" 2>&1 & ;;
        *) die "unknown bare server '$kind'" ;;
    esac
    BARE_PID=$!
    PIDS+=("$BARE_PID")
    wait_ok "http://127.0.0.1:$port/bare" 30 || die "the bare server ($kind) did not start; see $OUT/bare-$kind.log"
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# The first lines of every summary: when, on what, with which JVM settings (expects CORES; after read_launcher_settings).
summary_header() {
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)  cores: $CORES  load average: $(loadavg)"
    echo "commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "java: $(java -version 2>&1 | head -1)"
    echo "Latch: target/latch, JVM flags: ${JVM[*]}  environment: ${MALLOC_ENV[*]:-glibc defaults}"
}
