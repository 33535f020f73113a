package latch.audit;

import latch.db.Migrations;
import latch.support.DatabaseFile;
import latch.support.Race;
import latch.support.TestClock;
import latch.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The refusal windows nodes share: one statement decides which call is first in a window, on SQLite and on
 * PostgreSQL alike, so a flood of refusals spread over the nodes is audited once per window.
 */
class SqlRefusalWindowsTest {
    private static final int POOL = 8;
    private static final Duration MINUTE = Duration.ofMinutes(1);

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock();

    @Test
    void aKeyIsFirstOncePerWindowAndFirstAgainWhenItHasPassed() {
        try (var db = TestDatabases.open(dir, 2)) {
            Migrations.apply(db);
            holdsTheWindowRules(new SqlRefusalWindows(db, clock), clock);
        }
    }

    /** What every implementation holds for one node: first once per window, restarted only when it has passed. */
    static void holdsTheWindowRules(RefusalWindows windows, TestClock clock) {
        assertTrue(windows.firstIn("rate_limited|login|192.0.2.1", MINUTE));
        assertFalse(windows.firstIn("rate_limited|login|192.0.2.1", MINUTE));
        assertTrue(windows.firstIn("rate_limited|login|192.0.2.2", MINUTE), "another client");
        assertTrue(windows.firstIn("csrf_refused|csrf_refused|192.0.2.1", MINUTE), "another kind of refusal");

        clock.advance(Duration.ofSeconds(59));
        assertFalse(windows.firstIn("rate_limited|login|192.0.2.1", MINUTE));
        clock.advance(Duration.ofSeconds(1));
        assertTrue(windows.firstIn("rate_limited|login|192.0.2.1", MINUTE), "the window has passed");
        assertFalse(windows.firstIn("rate_limited|login|192.0.2.1", MINUTE), "and a new one began with it");
        clock.advance(Duration.ofSeconds(30));
        assertFalse(windows.firstIn("rate_limited|login|192.0.2.1", MINUTE), "a repeat does not stretch the window");
        clock.advance(Duration.ofSeconds(30));
        assertTrue(windows.firstIn("rate_limited|login|192.0.2.1", MINUTE));
    }

    @Test
    void racersOnTwoProcessesFindOneFirstPerWindow() {
        try (var first = TestDatabases.open(dir, POOL); var second = TestDatabases.open(dir, POOL)) {
            Migrations.apply(first);
            oneFirstPerWindow(List.of(new SqlRefusalWindows(first, clock), new SqlRefusalWindows(second, clock)), clock);
        }
    }

    /** What every implementation holds across nodes: of racers on any of them, one is first per window. */
    static void oneFirstPerWindow(List<RefusalWindows> processes, TestClock clock) {
        for (int round = 0; round < 5; round++) {
            String key = "rate_limited|login|198.51.100." + (round % 2);
            List<Boolean> firsts = Race.run(16, i -> processes.get(i % 2).firstIn(key, MINUTE));
            assertEquals(1, firsts.stream().filter(b -> b).count(), "round " + round + ": " + firsts);
            // Odd rounds reuse a key whose window passed: the race is then on restarting it, not on inserting it.
            clock.advance(MINUTE);
        }
    }

    @Test
    void thePurgeDeletesPassedWindowsInBatchesAndKeepsOpenOnes() {
        try (var db = TestDatabases.open(dir, 2)) {
            Migrations.apply(db);
            var windows = new SqlRefusalWindows(db, clock);
            for (int i = 0; i < 5; i++) {
                windows.firstIn("old|" + i, MINUTE);
            }
            windows.firstIn("long|0", Duration.ofHours(1));
            clock.advance(MINUTE);
            windows.firstIn("new|0", MINUTE);

            assertEquals(2, windows.purgeExpired(2));
            assertEquals(3, windows.purgeExpired(100));
            assertEquals(0, windows.purgeExpired(100));
            assertEquals(List.of("long|0", "new|0"),
                    DatabaseFile.strings(dir, "SELECT window_key FROM refusal_windows ORDER BY window_key"));
            assertFalse(windows.firstIn("long|0", Duration.ofHours(1)), "a window still open stays");
        }
    }
}
