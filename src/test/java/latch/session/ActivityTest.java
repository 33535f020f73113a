package latch.session;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ActivityTest {
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");

    private static Session session(Instant lastSeen) {
        return new Session("sid", 1, SessionKind.BROWSER, null, T0.minusSeconds(3600), lastSeen, T0.plusSeconds(3600), null,
                "192.0.2.1", "test");
    }

    @Test
    void theFirstUseIsWrittenThenAtMostOncePerInterval() {
        var a = new Activity();
        assertTrue(a.seen(T0, MINUTE), "first use");
        assertFalse(a.seen(T0.plusSeconds(1), MINUTE));
        assertFalse(a.seen(T0.plusSeconds(59), MINUTE));
        assertTrue(a.seen(T0.plusSeconds(60), MINUTE), "a minute later");
        assertFalse(a.seen(T0.plusSeconds(61), MINUTE));
    }

    @Test
    void lastSeenIsTheLaterOfTheStoreAndThisProcess() {
        var a = new Activity();
        assertEquals(T0, a.lastSeen(session(T0)), "nothing seen here yet: the store's");
        a.seen(T0.plusSeconds(30), MINUTE);
        assertEquals(T0.plusSeconds(30), a.lastSeen(session(T0)));
        assertEquals(T0.plusSeconds(90), a.lastSeen(session(T0.plusSeconds(90))), "another process saw it later");
    }

    @Test
    void ofManyConcurrentRequestsOnlyOneWrites() throws Exception {
        var a = new Activity();
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            var start = new CountDownLatch(1);
            var results = new ArrayList<Future<Integer>>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    start.await();
                    int writes = 0;
                    for (int i = 0; i < 10_000; i++) {
                        writes += a.seen(T0.plusMillis(i % 50), MINUTE) ? 1 : 0;
                    }
                    return writes;
                }));
            }
            start.countDown();
            int writes = 0;
            for (Future<Integer> f : results) {
                writes += f.get(30, TimeUnit.SECONDS);
            }
            assertEquals(1, writes);
        } finally {
            pool.shutdownNow();
        }
    }
}
