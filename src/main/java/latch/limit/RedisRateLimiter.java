package latch.limit;

import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.serialization.Mapper;
import io.github.bucket4j.redis.jedis.Bucket4jJedis;
import latch.metrics.Metrics;
import latch.redis.Redis;

import java.time.Clock;
import java.time.Duration;

/**
 * The buckets in the Redis server every node shares, through Bucket4j's own Jedis back-end: three nodes behind a
 * round-robin proxy allow what one would. Bucket4j updates a bucket by compare-and-swap (a Lua script), so
 * concurrent calls on any node never take more than its capacity; a key expires once its bucket would be full again.
 */
public final class RedisRateLimiter extends StoredBucketLimiter {
    /** A bucket other nodes keep changing is retried this long before the request fails (503) instead of spinning. */
    private static final Duration CAS_WAIT = Duration.ofSeconds(2);

    private final Redis redis;

    public RedisRateLimiter(Redis redis, Clock clock, Metrics metrics) {
        super(Bucket4jJedis.casBasedBuilder(redis.client())
                .keyMapper(Mapper.STRING)
                // Each node's clock, as the local buckets use it; the tests move it instead of sleeping.
                .clientClock(new ClockTime(clock))
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(1)))
                .requestTimeout(CAS_WAIT)
                .build(), Redis.PREFIX + "limit:", metrics);
        this.redis = redis;
    }

    @Override
    RuntimeException unavailable(RuntimeException e) {
        return redis.failed("rate limit", e);
    }
}
