package latch.support;

import latch.alert.AlertKind;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/** The check that normal use raises no alerts: it fails a test that opens one, unless the test says it means to. */
class AlertCheckTest {
    /** Raises one alert in a test server, the way a feature would. */
    static void raiseOne(Path dir) {
        TestLatch.run(dir, latch -> latch.deps().alerts().raise(AlertKind.UNKNOWN_ISSUER, null, "https://rogue.example",
                "a token from an issuer nobody trusts"));
    }

    // The fixtures below are run by the tests through the launcher; their names keep the build from running them.

    static class Unmarked {
        @TempDir
        Path dir;

        @Test
        void raises() {
            raiseOne(dir);
        }

        @Test
        void raisesNothing() {
            TestLatch.run(dir, TestLatch::setupAdmin);
        }
    }

    @RaisesAlerts("the fixture of a marked class")
    static class MarkedClass {
        @TempDir
        Path dir;

        @Test
        void raises() {
            raiseOne(dir);
        }
    }

    static class MarkedMethod {
        @TempDir
        Path dir;

        @Test
        @RaisesAlerts("the fixture of a marked method")
        void raises() {
            raiseOne(dir);
        }
    }

    /**
     * Servers that outlive one call, on one directory across tests: what one raised is seen after its test, and a
     * later server on the same database does not pass it off as new.
     */
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class Restarted {
        @TempDir
        static Path dir;

        @Test
        @Order(1)
        @RaisesAlerts("raises one, then starts again on the same database")
        void raisesBeforeARestart() {
            try (var latch = TestLatch.start(dir, Map.of(), new TestClock())) {
                latch.deps().alerts().raise(AlertKind.UNKNOWN_ISSUER, null, "https://rogue.example", "before");
            }
            try (var latch = TestLatch.start(dir, Map.of(), new TestClock())) {
                latch.setupAdmin();
            }
        }

        @Test
        @Order(2)
        void startsAgainOnTheSameDatabase() {
            try (var latch = TestLatch.start(dir, Map.of(), new TestClock())) {
                latch.token(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD);
            }
        }

        @Test
        @Order(3)
        void raisesWhileStartedWithoutClosing() {
            var latch = TestLatch.start(dir, Map.of(), new TestClock());
            stillRunning = latch;
            latch.deps().alerts().raise(AlertKind.UNKNOWN_ISSUER, null, "https://other.example", "left running");
        }

        static TestLatch stillRunning;

        @org.junit.jupiter.api.AfterAll
        static void stop() {
            stillRunning.close();
        }
    }

    private static TestExecutionSummary run(Class<?> fixture) {
        var listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(fixture)).build(), listener);
        return listener.getSummary();
    }

    @Test
    void aTestThatOpensAnAlertFailsAndSaysWhich() {
        var summary = run(Unmarked.class);
        assertEquals(2, summary.getTestsStartedCount());
        assertEquals(1, summary.getTotalFailureCount(), "only the one that raised: " + summary.getFailures());
        var failure = summary.getFailures().get(0);
        assertEquals("raises()", failure.getTestIdentifier().getDisplayName());
        String message = failure.getException().getMessage();
        assertTrue(message.contains("unknown_issuer from https://rogue.example") && message.contains("@RaisesAlerts"), message);
    }

    @Test
    void aTestMarkedAsRaisingAlertsOnPurposePasses() {
        assertEquals(0, run(MarkedClass.class).getTotalFailureCount(), "marked on its class");
        assertEquals(0, run(MarkedMethod.class).getTotalFailureCount(), "marked on its method");
    }

    @Test
    void aRunningServerIsCheckedAfterEachTestAndARestartDoesNotCountItsAlertsTwice() {
        var summary = run(Restarted.class);
        assertEquals(3, summary.getTestsSucceededCount() + summary.getTestsFailedCount());
        assertEquals(1, summary.getTotalFailureCount(), summary.getFailures().toString());
        var failure = summary.getFailures().get(0);
        assertEquals("raisesWhileStartedWithoutClosing()", failure.getTestIdentifier().getDisplayName());
        assertTrue(failure.getException().getMessage().contains("https://other.example"), failure.getException().getMessage());
    }
}
