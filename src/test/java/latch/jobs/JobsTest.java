package latch.jobs;

import latch.support.TestClock;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Latch's background work: named jobs that survive their own failures and can be run on demand. */
class JobsTest {
    @TempDir
    Path dir;

    /** What {@code action} logged (the simple logger writes to System.err as it is at the time). */
    private static String logged(Runnable action) {
        PrintStream original = System.err;
        var captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    private static Jobs.Status status(Jobs jobs, String name) {
        return jobs.status().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aJobThatThrowsIsLoggedCountedAndRunsAgainAtItsNextTurn() {
        var clock = new TestClock();
        try (var jobs = new Jobs(clock, false)) {
            var runs = new AtomicInteger();
            jobs.every("flaky", Duration.ofMinutes(5), Duration.ofMinutes(5), () -> {
                if (runs.incrementAndGet() == 1) {
                    throw new IllegalStateException("disk full");
                }
            });

            String log = logged(() -> jobs.runNow("flaky"));
            assertTrue(log.contains("job flaky failed") && log.contains("IllegalStateException: disk full"), log);
            assertEquals(1, log.lines().count(), "one line, not a stack trace: " + log);
            var failed = status(jobs, "flaky");
            assertEquals(1, failed.runs());
            assertEquals(1, failed.failures());
            assertEquals("IllegalStateException: disk full", failed.lastFailure());
            assertEquals(clock.instant(), failed.lastRun(), "a failed run still counts as its turn");

            clock.advance(Duration.ofMinutes(5));
            jobs.runNow("flaky");
            assertEquals(2, runs.get(), "it ran again");
            var recovered = status(jobs, "flaky");
            assertEquals(2, recovered.runs());
            assertEquals(1, recovered.failures(), "the second run succeeded");
            assertEquals("IllegalStateException: disk full", recovered.lastFailure(), "the last failure is still on record");
            assertEquals(clock.instant(), recovered.lastRun());
        }
    }

    @Test
    void aScheduledJobThatThrowsKeepsItsSchedule() throws Exception {
        // A task that throws out of a ScheduledExecutorService is never run again; a job must not die that way.
        try (var jobs = new Jobs(new TestClock(), true)) {
            // Four turns started: the first three have finished, failure counted (turns never overlap).
            var turns = new CountDownLatch(4);
            jobs.every("always-failing", Duration.ofMillis(10), Duration.ZERO, () -> {
                turns.countDown();
                throw new IllegalStateException("still broken");
            });
            logged(() -> {
                try {
                    assertTrue(turns.await(30, TimeUnit.SECONDS), "it kept running after failing");
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            assertTrue(status(jobs, "always-failing").failures() >= 3);
        }
    }

    @Test
    void theServersJobsAreNamedListedAndRunOnDemand() {
        TestLatch.run(dir, latch -> {
            var jobs = latch.deps().jobs();
            assertEquals(List.of("change-feed", "key-rotation", "netplay-ledger", "netplay-rooms", "purge"),
                    jobs.status().stream().map(Jobs.Status::name).toList());
            assertEquals(Duration.ofSeconds(1), status(jobs, "change-feed").every());
            assertEquals(Duration.ofHours(1), status(jobs, "purge").every());
            var before = status(jobs, "purge");
            assertNull(before.lastFailure());

            jobs.runNow("purge");

            var after = status(jobs, "purge");
            assertEquals(before.runs() + 1, after.runs());
            assertEquals(latch.clock().instant(), after.lastRun());
            assertEquals(0, after.failures());
        });
    }

    @Test
    void aSecondJobByTheSameNameIsRefusedAndTheFirstKeepsRunning() {
        TestLatch.run(dir, latch -> {
            var jobs = latch.deps().jobs();
            var ran = new AtomicInteger();
            var refused = assertThrows(IllegalArgumentException.class,
                    () -> jobs.every("purge", Duration.ofMinutes(1), Duration.ofMinutes(1), ran::incrementAndGet));
            assertTrue(refused.getMessage().contains("purge"), refused.getMessage());
            assertEquals(5, jobs.status().size());

            jobs.runNow("purge");
            assertEquals(0, ran.get(), "the name still runs the original job");
            assertTrue(latch.deps().purge().lastRun().containsKey("sessions"));
            assertThrows(IllegalArgumentException.class, () -> jobs.runNow("no-such-job"));
        });
    }
}
