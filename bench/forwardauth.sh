#!/usr/bin/env bash
# Issue 4 figures: forward-auth throughput and latency against a bare Javalin endpoint, and the latency nginx's
# auth_request to Latch adds in front of an app.
#
#   bench/forwardauth.sh [all|direct|nginx]...     (default: all; about 4 minutes on 2 cores)
#
#   direct  wrk -t2 -c16 straight at Latch, alternating rounds: bare Javalin under the JVM's default flags (the
#           headline baseline), bare Javalin under Latch's flags (plain, and sent the same cookie and X-Forwarded-*
#           headers as forward-auth, to show what parsing them costs), /api/authz/forward-auth with the session
#           cookie, the same with a client API token (Bearer latch_...), and for comparison /api/authz/auth-request
#           (cookie), /api/auth/me (cookie) and the public GET /api/auth/registration.
#   nginx   nginx on loopback in front of a tiny upstream (an nginx server block answering "ok"): (a) nginx ->
#           upstream alone; (b) the same with auth_request to Latch, exactly the README snippet (a new connection
#           to Latch for every subrequest); (c) as (b) with a keep-alive pool to Latch. Alternating rounds at 16
#           connections, then each at one connection (the latency a lone request pays, without queueing).
#
# Latch runs as the README runs it (target/latch); helpers share bench/lib.sh with bench/run.sh. Every
# server listens on 127.0.0.1 on a free port and is stopped on exit. Raw output and a summary go to
# bench/results/forwardauth-<timestamp>/ (git-ignored). Knobs, all optional, as in bench/run.sh:
#   JAVA_OPTS, BENCH_SECONDS (each measured wrk run, default 8), BENCH_ROUNDS (default 3)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR=$ROOT/target/latch.jar
CLASSES=$ROOT/target/bench-classes
OUT=$ROOT/bench/results/forwardauth-$(date +%Y%m%d-%H%M%S)

SECONDS_PER_RUN=${BENCH_SECONDS:-8}
ROUNDS=${BENCH_ROUNDS:-3}
WARMUP_SECONDS=10
C1_SECONDS=4
CORES=$(nproc)

USERNAME=admin PASSWORD=bench-password-123
SETUP_CODE=BENCH-SETUP-CODE

# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"
# wrk's latency ("812.00us", "1.83ms", "1.02s") in milliseconds.
ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'; }
diff_ms() { awk -v a="$(ms "$1")" -v b="$(ms "$2")" 'BEGIN { printf "%+.2f", a - b }'; }

# wrk output -> "req/s p50 p99" (latencies in ms); refuses a run with errors or non-2xx answers.
wrk_numbers() {
    local file=$1 rps p50 p99
    if grep -qE 'Non-2xx|Socket errors' "$file"; then
        die "$(basename "$file"): some requests failed: $(grep -E 'Non-2xx|Socket errors' "$file" | tr -s ' ')"
    fi
    read -r rps p50 p99 <<<"$(awk '/Requests\/sec:/ { rps = $2 } $1 == "50%" { p50 = $2 } $1 == "99%" { p99 = $2 } END { print rps, p50, p99 }' "$file")"
    echo "$rps $(ms "$p50") $(ms "$p99")"
}

ensure_built() {
    if [ ! -f "$JAR" ] || [ ! -x "$LAUNCHER" ]; then
        (cd "$ROOT" && mvn -q -o package -DskipTests) || (cd "$ROOT" && mvn -q package -DskipTests)
    fi
    mkdir -p "$CLASSES"
    javac -d "$CLASSES" -cp "$JAR" "$ROOT/bench/bare/BareServer.java"
}

# ---------------------------------------------------------------------------------------------------------------
# Latch with TRUSTED_PROXIES=127.0.0.1,::1 and no ACCESS_RULES_FILE (every app needs a signed-in user), a session
# token from a real sign-in, and a client API token.

LATCH_PID= LATCH_PORT= SESSION= CLIENT_TOKEN=

