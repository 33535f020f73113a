package latch.db;

import latch.support.OnPostgresAlways;
import latch.support.CuttableRelay;
import latch.support.Http;
import latch.support.PostgresServer;
import latch.support.TestClock;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.IntSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The PostgreSQL server goes away under a running node (every connection dropped, new ones refused) and comes back.
 * The node answers 503 with Retry-After, never a hang, never a 500; it fails closed: a token it holds in memory is
 * refused too, since another node may have revoked it meanwhile; readiness says not ready; then it recovers alone.
 */
@OnPostgresAlways
class DatabaseAwayTest {
    @TempDir
    Path dir;

    @Test
    void whileTheDatabaseIsAwayTheNodeFailsClosedWith503AndRecoversWhenItReturns() throws Exception {
        var server = PostgresServer.get();
        String direct = server.urlFor(dir.resolve("db"));
        try (var relay = new CuttableRelay(server.port())) {
            String viaRelay = direct.replace(":" + server.port() + "/", ":" + relay.port() + "/");
            var settings = Map.of("LATCH_DATABASE_URL", viaRelay, "LATCH_ENCRYPTION_KEY", "the key of the node whose database goes away");
            try (var node = TestLatch.startNode(dir.resolve("node"), settings, new TestClock())) {
                String token = node.setupAdmin();
                IntSupplier me = () -> node.http().get("/api/auth/me", "Authorization", Http.bearer(token)).status();
                assertEquals(200, me.getAsInt());
                assertEquals(200, node.http().get("/api/health/ready").status());

                relay.cut();
                long cut = System.nanoTime();
                awaitStatus(me, 503, "a token held in memory is refused once the node cannot hear of revocations");
                long refusedAfterMs = (System.nanoTime() - cut) / 1_000_000;
                assertTrue(refusedAfterMs < 2000, "refused within " + refusedAfterMs + " ms of the cut");
                var answer = node.http().get("/api/auth/me", "Authorization", Http.bearer(token));
                assertEquals("database_unavailable", answer.json().get("error").asText(), answer.toString());
                assertEquals("5", answer.header("Retry-After").orElse(""));

                long start = System.nanoTime();
                var signIn = node.login(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD);
                assertEquals(503, signIn.status(), signIn.toString());
                assertTrue(signIn.header("Retry-After").isPresent());
                assertTrue(System.nanoTime() - start < 15_000_000_000L, "bounded: the pool's wait, never a hang");
                assertEquals(503, node.http().get("/api/health/ready").status());

                relay.restore();
                awaitStatus(me, 200, "the same token passes again once the node is back in step");
                awaitStatus(() -> node.http().get("/api/health/ready").status(), 200, "ready again");
                assertEquals(200, node.login(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD).status());
            }
        }
    }

    private static void awaitStatus(IntSupplier call, int expected, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        int last;
        while ((last = call.getAsInt()) != expected) {
            assertTrue(System.nanoTime() < deadline, what + ": still " + last + " after 30 s");
            Thread.sleep(50);
        }
    }
}
