#!/usr/bin/env bash
# Issue 3 figures: sign-in, user search and the first audit page with 100,000 users and 1,000,000 audit rows.
# Runs in one JVM with the launcher's flags and glibc settings (read from target/latch, as bench/run.sh does).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CORES=$(nproc)
OUT=$ROOT/bench/results/$(date +%Y%m%d-%H%M%S)-scale
mkdir -p "$OUT"
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"
[ -x "$ROOT/target/latch" ] || (cd "$ROOT" && mvn -B -q -DskipTests package)
read_launcher_settings
javac -cp "$ROOT/target/latch.jar" -d "$TMP" "$ROOT/bench/scale/ScaleBench.java"
summary_header | tee "$OUT/summary.txt"
cd "$ROOT"
env "${MALLOC_ENV[@]}" java "${JVM[@]}" -cp "target/latch.jar:$TMP" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn ScaleBench \
    | tee -a "$OUT/summary.txt"