start_latch() {
    local dir=$TMP/latch body
    mkdir -p "$dir"
    LATCH_PORT=$(free_port)
    LATCH_SETUP_CODE=$SETUP_CODE TRUSTED_PROXIES=127.0.0.1,::1 \
        "$LAUNCHER" --host 127.0.0.1 --port "$LATCH_PORT" --data-dir "$dir" >>"$OUT/latch.log" 2>&1 &
    LATCH_PID=$!
    PIDS+=("$LATCH_PID")
    local base=http://127.0.0.1:$LATCH_PORT
    wait_ok "$base/api/health" 30 || die "Latch did not start; see $OUT/latch.log"
    curl -fs -o /dev/null -X POST -H 'Content-Type: application/json' \
        -d "{\"username\":\"$USERNAME\",\"password\":\"$PASSWORD\",\"setup_code\":\"$SETUP_CODE\"}" \
        "$base/api/setup/admin" || die "setup failed"
    body=$(curl -fs -X POST -H 'Content-Type: application/json' \
        -d "{\"username\":\"$USERNAME\",\"password\":\"$PASSWORD\"}" "$base/api/auth/login") || die "login failed"
    SESSION=$(sed -n 's/.*"token":"\([^"]*\)".*/\1/p' <<<"$body")
    [ -n "$SESSION" ] || die "no token in the login answer: $body"
    body=$(curl -fs -X POST -H 'Content-Type: application/json' -H "Authorization: Bearer $SESSION" \
        -d '{"name":"bench","scopes":["roms.read","me.read"]}' "$base/api/client-tokens") || die "client token failed"
    CLIENT_TOKEN=$(sed -n 's/.*"token":"\(latch_[^"]*\)".*/\1/p' <<<"$body")
    [ -n "$CLIENT_TOKEN" ] || die "no client token in the answer: $body"
}

FA_HEADERS=(-H "X-Forwarded-Method: GET" -H "X-Forwarded-Proto: https" -H "X-Forwarded-Host: roms.example.com"
    -H "X-Forwarded-Uri: /roms/12?x=1")

# Checks that a forward-auth answer is 200 with the user, so wrk measures the allowed path and nothing else.
check_allowed() {
    local what=$1 headers
    shift
    headers=$(curl -s -o /dev/null -D - --max-time 5 "$@")
    grep -q '^HTTP/1.1 200' <<<"$headers" && grep -qi "^Remote-User: $USERNAME" <<<"$headers" \
        || die "$what is not allowed with Remote-User: $headers"
    echo "== $what" >>"$OUT/check.txt"
    echo "$headers" >>"$OUT/check.txt"
}

# ---------------------------------------------------------------------------------------------------------------
# Figures 1 and 2: forward-auth straight at Latch against bare Javalin.

