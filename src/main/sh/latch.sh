#!/bin/sh
# Latch launcher. `mvn package` writes this script followed by the jar's bytes to target/latch, so the one file is
# both a shell script and a jar: `target/latch [options]` runs Latch with the JVM settings BENCHMARKS.md measures,
# `java -jar target/latch` with the JVM's defaults. JAVA_HOME picks the JVM; JAVA_OPTS adds flags after these.
case $0 in
    */*) dir=${0%/*} ;;
    *) dir=. ;;
esac
java=java
if [ -n "${JAVA_HOME:-}" ]; then
    java=$JAVA_HOME/bin/java
fi
# glibc: one malloc arena, so each Argon2 hash (19 MiB) reuses the same memory, kept between hashes and handed back
# by the JVM's periodic trim (TrimNativeHeapInterval) rather than after every hash.
: "${MALLOC_ARENA_MAX:=1}" "${MALLOC_MMAP_THRESHOLD_:=33554432}" "${MALLOC_TRIM_THRESHOLD_:=134217728}"
export MALLOC_ARENA_MAX MALLOC_MMAP_THRESHOLD_ MALLOC_TRIM_THRESHOLD_
# The class-data archive `mvn package` records beside this file from a warm-up run; not while recording a new one.
cds=
case " ${JAVA_OPTS:-} " in
    *" -XX:ArchiveClassesAtExit="*) ;;
    *) if [ -f "$dir/latch.jsa" ]; then cds=-XX:SharedArchiveFile=$dir/latch.jsa; fi ;;
esac
# sqlite-jdbc's native library, which `mvn package` unpacks beside this file: loaded from there, it is not copied
# out of the jar into the temp directory on every start.
sqlite=
case $(uname -m) in
    x86_64 | amd64) arch=x86_64 ;;
    aarch64 | arm64) arch=aarch64 ;;
    *) arch= ;;
esac
libc=Linux
for loader in /lib/ld-musl-*; do
    if [ -e "$loader" ]; then libc=Linux-Musl; fi
done
if [ -n "$arch" ] && [ -f "$dir/native/$libc/$arch/libsqlitejdbc.so" ]; then
    sqlite="-Dorg.sqlite.lib.path=$dir/native/$libc/$arch -Dorg.sqlite.lib.name=libsqlitejdbc.so"
fi
# The JVM flags BENCHMARKS.md measures ("The configuration" says why each): the serial collector and a small heap
# with a fixed 16 MB young generation (with less, Latch collects too often under load); both JIT compilers, one
# thread each, C2 taking over later than by default so it stays out of start-up; a capped code cache; freed native
# memory handed back every 5 s (more often, a sign-in re-faults its 19 MiB after every trim).
# -XX:+IgnoreUnrecognizedVMOptions lets a JDK 17 before 17.0.9, which lacks TrimNativeHeapInterval, start anyway.
flags="-XX:+UseSerialGC -Xss512k -Xms32m -Xmx64m -Xmn16m -XX:ReservedCodeCacheSize=32m -XX:CICompilerCount=2 -XX:Tier4InvocationThreshold=40000 -XX:Tier4MinInvocationThreshold=20000 -XX:Tier4CompileThreshold=45000 -XX:Tier4BackEdgeThreshold=400000 -XX:TrimNativeHeapInterval=5000 -XX:+IgnoreUnrecognizedVMOptions"
# shellcheck disable=SC2086 # the flags and JAVA_OPTS are lists, split on spaces as every Java launcher does
exec "$java" $flags $sqlite ${cds:+"$cds"} ${JAVA_OPTS:-} -jar "$0" "$@"
