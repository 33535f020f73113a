package latch.limit;

import latch.support.OnPostgresAlways;
import latch.db.Database;
import latch.db.DatabaseUrl;
import latch.support.PostgresServer;
import latch.support.RedisServer;
import latch.support.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every limit means the same on one box (buckets in memory) and on nodes sharing a PostgreSQL database or a Redis
 * server (Bucket4j's buckets there): the same counts, the same waits, the same refunds, the same refusals counted.
 */
@OnPostgresAlways
class RateLimitersTest {
    enum Where { IN_MEMORY, SHARED_DATABASE, SHARED_REDIS }

    private static final LimitPolicy THREE_A_MINUTE = new LimitPolicy("test", 3, Duration.ofSeconds(60));
    private static final String CLIENT = "203.0.113.7";

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock();
    private final CountingMetrics metrics = new CountingMetrics();
    private final List<Database> opened = new ArrayList<>();
    private final List<AutoCloseable> closing = new ArrayList<>();

    private RateLimiter limiter(Where where) {
        if (where == Where.IN_MEMORY) {
            return new LocalRateLimiter(clock, 1000, metrics);
        }
        if (where == Where.SHARED_REDIS) {
            var redis = RedisServer.get().connect(dir);
            closing.add(redis);
            return new RedisRateLimiter(redis, clock, metrics);
        }
        var db = Database.postgres(DatabaseUrl.parse(PostgresServer.get().urlFor(dir)).orElseThrow(), 4, Duration.ofSeconds(5));
        opened.add(db);
        return new SharedRateLimiter(db, clock, metrics);
    }

    @AfterEach
    void close() throws Exception {
        opened.forEach(Database::close);
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Where.class)
    void aBucketGivesItsCapacityThenSaysHowLongToWaitAndRefillsSmoothly(Where where) {
        var limiter = limiter(where);
        for (int i = 0; i < 3; i++) {
            assertEquals(0, limiter.tryConsume(THREE_A_MINUTE, CLIENT), "try " + (i + 1));
        }
        assertEquals(20, limiter.tryConsume(THREE_A_MINUTE, CLIENT), "one token comes back every 20 seconds");
        clock.advance(Duration.ofSeconds(15));
        assertEquals(5, limiter.tryConsume(THREE_A_MINUTE, CLIENT));
        clock.advance(Duration.ofSeconds(5));
        assertEquals(0, limiter.tryConsume(THREE_A_MINUTE, CLIENT), "the refilled token");
        assertEquals(20, limiter.tryConsume(THREE_A_MINUTE, CLIENT));
        clock.advance(Duration.ofMillis(19_001));
        assertEquals(1, limiter.tryConsume(THREE_A_MINUTE, CLIENT), "a part of a second is waited as a whole one");
        assertEquals(Map.of("test", 4), metrics.refusals, "every refusal counted, by limit");
    }

    @ParameterizedTest
    @EnumSource(Where.class)
    void aRefundGivesBackOneTokenAndNeverMoreThanTheCapacity(Where where) {
        var limiter = limiter(where);
        limiter.refund(THREE_A_MINUTE, "never seen");
        assertEquals(3, consumable(limiter, "never seen"), "a refund to a bucket never used leaves it at its capacity");

        assertEquals(0, limiter.tryConsume(THREE_A_MINUTE, CLIENT));
        for (int i = 0; i < 5; i++) {
            limiter.refund(THREE_A_MINUTE, CLIENT);
        }
        assertEquals(3, consumable(limiter, CLIENT), "five refunds of one token taken give back one");
        limiter.refund(THREE_A_MINUTE, CLIENT);
        assertEquals(1, consumable(limiter, CLIENT), "an empty bucket refunded gives one more, not its capacity");
    }

    @ParameterizedTest
    @EnumSource(Where.class)
    void askingHowLongToWaitTakesNothing(Where where) {
        var limiter = limiter(where);
        for (int i = 0; i < 10; i++) {
            assertEquals(0, limiter.secondsUntilFree(THREE_A_MINUTE, CLIENT));
        }
        assertEquals(3, consumable(limiter, CLIENT));
        assertEquals(20, limiter.secondsUntilFree(THREE_A_MINUTE, CLIENT));
        assertEquals(20, limiter.secondsUntilFree(THREE_A_MINUTE, CLIENT));
        assertTrue(metrics.refusals.get("test") >= 2, "a refusal announced is counted: " + metrics.refusals);
    }

    @ParameterizedTest
    @EnumSource(Where.class)
    void limitsClientsAndAccountsKeepBucketsOfTheirOwn(Where where) {
        var limiter = limiter(where);
        var other = new LimitPolicy("other", 2, Duration.ofSeconds(60));
        assertEquals(3, consumable(limiter, CLIENT));
        assertEquals(2, consumable(limiter, other, CLIENT), "another limit, the same client");
        assertEquals(3, consumable(limiter, "2001:db8:1:2::/64"), "another client");
        assertEquals(0, limiter.tryConsume(THREE_A_MINUTE, "user:7"));
        assertFalse(limiter.countReachesLimit(new LimitPolicy("failures", 2, Duration.ofHours(1)), "user:7"));
        assertTrue(limiter.countReachesLimit(new LimitPolicy("failures", 2, Duration.ofHours(1)), "user:7"),
                "the second failure of two empties the account's count");
    }

    private int consumable(RateLimiter limiter, String key) {
        return consumable(limiter, THREE_A_MINUTE, key);
    }

    /** Takes tokens until refused and says how many it got. */
    static int consumable(RateLimiter limiter, LimitPolicy policy, String key) {
        int n = 0;
        while (limiter.tryConsume(policy, key) == 0) {
            n++;
            assertTrue(n <= 100, "a bucket that never runs dry");
        }
        return n;
    }
}
