package latch;

import latch.support.OnPostgresAlways;
import latch.support.Http;
import latch.support.Nginx;
import latch.support.PostgresServer;
import latch.support.Race;
import latch.support.RaisesAlerts;
import latch.support.Sfu;
import latch.support.TestClock;
import latch.support.TestLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three complete Latch nodes, each with its own data directory, on one PostgreSQL database, behind a real nginx
 * that sends requests to them in turn: what a household that outgrew one box runs. Jobs run on their own schedule,
 * so what crosses nodes does so as in production, and the times measured are real.
 */
@OnPostgresAlways
class ThreeNodesTest {
    private static final String KEY = "the cluster's shared encryption key, 32+ bytes";

    @TempDir
    Path dir;

    final List<TestLatch> nodes = new ArrayList<>();
    private Nginx nginx;
    private Http proxy;

    @BeforeEach
    void start() throws Exception {
        var settings = new HashMap<String, String>();
        settings.put("LATCH_DATABASE_URL", PostgresServer.get().urlFor(dir.resolve("cluster")));
        settings.put("LATCH_ENCRYPTION_KEY", KEY);
        settings.put("TRUSTED_PROXIES", "127.0.0.1");
        settings.put("ROMM_SFU_INTERNAL_SECRET", Sfu.SECRET);
        settings.put("SFU_MINT_PER_MINUTE", "1000");
        settings.putAll(alsoShared(dir.resolve("cluster")));
        var clock = new TestClock();
        for (int i = 0; i < 3; i++) {
            nodes.add(TestLatch.startNode(dir.resolve("node" + i), settings, clock));
        }
        var upstream = new StringBuilder("  upstream latch {\n");
        for (TestLatch node : nodes) {
            upstream.append("    server 127.0.0.1:").append(port(node)).append(" max_fails=1 fail_timeout=30s;\n");
        }
        upstream.append("  }");
        nginx = Nginx.start(dir.resolve("nginx"), upstream.toString(), String.join("\n",
                "    location / {",
                "      proxy_pass http://latch;",
                "      proxy_http_version 1.1;",
                "      proxy_set_header Connection \"\";",
                "      proxy_set_header Host $http_host;",
                "      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
                "      proxy_set_header X-Forwarded-Proto $scheme;",
                "    }"));
        proxy = nginx.http();
    }

    /** Settings for what the nodes share besides the database ({@code cluster} names it); none here. */
    Map<String, String> alsoShared(Path cluster) {
        return Map.of();
    }

    @AfterEach
    void stop() {
        if (nginx != null) {
            nginx.close();
        }
        nodes.forEach(TestLatch::close);
    }

    private static int port(TestLatch node) {
        String base = node.http().base();
        return Integer.parseInt(base.substring(base.lastIndexOf(':') + 1));
    }

    private static int me(Http http, String token) {
        return http.get("/api/auth/me", "Authorization", Http.bearer(token)).status();
    }

    @Test
    void signedInOnOneRefreshedOnTheSecondSignedOutOnTheThirdIsRefusedEverywhereWithinASecond() throws Exception {
        nodes.get(0).setupAdmin();
        var signIn = nodes.get(0).login(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD);
        String first = signIn.json().get("token").asText();
        assertEquals(200, me(nodes.get(1).http(), first));

        var refreshed = nodes.get(1).http().post("/api/auth/refresh", "Authorization", Http.bearer(first));
        assertEquals(200, refreshed.status(), refreshed.toString());
        String second = refreshed.json().get("token").asText();
        long[] refusedAfter = awaitRefusedEverywhere(first, System.nanoTime());
        assertEquals(200, me(nodes.get(2).http(), second));

        assertEquals(204, nodes.get(2).http().post("/api/auth/logout", "Authorization", Http.bearer(second)).status());
        long[] signedOutAfter = awaitRefusedEverywhere(second, System.nanoTime());
        for (int i = 0; i < 3; i++) {
            assertTrue(refusedAfter[i] < 1000 && signedOutAfter[i] < 1000, "node " + i + ": the refreshed-away token refused after "
                    + refusedAfter[i] + " ms, the signed-out one after " + signedOutAfter[i] + " ms");
        }
        for (int i = 0; i < 6; i++) {
            assertEquals(401, me(proxy, second), "through the proxy, whichever node answers");
            assertEquals(401, me(proxy, first));
        }
    }

    /** Milliseconds until each node refuses {@code token}; fails after five seconds. */
    private long[] awaitRefusedEverywhere(String token, long since) throws InterruptedException {
        long[] after = new long[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            while (me(nodes.get(i).http(), token) != 401) {
                assertTrue(System.nanoTime() - since < TimeUnit.SECONDS.toNanos(5), "node " + i + " still accepts it after 5 s");
                Thread.sleep(5);
            }
            after[i] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
        }
        return after;
    }

