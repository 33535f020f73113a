#!/usr/bin/env bash
# Several nodes (issue 14, BENCHMARKS.md "Figures (issue 14: several nodes)"): Latch as the README runs it
# (target/latch) on SQLite, on PostgreSQL alone, and on PostgreSQL + Redis. The script starts its own throwaway
# PostgreSQL cluster (Debian's binaries under /usr/lib/postgresql/*/bin, as the postgres user when run as root) and
# its own redis-server, both on free loopback ports in temporary directories, and stops them on exit.
#
#   hotpath      GET /api/auth/me (Bearer session token) and forward-auth (session cookie, X-Forwarded-*), one node
#                each on SQLite, PostgreSQL and PostgreSQL + Redis, all three started with the same flags and kept
#                running side by side; wrk -t2 -c16 loads one of them at a time, the rounds alternating all six
#                targets so a background load hits them alike. Per endpoint and shared backend: the median round's
#                req/s as % of SQLite's in the same round (target >= 90%) and the median round's p99 minus SQLite's
#                (target <= 1 ms): the hot path stays on the node
#   propagation  two nodes on one PostgreSQL database, once without Redis (LISTEN/NOTIFY) and once with it (pub/sub):
#                per sample, sign in on node A, check the token on node B, sign out on A, then poll B's /api/auth/me
#                in a tight loop until it answers 401 (bench/nodes/RevocationReach.java); p50/p99/max in ms from A's
#                sign-out answer to B's first 401 (target: within 1 s; normally milliseconds)
#   pairs        netplay write tokens minted on node A and consumed (the SFU's verify, consume: true) on node B of
#                one database, without and with Redis, alternating rounds; every 20th consume is replayed on A or B
#                and must be refused. wrk sends a thread's requests to one host only, so the client is
#                bench/nodes/CrossNodePairs.java: plain keep-alive sockets (the JDK's HTTP client cost as much CPU
#                as Latch, BENCHMARKS.md N2), BENCH_THREADS threads each with one connection to A and one to B,
#                each thread minting as a player of its own (an account and an X-Forwarded-For address).
#                Reports pairs/s, Latch CPU per pair (both nodes), the client's CPU per pair, and violations (0
#                required: a fresh token refused or a replay accepted)
#
#   bench/nodes.sh [all|hotpath|propagation|pairs]...    (default: all; about 15 minutes on 2 cores)
#
# Knobs, all optional:
#   JAVA_OPTS        extra JVM flags, read by target/latch
#   BENCH_SECONDS    length of each measured wrk or pairs run (default 10)
#   BENCH_ROUNDS     measured rounds for hotpath and pairs, alternating the backends (default 5)
#   BENCH_WARMUP     seconds of load each target gets before the measured rounds (default 45, as bench/run.sh)
#   BENCH_SAMPLES    propagation samples per backend (default 200), after 20 unmeasured ones
#   BENCH_THREADS    pairs client threads (default 8, as bench/netplay.sh)
#   BENCH_PLAYERS    accounts the pairs threads mint as, each from an address of its own (default: one per thread).
#                    1 puts every mint in one account's and one address's rate-limit buckets: on PostgreSQL
#                    without Redis each such bucket is an advisory lock, so that measures the lock, not the nodes
#   BENCH_PG_FSYNC   on: PostgreSQL writes durably. Default off, as the tests run it: the figures then leave out
#                    this VM's disk, which other guests share; the hot path writes nothing either way
#   SFU_SIGNING_ALG  RS256 (default) or ES256 for the pairs
#
# The propagation and pairs nodes hash passwords at Argon2's cheapest setting (sign-in is not what they measure, and
# a sample signs in once); the hotpath nodes run with the defaults. Raw output, each node's log and a summary go to
# bench/results/nodes-<timestamp>/ (git-ignored).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR=$ROOT/target/latch.jar
CLASSES=$ROOT/target/bench-classes
OUT=$ROOT/bench/results/nodes-$(date +%Y%m%d-%H%M%S)
SECONDS_PER_RUN=${BENCH_SECONDS:-10}
ROUNDS=${BENCH_ROUNDS:-5}
WARMUP_SECONDS=${BENCH_WARMUP:-45}
SAMPLES=${BENCH_SAMPLES:-200}
THREADS=${BENCH_THREADS:-8}
PLAYERS=${BENCH_PLAYERS:-$THREADS}
PG_FSYNC=${BENCH_PG_FSYNC:-off}
ALG=${SFU_SIGNING_ALG:-RS256}
CORES=$(nproc)

