# Build stage: the same command as the README, inside a Maven image.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
COPY web web
RUN mvn -B -q -DskipTests -Dexec.skip=true package

# Run stage: a slim JRE, an unprivileged user, data on a volume.
FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --user-group --home-dir /data --no-create-home latch \
    && mkdir -p /data /app && chown latch:latch /data
# target/latch is the launcher: the JVM flags and glibc settings BENCHMARKS.md measures, then the jar itself.
COPY --from=build /src/target/latch /app/latch
# sqlite-jdbc's native library, which the launcher loads from here instead of copying it into /tmp on every start.
COPY --from=build /src/target/native /app/native
# The class-data archive must come from the JVM that will use it: record it here, with the runtime image's java,
# through the launcher, so it is made with the flags it is used with (the launcher finds it beside itself).
RUN chmod 755 /app/latch \
    && JAVA_OPTS="-XX:ArchiveClassesAtExit=/app/latch.jsa -Xlog:cds=off -Xlog:cds+dynamic=off -Dorg.slf4j.simpleLogger.defaultLogLevel=error" \
       /app/latch warmup && chmod 444 /app/latch.jsa
USER latch
ENV LATCH_DATA_DIR=/data \
    LATCH_PORT=8080
VOLUME ["/data"]
EXPOSE 8080
# A check is a short-lived JVM every 30 s: C1 alone is the cheaper compiler for it.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD JAVA_OPTS=-XX:TieredStopAtLevel=1 /app/latch healthcheck
ENTRYPOINT ["/app/latch"]