bench_direct() {
    local bare_port bare_pid default_port default_pid r i name pid
    default_port=$(free_port)
    start_bare default "$default_port"
    default_pid=$BARE_PID
    bare_port=$(free_port)
    start_bare same "$bare_port"
    bare_pid=$BARE_PID
    local latch=http://127.0.0.1:$LATCH_PORT
    local -A cmd
    cmd[bare-default]="http://127.0.0.1:$default_port/bare"
    cmd[bare]="http://127.0.0.1:$bare_port/bare"
    cmd[bare-headers]="http://127.0.0.1:$bare_port/bare"
    cmd[fa-cookie]="$latch/api/authz/forward-auth"
    cmd[fa-token]="$latch/api/authz/forward-auth"
    cmd[ar-cookie]="$latch/api/authz/auth-request"
    cmd[me-cookie]="$latch/api/auth/me"
    cmd[public]="$latch/api/auth/registration"
    local names=(bare-default bare bare-headers fa-cookie fa-token ar-cookie me-cookie public)
    run_one() { # name duration file
        local n=$1 url=${cmd[$1]} args=(-t2 -c16 --latency -d"$2")
        case $n in
            fa-cookie | bare-headers) args+=(-H "Cookie: latch_token=$SESSION" "${FA_HEADERS[@]}") ;;
            fa-token) args+=(-H "Authorization: Bearer $CLIENT_TOKEN" "${FA_HEADERS[@]}") ;;
            ar-cookie) args+=(-H "Cookie: latch_token=$SESSION" -H "X-Original-Method: GET"
                -H "X-Original-URL: https://roms.example.com/roms/12?x=1") ;;
            me-cookie) args+=(-H "Cookie: latch_token=$SESSION") ;;
        esac
        wrk "${args[@]}" "$url" >"$3"
    }
    check_allowed "forward-auth with the session cookie" -H "Cookie: latch_token=$SESSION" "${FA_HEADERS[@]}" "${cmd[fa-cookie]}"
    check_allowed "forward-auth with a client token" -H "Authorization: Bearer $CLIENT_TOKEN" "${FA_HEADERS[@]}" "${cmd[fa-token]}"
    check_allowed "auth-request with the session cookie" -H "Cookie: latch_token=$SESSION" -H "X-Original-Method: GET" \
        -H "X-Original-URL: https://roms.example.com/roms/12?x=1" "${cmd[ar-cookie]}"
    curl -fs -o /dev/null -H "Cookie: latch_token=$SESSION" "${cmd[me-cookie]}" || die "/api/auth/me with the cookie failed"

    for name in "${names[@]}"; do
        run_one "$name" "${WARMUP_SECONDS}s" "$OUT/direct-warmup-$name.txt"
    done
    : >"$OUT/direct.txt"
    for r in $(seq 1 "$ROUNDS"); do
        for name in "${names[@]}"; do
            pid=$LATCH_PID
            [[ $name != bare* ]] || pid=$bare_pid
            [[ $name != bare-default ]] || pid=$default_pid
            measure_round "$r" "$name" "$pid" "$OUT/direct-round$r-$name.txt" "$OUT/direct.txt"
        done
        local b_rps b_p50 b_p99 b_cpu d_rps d_p50 d_p99 d_cpu rps p50 p99 c
        read -r _ _ _ d_rps d_p50 d_p99 d_cpu _ <<<"$(grep "^round $r bare-default " "$OUT/direct.txt")"
        read -r _ _ _ b_rps b_p50 b_p99 b_cpu _ <<<"$(grep "^round $r bare " "$OUT/direct.txt")"
        log "$(printf 'round %d (load %s)   bare Javalin, default flags %s req/s, p50 %s ms, p99 %s ms, server CPU %s us/req' \
            "$r" "$(grep "^round $r bare-default " "$OUT/direct.txt" | sed 's/.* load //')" "$d_rps" "$d_p50" "$d_p99" "$d_cpu")"
        log "$(printf '                     bare Javalin, Latch flags   %s req/s, p50 %s ms, p99 %s ms, server CPU %s us/req' \
            "$b_rps" "$b_p50" "$b_p99" "$b_cpu")"
        for name in bare-headers fa-cookie fa-token ar-cookie me-cookie public; do
            read -r _ _ _ rps p50 p99 c _ <<<"$(grep "^round $r $name " "$OUT/direct.txt")"
            local label extra=""
            case $name in
                bare-headers) label="  bare, forward-auth headers" ;;
                fa-cookie) label="1 forward-auth, cookie      " ;;
                fa-token) label="2 forward-auth, client token" ;;
                ar-cookie) label="  auth-request, cookie      " ;;
                me-cookie) label="  /api/auth/me, cookie      " ;;
                public) label="  /api/auth/registration    " ;;
            esac
            case $name in
                fa-*) extra="  targets: >= 85% of default $(verdict "$(ratio "$rps" "$d_rps")" '>=' 85), p99 < 5 ms $(verdict "$p99" '<=' 4.999)" ;;
            esac
            log "$(printf '  %s %s req/s (%s%% of bare default, %s%% of bare same flags), p50 %s ms, p99 %s ms, CPU %s us/req (load %s)%s' \
                "$label" "$rps" "$(ratio "$rps" "$d_rps")" "$(ratio "$rps" "$b_rps")" "$p50" "$p99" "$c" \
                "$(grep "^round $r $name " "$OUT/direct.txt" | sed 's/.* load //')" "$extra")"
        done
    done
    # Single rounds swing by 15% with the host's other load: the figure is the median round's ratio, each round's
    # endpoint against the baselines measured in that same round.
    local p99 base ratios
    for name in fa-cookie fa-token ar-cookie me-cookie; do
        p99=$(awk -v name="$name" '$1 == "round" && $3 == name { print $6 }' "$OUT/direct.txt" | median)
        local line
        line=$(printf '  %d rounds, %-10s' "$ROUNDS" "$name")
        for base in bare-default bare; do
            ratios=$(awk -v w="$name" -v b="$base" '$1 == "round" && $3 == b { B[$2] = $4 } $1 == "round" && $3 == w { W[$2] = $4 }
                END { for (r in W) printf "%.1f\n", 100 * W[r] / B[r] }' "$OUT/direct.txt")
            line+=" median $(median <<<"$ratios")% of $base ($(sort -n <<<"$ratios" | tr '\n' ' ' | sed 's/ $//'));"
        done
        log "$line p99 under 5 ms in $(awk -v name="$name" '$1 == "round" && $3 == name && $6 < 5 { n++ } END { print n + 0 }' "$OUT/direct.txt") of $ROUNDS rounds (median $p99 ms)"
    done
    stop "$bare_pid"
    stop "$default_pid"
}

# ---------------------------------------------------------------------------------------------------------------
# Figure 3: nginx + auth_request + Latch against nginx alone.

