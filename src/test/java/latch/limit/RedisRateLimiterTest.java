package latch.limit;

import latch.metrics.Metrics;
import latch.redis.Redis;
import latch.redis.RedisSettings;
import latch.redis.RedisUnavailable;
import latch.redis.RedisUrl;
import latch.support.RedisServer;
import latch.support.TestClock;
import latch.support.TestLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What only the Redis buckets have: Bucket4j's Jedis back-end (built against Jedis 4) driving Jedis 8 under a
 * race on two nodes, keys that Redis forgets once their bucket is full again, and a server that is away.
 */
class RedisRateLimiterTest {
    @TempDir
    Path dir;

    private final TestClock clock = new TestClock();
    private final List<Redis> opened = new ArrayList<>();

    private RedisRateLimiter node() {
        var redis = RedisServer.get().connect(dir);
        opened.add(redis);
        return new RedisRateLimiter(redis, clock, Metrics.NONE);
    }

    @AfterEach
    void close() {
        opened.forEach(Redis::close);
    }

    @Test
    void threadsOnTwoNodesNeverTakeMoreThanTheCapacityOfOneBucket() {
        SharedRateLimiterTest.neverMoreThanTheCapacity(List.of(node(), node()));
    }

    @Test
    void aBucketsKeyLivesOnlyUntilTheBucketWouldBeFullAgain() {
        var limiter = node();
        var policy = new LimitPolicy("login", 10, Duration.ofMinutes(10));
        limiter.tryConsume(policy, "192.0.2.1");
        String key = "latch:limit:" + StoredBucketLimiter.storedKey(policy, "192.0.2.1");
        long ttl = Long.parseLong(RedisServer.get().cliIn(dir, "PTTL", key));
        // One token of ten refills in a minute; a second of slack.
        assertTrue(ttl > 55_000 && ttl <= 61_000, key + " lives " + ttl + " ms");
    }

    @Test
    void aServerThatIsAwayIsA503NotAHang() {
        var away = Redis.connect(new RedisSettings(RedisUrl.parse("redis://127.0.0.1:" + TestLatch.freePort()),
                Duration.ofMillis(300), Optional.empty()));
        opened.add(away);
        var limiter = new RedisRateLimiter(away, clock, Metrics.NONE);
        long started = System.nanoTime();
        var e = assertThrows(RedisUnavailable.class, () -> limiter.tryConsume(new LimitPolicy("login", 3, Duration.ofMinutes(1)), "x"));
        assertTrue(e.getMessage().startsWith("rate limit: "), e.getMessage());
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(5).toNanos(), "bounded by the timeout and Bucket4j's wait");
        assertEquals(RedisUnavailable.class, e.getClass());
    }
}
