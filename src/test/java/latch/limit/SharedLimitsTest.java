package latch.limit;

import latch.support.OnPostgresAlways;
import latch.support.Http;
import latch.support.PostgresServer;
import latch.support.RaisesAlerts;
import latch.support.TestClock;
import latch.support.TestLatch;
import latch.db.DatabaseUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two nodes on one PostgreSQL database, each with a data directory of its own, behind what a round-robin proxy
 * would do: a client spreading its guesses over the nodes gets what one node would allow, not twice as much.
 */
@OnPostgresAlways
class SharedLimitsTest {
    @TempDir
    Path first;
    @TempDir
    Path second;

    private Map<String, String> node(int attempts) {
        return Map.of("LATCH_DATABASE_URL", PostgresServer.get().urlFor(first),
                "LATCH_ENCRYPTION_KEY", "the household's shared encryption key, 32+ bytes",
                "LOGIN_MAX_ATTEMPTS_PER_IP", Integer.toString(attempts));
    }

    private long rows(String sql) {
        var url = DatabaseUrl.parse(PostgresServer.get().urlFor(first)).orElseThrow();
        try (var c = java.sql.DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
             var rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new AssertionError(sql + ": " + e.getMessage(), e);
        }
    }

    private static void assertLimited(Http.Response res) {
        assertEquals(429, res.status(), res.toString());
        assertEquals("rate_limited", res.json().get("error").asText());
        long retry = Long.parseLong(res.header("Retry-After").orElseThrow());
        assertTrue(retry >= 1 && retry <= 900, "Retry-After " + retry);
    }

    @Test
    @RaisesAlerts("wrong passwords until the client's limit, a burst from one client")
    void wrongPasswordsSpreadOverTheNodesTripTheLimitAtTheConfiguredCountInTotal() {
        var clock = new TestClock();
        try (var a = TestLatch.start(first, node(6), clock); var b = TestLatch.start(second, node(6), clock)) {
            var nodes = List.of(a, b);
            for (int i = 0; i < 6; i++) {
                var res = nodes.get(i % 2).login("someone", "wrong password " + i);
                assertEquals(401, res.status(), "guess " + (i + 1) + " of 6, on node " + (i % 2) + ": " + res);
            }
            for (int i = 0; i < 3; i++) {
                assertLimited(b.login("someone", "wrong password"));
                assertLimited(a.login("someone", "wrong password"));
            }
            assertEquals(1, rows("SELECT COUNT(*) FROM audit_events WHERE type = 'rate_limited'"),
                    "six refusals on two nodes, one audit row for the client's window");

            clock.advance(java.time.Duration.ofSeconds(Long.parseLong(a.login("x", "y").header("Retry-After").orElseThrow())));
            assertEquals(401, b.login("someone", "wrong password").status(), "the shared bucket refills with time");
        }
    }

    @Test
    void aSuccessOnOneNodeGivesBackItsAttemptOnTheOther() {
        var clock = new TestClock();
        try (var a = TestLatch.start(first, node(3), clock); var b = TestLatch.start(second, node(3), clock)) {
            a.setupAdmin();
            assertEquals(401, a.login("someone", "wrong guess 1").status());
            assertEquals(401, b.login("someone", "wrong guess 2").status());
            assertEquals(200, a.login(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD).status(), "the last attempt left, used right");
            assertEquals(401, b.login("someone", "wrong guess 3").status(), "the success gave its attempt back");
            assertLimited(a.login(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD));
            assertLimited(b.login(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD));
        }
    }
}