nginx_binary() {
    local c
    for c in /usr/sbin/nginx /usr/bin/nginx /usr/local/sbin/nginx /usr/local/bin/nginx; do
        if [ -x "$c" ]; then
            echo "$c"
            return
        fi
    done
    die "nginx is needed: apt-get install -y nginx-light"
}

# The README's auth_request snippet; $1 is the proxy_pass target for the subrequest.
auth_location() {
    cat <<EOF
      auth_request /internal/latch;
      auth_request_set \$latch_user   \$upstream_http_remote_user;
      auth_request_set \$latch_groups \$upstream_http_remote_groups;
      auth_request_set \$latch_name   \$upstream_http_remote_name;
      auth_request_set \$latch_email  \$upstream_http_remote_email;
      auth_request_set \$latch_scopes \$upstream_http_remote_scopes;
      auth_request_set \$latch_login  \$upstream_http_location;
      proxy_set_header Remote-User   \$latch_user;
      proxy_set_header Remote-Groups \$latch_groups;
      proxy_set_header Remote-Name   \$latch_name;
      proxy_set_header Remote-Email  \$latch_email;
      proxy_set_header Remote-Scopes \$latch_scopes;
      error_page 401 =302 \$latch_login;
      proxy_pass http://127.0.0.1:$2;
    }
    location = /internal/latch {
      internal;
      proxy_pass $1;
      proxy_pass_request_body off;
      proxy_set_header Content-Length "";
      proxy_set_header X-Original-URL \$scheme://\$http_host\$request_uri;
      proxy_set_header X-Original-Method \$request_method;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
EOF
}

