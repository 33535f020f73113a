package latch.redis;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Whether the nodes keep their hot shared state in Redis (LATCH_REDIS_URL) and how long a command may take before
 * the request that needs it answers 503 (LATCH_REDIS_TIMEOUT_MS). {@code caFile}: the PEM certificate(s) a
 * {@code rediss://} server's certificate must chain to (LATCH_REDIS_CA_FILE), when not a public CA the JVM trusts.
 */
public record RedisSettings(Optional<RedisUrl> url, Duration timeout, Optional<Path> caFile) {
    public static RedisSettings none() {
        return new RedisSettings(Optional.empty(), Duration.ofSeconds(2), Optional.empty());
    }

    public boolean enabled() {
        return url.isPresent();
    }
}