    @Test
    @RaisesAlerts("49 of every 50 verifies present a write token already used")
    void aNetplayWriteTokenVerifiedFiftyTimesAtOnceAcrossTheNodesPassesOnceEveryTime() {
        String admin = nodes.get(0).setupAdmin();
        for (int round = 0; round < 100; round++) {
            var minted = proxy.postJson("/api/sfu/token", "{\"token_type\":\"write\"}", "Authorization", Http.bearer(admin));
            assertEquals(200, minted.status(), minted.toString());
            String body = "{\"token\":\"" + minted.json().get("token").asText() + "\"}";
            // Spread over the three nodes directly and through the proxy, as SFU nodes behind it would call.
            var answers = Race.run(50, i -> (i % 4 == 3 ? proxy : nodes.get(i % 4).http()).postJson("/api/sfu/internal/verify",
                    body, "x-romm-sfu-secret", Sfu.SECRET, "Accept", "application/json"));
            assertEquals(1, answers.stream().filter(r -> r.status() == 200).count(), "round " + round + ": " + answers);
            assertTrue(answers.stream().allMatch(r -> r.status() == 200
                    || (r.status() == 401 && "token already used".equals(r.json().get("detail").asText()))), answers.toString());
        }
    }

    @Test
    @RaisesAlerts("guesses passwords from one client until refused, then signs in from a new network")
    void failedSignInsSpreadOverTheNodesTripOneSharedLimit() {
        nodes.get(0).setupAdmin();
        // Guessed usernames: the per-client limit alone is at work, not the ban on one account.
        int limit = nodes.get(0).settings().signIn().maxAttemptsPerClient();
        for (int i = 0; i < limit; i++) {
            var wrong = nodes.get(i % 3).http().postJson("/api/auth/login",
                    "{\"username\":\"guess" + i + "\",\"password\":\"not the password\"}", "X-Forwarded-For", "198.51.100.7");
            assertEquals(401, wrong.status(), "attempt " + i + " on node " + (i % 3) + ": " + wrong);
        }
        for (int node = 0; node < 3; node++) {
            var refused = nodes.get(node).http().postJson("/api/auth/login",
                    "{\"username\":\"admin\",\"password\":\"" + TestLatch.ADMIN_PASSWORD + "\"}", "X-Forwarded-For", "198.51.100.7");
            assertEquals(429, refused.status(), "node " + node + " counts the others' attempts: " + refused);
            assertTrue(refused.header("Retry-After").isPresent());
        }
        assertEquals(200, nodes.get(1).http().postJson("/api/auth/login", "{\"username\":\"admin\",\"password\":\""
                + TestLatch.ADMIN_PASSWORD + "\"}", "X-Forwarded-For", "203.0.113.9").status(), "another client is not held back");
    }

    @Test
    void twoAdminsDemotingEachOtherOnTwoNodesAtOnceLeaveOneAdmin() {
        String root = nodes.get(0).setupAdmin();
        long bob = nodes.get(0).createUser(root, "bob", "bob's long password", "admin");
        String[] bobToken = {nodes.get(1).token("bob", "bob's long password")};
        for (int round = 0; round < 10; round++) {
            String bobs = bobToken[0];
            var answers = Race.run(2, i -> i == 0
                    ? nodes.get(0).http().patchJson("/api/users/" + bob, "{\"role\":\"viewer\"}", "Authorization", Http.bearer(root))
                    : nodes.get(1).http().patchJson("/api/users/1", "{\"role\":\"viewer\"}", "Authorization", Http.bearer(bobs)));
            long granted = answers.stream().filter(r -> r.status() == 200).count();
            assertEquals(1, granted, "exactly one demotion: " + answers);
            var users = nodes.get(2).http().get("/api/users", "Authorization", Http.bearer(answers.get(0).status() == 200 ? root : bobs));
            long admins = 0;
            for (var u : users.json().get("users")) {
                admins += "admin".equals(u.get("role").asText()) ? 1 : 0;
            }
            assertEquals(1, admins, users.toString());
            // Put the loser back for the next round.
            String winner = answers.get(0).status() == 200 ? root : bobs;
            long loser = answers.get(0).status() == 200 ? bob : 1;
            assertEquals(200, nodes.get(2).http().patchJson("/api/users/" + loser, "{\"role\":\"admin\"}", "Authorization",
                    Http.bearer(winner)).status());
            if (loser == bob) {
                bobToken[0] = nodes.get(1).token("bob", "bob's long password");
            }
        }
    }

    @Test
    void killingOneNodeUnderLoadFailsOnlyTheRequestsInFlightOnIt() throws Exception {
        String token = nodes.get(0).setupAdmin();
        int clients = 8;
        var running = new AtomicBoolean(true);
        var ok = new AtomicInteger();
        var failed = new AtomicInteger();
        var pool = Executors.newFixedThreadPool(clients);
        for (int i = 0; i < clients; i++) {
            pool.execute(() -> {
                while (running.get()) {
                    int status;
                    try {
                        status = me(proxy, token);
                    } catch (RuntimeException e) {
                        status = -1;
                    }
                    (status == 200 ? ok : failed).incrementAndGet();
                }
            });
        }
        Thread.sleep(1000);
        int beforeKill = ok.get();
        nodes.remove(1).close();
        Thread.sleep(1500);
        int failedAtKill = failed.get();
        int okAtKill = ok.get();
        Thread.sleep(1000);
        running.set(false);
        pool.shutdown();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        assertTrue(beforeKill > 0, "the load ran before the kill");
        assertTrue(failedAtKill <= clients, "at most the requests in flight failed: " + failedAtKill);
        assertEquals(failedAtKill, failed.get(), "none failed once the node was gone");
        assertTrue(ok.get() > okAtKill, "the other two nodes kept answering");
    }
}