bench_nginx() {
    local nginx prefix port_a port_b port_c port_up nginx_pid r name c0 c1 n0 n1 load
    nginx=$(nginx_binary)
    prefix=$TMP/nginx
    mkdir -p "$prefix"
    port_a=$(free_port) port_b=$(free_port) port_c=$(free_port) port_up=$(free_port)
    # One worker, as the tests run it; access log off so the disk is not part of the figure. Three front servers
    # share the worker and the upstream: (a) no auth, (b) README snippet, (c) README snippet + keep-alive to Latch.
    cat >"$prefix/nginx.conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
pid $prefix/nginx.pid;
error_log $prefix/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $prefix/client_body;
  proxy_temp_path $prefix/proxy;
  fastcgi_temp_path $prefix/fastcgi;
  uwsgi_temp_path $prefix/uwsgi;
  scgi_temp_path $prefix/scgi;
  upstream latch_pool {
    server 127.0.0.1:$LATCH_PORT;
    keepalive 16;
  }
  server {
    listen 127.0.0.1:$port_up;
    location / { return 200 "ok"; }
  }
  server {
    listen 127.0.0.1:$port_a;
    location / { proxy_pass http://127.0.0.1:$port_up; }
  }
  server {
    listen 127.0.0.1:$port_b;
    location / {
$(auth_location "http://127.0.0.1:$LATCH_PORT/api/authz/auth-request" "$port_up")
    }
  }
  server {
    listen 127.0.0.1:$port_c;
    location / {
$(auth_location "http://latch_pool/api/authz/auth-request" "$port_up")
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
EOF
    cp "$prefix/nginx.conf" "$OUT/nginx.conf"
    "$nginx" -p "$prefix/" -c "$prefix/nginx.conf" -e "$prefix/error.log" >"$OUT/nginx.log" 2>&1 &
    nginx_pid=$!
    PIDS+=("$nginx_pid")
    wait_ok "http://127.0.0.1:$port_a/" 15 || die "nginx did not start: $(cat "$OUT/nginx.log" "$prefix/error.log" 2>/dev/null)"
    local -A port=([alone]=$port_a [auth]=$port_b [auth-keepalive]=$port_c)
    local names=(alone auth auth-keepalive)
    run_one() { # name duration file [connections]
        local c=${4:-16} t=2
        [ "$c" -ge 2 ] || t=1
        wrk -t$t -c"$c" --latency -d"$2" -H "Cookie: latch_token=$SESSION" "http://127.0.0.1:${port[$1]}/roms/12?x=1" >"$3"
    }
    for name in auth auth-keepalive; do
        local status
        status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:${port[$name]}/roms/12")
        [ "$status" = 401 ] || [ "$status" = 302 ] || die "nginx $name let an anonymous request through ($status)"
        curl -fs -o /dev/null --max-time 5 -H "Cookie: latch_token=$SESSION" "http://127.0.0.1:${port[$name]}/roms/12" \
            || die "nginx $name refused the signed-in request; see $prefix/error.log"
    done
    for name in "${names[@]}"; do
        run_one "$name" "${WARMUP_SECONDS}s" "$OUT/nginx-warmup-$name.txt"
    done
    : >"$OUT/nginx.txt"
    for r in $(seq 1 "$ROUNDS"); do
        for name in "${names[@]}"; do
            load=$(loadavg)
            c0=$(cpu_ticks "$LATCH_PID")
            n0=$(cpu_ticks "$nginx_pid")
            run_one "$name" "${SECONDS_PER_RUN}s" "$OUT/nginx-round$r-$name.txt"
            c1=$(cpu_per_request "$OUT/nginx-round$r-$name.txt" $(($(cpu_ticks "$LATCH_PID") - c0)))
            n1=$(cpu_per_request "$OUT/nginx-round$r-$name.txt" $(($(cpu_ticks "$nginx_pid") - n0)))
            echo "round $r $name $(wrk_numbers "$OUT/nginx-round$r-$name.txt") $n1 $c1 load $load" >>"$OUT/nginx.txt"
        done
        local a_rps a_p50 a_p99 a_n rps p50 p99 n c
        read -r _ _ _ a_rps a_p50 a_p99 a_n _ <<<"$(grep "^round $r alone " "$OUT/nginx.txt")"
        log "$(printf 'round %d  3a nginx -> upstream alone     %s req/s, p50 %s ms, p99 %s ms, nginx CPU %s us/req (load %s)' \
            "$r" "$a_rps" "$a_p50" "$a_p99" "$a_n" "$(grep "^round $r alone " "$OUT/nginx.txt" | sed 's/.* load //')")"
        for name in auth auth-keepalive; do
            read -r _ _ _ rps p50 p99 n c _ <<<"$(grep "^round $r $name " "$OUT/nginx.txt")"
            local label="3b + auth_request (README) "
            [ "$name" = auth ] || label="3c + auth_request, keep-alive"
            log "$(printf '         %s %s req/s, p50 %s ms (%s), p99 %s ms (%s), CPU nginx %s + Latch %s us/req (load %s)' \
                "$label" "$rps" "$p50" "$(diff_ms "$p50" "$a_p50")" "$p99" "$(diff_ms "$p99" "$a_p99")" "$n" "$c" \
                "$(grep "^round $r $name " "$OUT/nginx.txt" | sed 's/.* load //')")"
        done
        # One connection: the latency a lone request pays, without the queueing of 16 connections on 2 cores.
        for name in "${names[@]}"; do
            load=$(loadavg)
            run_one "$name" "${C1_SECONDS}s" "$OUT/nginx-round$r-$name-c1.txt" 1
            echo "round $r $name-c1 $(wrk_numbers "$OUT/nginx-round$r-$name-c1.txt") load $load" >>"$OUT/nginx.txt"
        done
        read -r _ _ _ a_rps a_p50 a_p99 _ <<<"$(grep "^round $r alone-c1 " "$OUT/nginx.txt")"
        local line="round $r  one connection (wrk -t1 -c1): alone p50 $a_p50 ms, p99 $a_p99 ms"
        for name in auth auth-keepalive; do
            read -r _ _ _ rps p50 p99 _ <<<"$(grep "^round $r $name-c1 " "$OUT/nginx.txt")"
            line+="; ${name/auth-keepalive/keep-alive} p50 $p50 ($(diff_ms "$p50" "$a_p50")), p99 $p99 ($(diff_ms "$p99" "$a_p99"))"
        done
        log "$line (load $(grep "^round $r alone-c1 " "$OUT/nginx.txt" | sed 's/.* load //'))"
    done
    stop "$nginx_pid"
}

# ---------------------------------------------------------------------------------------------------------------

main() {
    local steps=("$@") step
    [ ${#steps[@]} -gt 0 ] || steps=(all)
    [ "${steps[0]}" != all ] || steps=(direct nginx)
    for step in "${steps[@]}"; do
        case $step in
            direct | nginx) ;;
            *) die "unknown step '$step' (known: all direct nginx)" ;;
        esac
    done
    command -v wrk >/dev/null || die "wrk is needed: apt-get install -y wrk"
    ensure_built
    read_launcher_settings
    mkdir -p "$OUT"
    {
        summary_header
        echo "wrk -t2 -c16 --latency, ${WARMUP_SECONDS} s warm-up per target, then $ROUNDS rounds of ${SECONDS_PER_RUN} s each, alternating"
    } | tee "$OUT/summary.txt"
    start_latch
    for step in "${steps[@]}"; do
        "bench_$step"
    done
    stop "$LATCH_PID"
    echo "raw output: $OUT"
}

main "$@"
