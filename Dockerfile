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
COPY --from=build /src/target/latch.jar /app/latch.jar
# The class-data archive must come from the JVM that will use it: record it here, with the runtime image's java.
RUN java -XX:ArchiveClassesAtExit=/app/latch.jsa -Xlog:cds=off -Xlog:cds+dynamic=off -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
        -jar /app/latch.jar warmup && chmod 444 /app/latch.jsa
USER latch
# Footprint flags measured in BENCHMARKS.md; the MALLOC_* settings are glibc's and keep Argon2's memory in one arena.
ENV LATCH_DATA_DIR=/data \
    LATCH_PORT=8080 \
    MALLOC_ARENA_MAX=1 \
    MALLOC_MMAP_THRESHOLD_=33554432 \
    MALLOC_TRIM_THRESHOLD_=134217728 \
    JAVA_TOOL_OPTIONS="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -Xms16m -Xmx64m -XX:TrimNativeHeapInterval=5000"
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["java", "-XX:TieredStopAtLevel=1", "-jar", "/app/latch.jar", "healthcheck"]
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/app/latch.jsa", "-Xlog:cds=off", "-jar", "/app/latch.jar"]