USERNAME=admin PASSWORD=bench-password-123
SETUP_CODE=BENCH-SETUP-CODE
SFU_SECRET=bench-sfu-internal-secret-0123456789abcdef
PG_PASSWORD=latch-bench-password
REDIS_PASSWORD=latch-bench-redis-password
# One key for every node of every backend, SQLite's too, so the three hotpath nodes start with the same settings.
ENCRYPTION_KEY=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')

# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

# ---------------------------------------------------------------------------------------------------------------
# PostgreSQL and Redis: started once, each scenario gets a fresh database; stopped after the nodes on exit.

PG_BIN=
PG_DIR=
PG_PORT=
REDIS_PID=
REDIS_PORT=
REDIS_DB=0

finish() {
    local pid
    # A signal that lands in lib.sh's nap (read -t) leaves bash 5.2's read timeout armed, and the next command
    # substitution aborted bash ("longjmp causes uninitialized stack frame"), leaving PostgreSQL and Redis running.
    # A read -t that runs to its end disarms it.
    nap 0.001
    for pid in "${PIDS[@]}"; do
        stop "$pid"
    done
    [ -z "$REDIS_PID" ] || stop "$REDIS_PID"
    if [ -n "$PG_DIR" ] && [ -f "$PG_DIR/data/postmaster.pid" ]; then
        as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    [ -z "$PG_DIR" ] || rm -rf "$PG_DIR"
    cleanup
}
trap finish EXIT

# PostgreSQL refuses to run as root; Debian's package made the postgres user for it.
as_postgres() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

start_postgres() {
    [ -z "$PG_PORT" ] || return 0
    PG_BIN=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -1)
    [ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ] || die "no PostgreSQL under /usr/lib/postgresql: apt-get install -y postgresql"
    # Its own directory, not under $TMP (which only root may enter), so the postgres user can own it.
    PG_DIR=$(mktemp -d)
    echo "$PG_PASSWORD" >"$PG_DIR/pw"
    [ "$(id -u)" != 0 ] || chown -R postgres "$PG_DIR"
    as_postgres "$PG_BIN/initdb" -D "$PG_DIR/data" -U latch --pwfile="$PG_DIR/pw" -A scram-sha-256 -E UTF8 \
        --locale=C.UTF-8 --no-sync >"$OUT/postgres-initdb.log" 2>&1 || die "initdb failed; see $OUT/postgres-initdb.log"
    local durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off" try
    [ "$PG_FSYNC" != on ] || durability=
    # A few tries: a port free when chosen can be taken as some other connection's local port before the bind.
    for try in 1 2 3; do
        PG_PORT=$(free_port)
        if as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w -t 60 \
            -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=32MB $durability" \
            start >/dev/null; then
            break
        fi
        [ "$try" -lt 3 ] || die "PostgreSQL did not start: $(tail -5 "$PG_DIR/log")"
    done
    log "PostgreSQL $("$PG_BIN/postgres" --version | awk '{ print $3 }') on 127.0.0.1:$PG_PORT, fsync $PG_FSYNC"
}

start_redis() {
    [ -z "$REDIS_PORT" ] || return 0
    command -v redis-server >/dev/null || die "redis-server is needed: apt-get install -y redis-server"
    mkdir -p "$TMP/redis"
    local i try
    for try in 1 2 3; do
        REDIS_PORT=$(free_port)
        redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --requirepass "$REDIS_PASSWORD" --save "" --appendonly no \
            --dir "$TMP/redis" --daemonize no --loglevel warning >>"$OUT/redis.log" 2>&1 &
        REDIS_PID=$!
        for i in $(seq 1 200); do
            [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" --no-auth-warning -a "$REDIS_PASSWORD" ping 2>/dev/null)" != PONG ] || break 2
            kill -0 "$REDIS_PID" 2>/dev/null || break
            nap 0.05
        done
        stop "$REDIS_PID"
        [ "$try" -lt 3 ] || die "redis-server did not start; see $OUT/redis.log"
    done
    log "$(redis-server --version | awk '{ print $1, $2, $3 }') on 127.0.0.1:$REDIS_PORT"
}

