# Build stage: the same command as the README, inside a Maven image.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
COPY web web
RUN mvn -B -q -DskipTests package

# Run stage: a slim JRE, an unprivileged user, data on a volume.
FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --user-group --home-dir /data --no-create-home latch \
    && mkdir -p /data /app && chown latch:latch /data
COPY --from=build /src/target/latch.jar /app/latch.jar
USER latch
ENV LATCH_DATA_DIR=/data \
    LATCH_PORT=8080 \
    JAVA_TOOL_OPTIONS="-XX:+UseSerialGC -Xss512k -XX:MaxRAM=256m -XX:TieredStopAtLevel=1"
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["java", "-XX:TieredStopAtLevel=1", "-jar", "/app/latch.jar", "healthcheck"]
ENTRYPOINT ["java", "-jar", "/app/latch.jar"]
