#!/usr/bin/env bash
# Issue 3 figures: sign-in, user search and the first audit page with 100,000 users and 1,000,000 audit rows.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/latch.jar ] || mvn -B -q -DskipTests package
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
javac -cp target/latch.jar -d "$out" bench/scale/ScaleBench.java
java -XX:+UseSerialGC -Xss512k -XX:MaxRAM=512m -cp "target/latch.jar:$out" \
     -Dorg.slf4j.simpleLogger.defaultLogLevel=warn ScaleBench