# The settings of backend $1 ("sqlite", "pg" or "redis") for a scenario named $2, which gets a fresh PostgreSQL
# database of that name and a Redis database of its own (of the 16 a default server has). Sets BACKEND_ENV.
backend_env() {
    BACKEND_ENV=()
    [ "$1" != sqlite ] || return 0
    case $1 in pg | redis) ;; *) die "unknown backend '$1'" ;; esac
    PGPASSWORD=$PG_PASSWORD "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U latch "$2" || die "createdb $2 failed"
    BACKEND_ENV=(LATCH_DATABASE_URL="postgres://latch:$PG_PASSWORD@127.0.0.1:$PG_PORT/$2")
    [ "$1" = redis ] || return 0
    REDIS_DB=$((REDIS_DB + 1))
    [ "$REDIS_DB" -lt 16 ] || die "out of Redis databases"
    BACKEND_ENV+=(LATCH_REDIS_URL="redis://:$REDIS_PASSWORD@127.0.0.1:$REDIS_PORT/$REDIS_DB")
}

# ---------------------------------------------------------------------------------------------------------------
# Latch nodes

declare -A PORT PID SESSION

# start_node NAME [NAME=VALUE...]: target/latch on a free port with its own data directory, ready (database,
# Redis, keys) before it returns.
start_node() {
    local name=$1 dir=$TMP/$1
    shift
    mkdir -p "$dir"
    PORT[$name]=$(free_port)
    env LATCH_SETUP_CODE=$SETUP_CODE LATCH_ENCRYPTION_KEY="$ENCRYPTION_KEY" TRUSTED_PROXIES=127.0.0.1,::1 \
        LOGIN_MAX_ATTEMPTS_PER_IP=1000000 "$@" \
        "$LAUNCHER" --host 127.0.0.1 --port "${PORT[$name]}" --data-dir "$dir" >>"$OUT/latch-$name.log" 2>&1 &
    PID[$name]=$!
    PIDS+=("${PID[$name]}")
    wait_ok "$(base "$name")/api/health/ready" 60 || die "Latch ($name) did not get ready; see $OUT/latch-$name.log"
}
base() { echo "http://127.0.0.1:${PORT[$1]}"; }

# First-run setup through node $1 (once per database), then a real sign-in there: SESSION[$1].
set_up() {
    local b body
    b=$(base "$1")
    curl -fs -o /dev/null -X POST -H 'Content-Type: application/json' \
        -d "{\"username\":\"$USERNAME\",\"password\":\"$PASSWORD\",\"setup_code\":\"$SETUP_CODE\"}" \
        "$b/api/setup/admin" || die "setup failed at $1"
    body=$(curl -fs -X POST -H 'Content-Type: application/json' \
        -d "{\"username\":\"$USERNAME\",\"password\":\"$PASSWORD\"}" "$b/api/auth/login") || die "sign-in failed at $1"
    SESSION[$1]=$(sed -n 's/.*"token":"\([^"]*\)".*/\1/p' <<<"$body")
    [ -n "${SESSION[$1]}" ] || die "no token in the sign-in answer at $1: $body"
}

stop_node() { stop "${PID[$1]}"; }
client() { java -XX:+UseSerialGC -Xmx64m -cp "$CLASSES" "$@"; }

# ---------------------------------------------------------------------------------------------------------------
# hotpath

FA_HEADERS=(-H "X-Forwarded-Method: GET" -H "X-Forwarded-Proto: https" -H "X-Forwarded-Host: roms.example.com"
    -H "X-Forwarded-Uri: /roms/12?x=1")
BACKENDS=(sqlite pg redis)

