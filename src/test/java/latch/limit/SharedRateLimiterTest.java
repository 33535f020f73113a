package latch.limit;

import latch.support.OnPostgresAlways;
import latch.db.Database;
import latch.db.DatabaseUrl;
import latch.metrics.Metrics;
import latch.support.PostgresServer;
import latch.support.Race;
import latch.support.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static latch.limit.RateLimitersTest.consumable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What only the shared buckets have: several nodes at once, rows that outlive a start, and their purge. */
@OnPostgresAlways
class SharedRateLimiterTest {
    @TempDir
    Path dir;

    private final TestClock clock = new TestClock();
    private final List<Database> opened = new ArrayList<>();

    /** A node's own connection pool to the one database of this test. */
    private Database node() {
        var db = Database.postgres(DatabaseUrl.parse(PostgresServer.get().urlFor(dir)).orElseThrow(), 8, Duration.ofSeconds(5));
        opened.add(db);
        return db;
    }

    private SharedRateLimiter limiter(Database db) {
        return new SharedRateLimiter(db, clock, Metrics.NONE);
    }

    private long rows(String sql) {
        return node().read(c -> {
            try (var rs = c.createStatement().executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @AfterEach
    void close() {
        opened.forEach(Database::close);
    }

    @Test
    void threadsOnTwoNodesNeverTakeMoreThanTheCapacityOfOneBucket() {
        neverMoreThanTheCapacity(List.of(limiter(node()), limiter(node())));
    }

    /** Threads on two nodes sharing buckets take exactly a bucket's capacity, never more (the bucket made in the race). */
    static void neverMoreThanTheCapacity(List<? extends RateLimiter> nodes) {
        var policy = new LimitPolicy("login", 50, Duration.ofHours(1));
        for (int round = 0; round < 3; round++) {
            String key = "198.51.100." + round;
            // Sixteen threads, half on each node, ten tries each: the bucket's row is created in the race too.
            List<Integer> taken = Race.run(16, racer -> {
                int n = 0;
                for (int i = 0; i < 10; i++) {
                    if (nodes.get((racer + i) % 2).tryConsume(policy, key) == 0) {
                        n++;
                    }
                }
                return n;
            });
            assertEquals(50, taken.stream().mapToInt(Integer::intValue).sum(), "round " + round + ": " + taken);
        }
    }

    @Test
    void bothNodesSeeOneBucketAndItsRefunds() {
        var policy = new LimitPolicy("login", 4, Duration.ofMinutes(1));
        var a = limiter(node());
        var b = limiter(node());
        assertEquals(0, a.tryConsume(policy, "192.0.2.1"));
        assertEquals(0, b.tryConsume(policy, "192.0.2.1"));
        a.refund(policy, "192.0.2.1");
        assertEquals(0, b.secondsUntilFree(policy, "192.0.2.1"));
        assertEquals(3, consumable(b, policy, "192.0.2.1"), "one refund of the two taken");
        assertEquals(15, a.secondsUntilFree(policy, "192.0.2.1"));
    }

    @Test
    void aLimitChangedBetweenStartsCountsAfreshWithItsNewNumbers() {
        var db = node();
        var before = new LimitPolicy("login", 3, Duration.ofMinutes(1));
        assertEquals(3, consumable(limiter(db), before, "192.0.2.1"));
        // The next start, with LOGIN_MAX_ATTEMPTS_PER_IP raised, then lowered with a longer window.
        var raised = new LimitPolicy("login", 5, Duration.ofMinutes(1));
        assertEquals(5, consumable(limiter(db), raised, "192.0.2.1"), "not the stored bucket, empty and three deep");
        var lowered = new LimitPolicy("login", 1, Duration.ofMinutes(10));
        var limiter = limiter(db);
        assertEquals(1, consumable(limiter, lowered, "192.0.2.1"));
        assertEquals(600, limiter.tryConsume(lowered, "192.0.2.1"), "the new window's wait");
    }

    @Test
    void aLongKeyFitsAndTwoLongKeysStayApart() {
        var policy = new LimitPolicy("reset-mail", 2, Duration.ofHours(1));
        var limiter = limiter(node());
        String long1 = "x".repeat(5000) + "1";
        String long2 = "x".repeat(5000) + "2";
        assertEquals(2, consumable(limiter, policy, long1));
        assertEquals(2, consumable(limiter, policy, long2));
        assertEquals(0, rows("SELECT COUNT(*) FROM " + SharedRateLimiter.TABLE + " WHERE length(id) > "
                + SharedRateLimiter.MAX_KEY_LENGTH), "stored by digest");
    }

    @Test
    void thePurgeDeletesBucketsThatAreFullAgainInBatchesAndKeepsTheOthers() throws Exception {
        var limiter = limiter(node());
        // Bucket4j stamps a row with the wall-clock time its bucket is full again, and the purge reads the wall clock.
        var quick = new LimitPolicy("quick", 1, Duration.ofMillis(200));
        var slow = new LimitPolicy("slow", 1, Duration.ofHours(1));
        for (int i = 0; i < 5; i++) {
            limiter.tryConsume(quick, "192.0.2." + i);
        }
        limiter.tryConsume(slow, "192.0.2.99");
        Thread.sleep(400);

        assertEquals(2, limiter.purgeExpired(2), "one batch");
        assertEquals(3, limiter.purgeExpired(100));
        assertEquals(1, rows("SELECT COUNT(*) FROM " + SharedRateLimiter.TABLE));
        assertEquals(3600, limiter.tryConsume(slow, "192.0.2.99"), "the bucket still in use kept its count");
    }

    @Test
    void itRefusesToStartOnSqlite() {
        try (var sqlite = Database.sqlite(dir.resolve("sqlite"), 1)) {
            var e = assertThrows(IllegalArgumentException.class, () -> new SharedRateLimiter(sqlite, clock, Metrics.NONE));
            assertTrue(e.getMessage().contains("PostgreSQL"), e.getMessage());
        }
    }
}
