package latch.redis;

import latch.support.CuttableRelay;
import latch.support.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The wake-ups nodes send each other through Redis pub/sub: heard by every subscriber, never holding up the caller,
 * coalesced while one is on its way, and heard again after the subscriber's connection was lost and came back.
 */
class RedisNoticesTest {
    @TempDir
    Path dir;

    @Test
    void aWakeUpIsHeardAndABurstOfThemCoalesces() throws Exception {
        var executor = Executors.newSingleThreadExecutor();
        try (var sender = RedisServer.get().connect(dir); var receiver = RedisServer.get().connect(dir)) {
            String channel = sender.channel("changes");
            var heard = new AtomicInteger();
            try (var subscription = receiver.subscribe(channel, heard::incrementAndGet)) {
                awaitAtLeast(heard::get, 1, "the (re)subscription itself wakes the reader once");
                int before = heard.get();
                var announce = sender.announcer(channel, executor);
                for (int i = 0; i < 1000; i++) {
                    announce.run();
                }
                awaitAtLeast(() -> heard.get() - before, 1, "the burst is heard");
                executor.submit(() -> { }).get(5, TimeUnit.SECONDS);
                Thread.sleep(200);
                int woken = heard.get() - before;
                assertTrue(woken < 100, "1,000 calls sent " + woken + " wake-ups: at most one is waiting at a time");
            }
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void aSubscriberWhoseConnectionWasLostHearsAgainWhenItComesBack() throws Exception {
        var executor = Executors.newSingleThreadExecutor();
        int db = RedisUrl.parse(RedisServer.get().urlFor(dir)).orElseThrow().database();
        try (var relay = new CuttableRelay(RedisServer.get().port());
             var sender = RedisServer.get().connect(dir);
             var receiver = Redis.connect(new RedisSettings(RedisUrl.parse(RedisServer.url(relay.port(), db)),
                     Duration.ofMillis(500), Optional.empty()))) {
            String channel = sender.channel("changes");
            var heard = new AtomicInteger();
            try (var subscription = receiver.subscribe(channel, heard::incrementAndGet)) {
                awaitAtLeast(heard::get, 1, "subscribed");
                relay.cut();
                Thread.sleep(300);
                int whileCut = heard.get();
                sender.publish(channel);
                Thread.sleep(300);
                assertEquals(whileCut, heard.get(), "nothing is heard while the connection is down");
                relay.restore();
                // Resubscribing wakes the reader (it may have missed something), and later notices are heard again.
                awaitAtLeast(() -> heard.get() - whileCut, 1, "woken on resubscribing");
                int after = heard.get();
                var announce = sender.announcer(channel, executor);
                announce.run();
                awaitAtLeast(() -> heard.get() - after, 1, "heard again");
            }
        } finally {
            executor.shutdownNow();
        }
    }

    private static void awaitAtLeast(IntSupplier count, int expected, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (count.getAsInt() < expected) {
            assertTrue(System.nanoTime() < deadline, what + ": not within 10 s");
            Thread.sleep(10);
        }
    }
}