bench_hotpath() {
    local backend target r what
    for backend in "${BACKENDS[@]}"; do
        backend_env "$backend" "hot_$backend"
        start_node "hot-$backend" "${BACKEND_ENV[@]}"
        set_up "hot-$backend"
        curl -fs -o /dev/null -H "Cookie: latch_token=${SESSION[hot-$backend]}" "${FA_HEADERS[@]}" \
            "$(base "hot-$backend")/api/authz/forward-auth" || die "forward-auth did not allow the session on $backend"
    done
    log "hotpath: three nodes side by side (SQLite, PostgreSQL, PostgreSQL + Redis), one under wrk -t2 -c16 at a time;" \
        "${WARMUP_SECONDS} s warm-up per target, then $ROUNDS rounds of ${SECONDS_PER_RUN} s"
    run_one() { # target duration file; target = <backend>-<me|fa>
        local backend=${1%-*} args=(-t2 -c16 --latency -d"$2")
        if [ "${1##*-}" = fa ]; then
            args+=(-H "Cookie: latch_token=${SESSION[hot-$backend]}" "${FA_HEADERS[@]}")
            wrk "${args[@]}" "$(base "hot-$backend")/api/authz/forward-auth" >"$3"
        else
            BENCH_TOKEN=${SESSION[hot-$backend]} wrk "${args[@]}" -s "$ROOT/bench/lua/me.lua" "$(base "hot-$backend")/api/auth/me" >"$3"
        fi
    }
    local targets=()
    for what in me fa; do
        for backend in "${BACKENDS[@]}"; do
            targets+=("$backend-$what")
        done
    done
    for target in "${targets[@]}"; do
        run_one "$target" "${WARMUP_SECONDS}s" "$OUT/hotpath-warmup-$target.txt"
    done
    local results=$OUT/hotpath.txt
    : >"$results"
    for r in $(seq 1 "$ROUNDS"); do
        for target in "${targets[@]}"; do
            measure_round "$r" "$target" "${PID[hot-${target%-*}]}" "$OUT/hotpath-round$r-$target.txt" "$results"
        done
        local line="H round $r (load $(awk -v r="$r" '$2 == r { print $9, $10, $11; exit }' "$results"))"
        for target in "${targets[@]}"; do
            line+="  $target $(awk -v r="$r" -v t="$target" '$2 == r && $3 == t { printf "%.0f req/s p99 %s (%s us)", $4, $6, $7 }' "$results")"
        done
        log "$line"
    done
    # p99 in ms beside each round's line, so the medians below read one unit.
    awk '{ v = $6; n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /[0-9]s$/) n *= 1000; print $0, "p99_ms", n }' \
        "$results" >"$results.ms"
    local med_rps med_p99 med_cpu
    for what in me fa; do
        for backend in "${BACKENDS[@]}"; do
            med_rps=$(awk -v t="$backend-$what" '$3 == t { print $4 }' "$results.ms" | median)
            med_p99=$(awk -v t="$backend-$what" '$3 == t { print $13 }' "$results.ms" | median)
            med_cpu=$(awk -v t="$backend-$what" '$3 == t { print $7 }' "$results.ms" | median)
            log "$(printf 'H %-2s %-6s median of %d rounds: %.0f req/s, p99 %.2f ms, %s us of Latch CPU per request' \
                "$what" "$backend" "$ROUNDS" "$med_rps" "$med_p99" "$med_cpu")"
        done
        for backend in pg redis; do
            local ratios diffs med_ratio med_diff
            # Each round against SQLite in the same round; the figure is the median round.
            ratios=$(awk -v w="$what" -v b="$backend" '$3 == "sqlite-" w { S[$2] = $4 } $3 == b "-" w { B[$2] = $4 }
                END { for (r in B) printf "%.1f\n", 100 * B[r] / S[r] }' "$results.ms")
            diffs=$(awk -v w="$what" -v b="$backend" '$3 == "sqlite-" w { S[$2] = $13 } $3 == b "-" w { B[$2] = $13 }
                END { for (r in B) printf "%.2f\n", B[r] - S[r] }' "$results.ms")
            med_ratio=$(median <<<"$ratios")
            med_diff=$(median <<<"$diffs")
            log "$(printf 'H %-2s %-6s vs sqlite: %s%% of its req/s (rounds: %s), target >= 90%%: %s; p99 %+.2f ms (rounds: %s), target <= +1 ms: %s' \
                "$what" "$backend" "$med_ratio" "$(sort -n <<<"$ratios" | tr '\n' ' ' | sed 's/ $//')" \
                "$(verdict "$med_ratio" '>=' 90)" "$med_diff" "$(sort -n <<<"$diffs" | tr '\n' ' ' | sed 's/ $//')" \
                "$(verdict "$med_diff" '<=' 1)")"
        done
    done
    for backend in "${BACKENDS[@]}"; do
        stop_node "hot-$backend"
    done
}

# ---------------------------------------------------------------------------------------------------------------
# propagation

CHEAP_HASH=(LATCH_ARGON2_MEMORY_KIB=8 LATCH_ARGON2_ITERATIONS=1)

bench_propagation() {
    local backend feed out
    for backend in pg redis; do
        feed="LISTEN/NOTIFY"
        [ "$backend" = pg ] || feed="Redis pub/sub"
        backend_env "$backend" "prop_$backend"
        start_node "prop-$backend-a" "${BACKEND_ENV[@]}" "${CHEAP_HASH[@]}"
        set_up "prop-$backend-a"
        start_node "prop-$backend-b" "${BACKEND_ENV[@]}" "${CHEAP_HASH[@]}"
        local a b
        a=$(base "prop-$backend-a")
        b=$(base "prop-$backend-b")
        client RevocationReach "$a" "$b" "$USERNAME" "$PASSWORD" 20 "$OUT/propagation-$backend-warmup.txt" >/dev/null
        local load0
        load0=$(loadavg)
        out=$(client RevocationReach "$a" "$b" "$USERNAME" "$PASSWORD" "$SAMPLES" "$OUT/propagation-$backend.txt")
        echo "$backend $out load $load0 / $(loadavg)" >>"$OUT/propagation.txt"
        log "$(awk -v name="$backend" -v feed="$feed" -v load="$load0" '{
            printf "P %-6s (%s) sign-out on A to first 401 on B, %d samples: p50 %s ms, p99 %s ms, max %s ms; refused at B'"'"'s first poll %d times, median %d polls, one /me round trip p50 %s ms (load %s)  target <= 1000 ms: %s",
                name, feed, $2, $4, $6, $8, $11, $13, $15, load, ($8 <= 1000) ? "meets" : "MISSES" }' <<<"$out")"
        stop_node "prop-$backend-b"
        stop_node "prop-$backend-a"
    done
}

# ---------------------------------------------------------------------------------------------------------------
# pairs

# PLAYERS viewers created through node pairs-$1-a and signed in each from an address of their own, as
# CrossNodePairs sends them (198.51.100.N in X-Forwarded-For): SESSION[players-$1], their tokens comma-separated.
players() {
    local node=pairs-$1-a b i body token tokens=
    b=$(base "$node")
    for i in $(seq 1 "$PLAYERS"); do
        curl -fs -o /dev/null -X POST -H "Authorization: Bearer ${SESSION[$node]}" -H 'Content-Type: application/json' \
            -d "{\"username\":\"player$i\",\"password\":\"$PASSWORD\",\"role\":\"viewer\"}" "$b/api/users" \
            || die "creating player$i failed at $node"
        body=$(curl -fs -X POST -H 'Content-Type: application/json' -H "X-Forwarded-For: 198.51.100.$i" \
            -d "{\"username\":\"player$i\",\"password\":\"$PASSWORD\"}" "$b/api/auth/login") || die "player$i could not sign in at $node"
        token=$(sed -n 's/.*"token":"\([^"]*\)".*/\1/p' <<<"$body")
        [ -n "$token" ] || die "no token for player$i at $node: $body"
        tokens+=${tokens:+,}$token
    done
    SESSION[players-$1]=$tokens
}

bench_pairs() {
    local backend r out pairs violations failures rate cpu client_cpu c0
    for backend in pg redis; do
        backend_env "$backend" "pairs_$backend"
        local env=("${BACKEND_ENV[@]}" "${CHEAP_HASH[@]}" ROMM_SFU_INTERNAL_SECRET=$SFU_SECRET SFU_MINT_PER_MINUTE=100000
            SFU_SIGNING_ALG="$ALG")
        start_node "pairs-$backend-a" "${env[@]}"
        set_up "pairs-$backend-a"
        players "$backend"
        start_node "pairs-$backend-b" "${env[@]}"
    done
    log "pairs ($ALG): mint on node A, consume on node B, $THREADS client threads as $PLAYERS players;" \
        "${WARMUP_SECONDS} s warm-up per backend, then $ROUNDS rounds of ${SECONDS_PER_RUN} s alternating"
    pairs_run() { # backend seconds -> the client's line
        client CrossNodePairs "$(base "pairs-$1-a")" "$(base "pairs-$1-b")" "${SESSION[players-$1]}" "$SFU_SECRET" "$THREADS" "$2"
    }
    for backend in pg redis; do
        out=$(pairs_run "$backend" "$WARMUP_SECONDS")
        echo "warmup $backend $out" >>"$OUT/pairs.txt"
        [ "$(awk '{ print $4 }' <<<"$out")" = 0 ] || die "exactly-once violated in the warm-up ($backend): $out"
    done
    local hz
    hz=$(getconf CLK_TCK)
    for r in $(seq 1 "$ROUNDS"); do
        for backend in pg redis; do
            local load0
            load0=$(loadavg)
            c0=$(($(cpu_ticks "${PID[pairs-$backend-a]}") + $(cpu_ticks "${PID[pairs-$backend-b]}")))
            out=$(pairs_run "$backend" "$SECONDS_PER_RUN")
            cpu=$(($(cpu_ticks "${PID[pairs-$backend-a]}") + $(cpu_ticks "${PID[pairs-$backend-b]}") - c0))
            read -r _ pairs _ violations _ _ _ failures _ client_cpu <<<"$out"
            [ "$violations" = 0 ] || die "exactly-once violated ($backend, round $r): $out"
            [ "$failures" = 0 ] || die "requests failed ($backend, round $r): $out; see $OUT/latch-pairs-$backend-*.log"
            rate=$(awk -v p="$pairs" -v s="$SECONDS_PER_RUN" 'BEGIN { printf "%.0f", p / s }')
            cpu=$(awk -v t="$cpu" -v hz="$hz" -v p="$pairs" 'BEGIN { printf "%.2f", t / hz * 1000 / p }')
            client_cpu=$(awk -v c="$client_cpu" -v p="$pairs" 'BEGIN { printf "%.2f", c / p }')
            echo "round $r $backend pairs $pairs rate $rate cpu_ms_per_pair $cpu client_cpu_ms_per_pair $client_cpu load $load0 / $(loadavg) $out" >>"$OUT/pairs.txt"
            log "$(printf "X round %d %-6s" "$r" "$backend") $rate pairs/s, Latch CPU $cpu ms per pair (both nodes), client $client_cpu ms, no violation (load $load0)"
        done
    done
    local rates
    pairs_column() { awk -v b="$1" -v f="$2" '$1 == "round" && $3 == b { print $f }' "$OUT/pairs.txt"; }
    for backend in pg redis; do
        rates=$(pairs_column "$backend" 7)
        log "$(printf 'X %-6s mint on A + consume on B (%s): median %s pairs/s over %d rounds (rounds: %s), Latch CPU %s ms per pair (both nodes), client %s ms; no violation' \
            "$backend" "$ALG" "$(median <<<"$rates")" "$ROUNDS" "$(sort -n <<<"$rates" | tr '\n' ' ' | sed 's/ $//')" \
            "$(pairs_column "$backend" 9 | median)" "$(pairs_column "$backend" 11 | median)")"
    done
    for backend in pg redis; do
        stop_node "pairs-$backend-b"
        stop_node "pairs-$backend-a"
    done
}

# ---------------------------------------------------------------------------------------------------------------

main() {
    local steps=("$@") step
    [ ${#steps[@]} -gt 0 ] || steps=(all)
    [ "${steps[0]}" != all ] || steps=(hotpath propagation pairs)
    for step in "${steps[@]}"; do
        case $step in
            hotpath | propagation | pairs) ;;
            *) die "unknown step '$step' (known: all hotpath propagation pairs)" ;;
        esac
    done
    command -v wrk >/dev/null || die "wrk is needed: apt-get install -y wrk"
    [ -f "$JAR" ] && [ -x "$LAUNCHER" ] || (cd "$ROOT" && mvn -q -o package -DskipTests) || (cd "$ROOT" && mvn -q package -DskipTests)
    mkdir -p "$CLASSES" "$OUT"
    javac -d "$CLASSES" -cp "$JAR" "$ROOT"/bench/nodes/*.java
    read_launcher_settings
    summary_header | tee "$OUT/summary.txt"
    start_postgres
    start_redis
    for step in "${steps[@]}"; do
        "bench_$step"
    done
    echo "raw output: $OUT"
}

main "$@"
