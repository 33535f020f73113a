package latch.audit;

import latch.redis.Redis;
import latch.redis.RedisSettings;
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

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The refusal windows in Redis hold what the database's hold, and a Redis that is away costs no refusal its audit. */
class RedisRefusalWindowsTest {
    @TempDir
    Path dir;

    private final TestClock clock = new TestClock();
    private final List<Redis> opened = new ArrayList<>();

    private RedisRefusalWindows node() {
        var redis = RedisServer.get().connect(dir);
        opened.add(redis);
        return new RedisRefusalWindows(redis, clock);
    }

    @AfterEach
    void close() {
        opened.forEach(Redis::close);
    }

    @Test
    void aKeyIsFirstOncePerWindowAndFirstAgainWhenItHasPassed() {
        SqlRefusalWindowsTest.holdsTheWindowRules(node(), clock);
    }

    @Test
    void racersOnTwoNodesFindOneFirstPerWindow() {
        SqlRefusalWindowsTest.oneFirstPerWindow(List.of(node(), node()), clock);
    }

    @Test
    void whileRedisIsAwayTheNodeCountsInItsOwnMemory() {
        // A port nothing listens on: every command fails at once, as with a Redis that is down.
        var away = Redis.connect(new RedisSettings(RedisUrl.parse("redis://127.0.0.1:" + TestLatch.freePort()),
                Duration.ofMillis(300), Optional.empty()));
        opened.add(away);
        var windows = new RedisRefusalWindows(away, clock);
        assertTrue(windows.firstIn("rate_limited|login|192.0.2.1", Duration.ofMinutes(1)), "still audited");
        assertFalse(windows.firstIn("rate_limited|login|192.0.2.1", Duration.ofMinutes(1)), "and a flood still once");
    }
}
