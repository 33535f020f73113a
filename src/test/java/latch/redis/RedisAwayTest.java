package latch.redis;

import latch.support.CuttableRelay;
import latch.support.Http;
import latch.support.OnPostgresAlways;
import latch.support.PostgresServer;
import latch.support.Race;
import latch.support.RaisesAlerts;
import latch.support.RedisServer;
import latch.support.Sfu;
import latch.support.TestClock;
import latch.support.TestLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Redis server two nodes share goes away under them (every connection dropped, new ones refused) and comes back;
 * then it stalls (takes connections, answers nothing). What needs Redis answers 503 redis_unavailable with
 * Retry-After within the command timeout, never a hang; readiness names Redis; checking a credential never needed
 * Redis, so a session keeps working and a sign-out on the other node still reaches this one through the database;
 * when Redis answers again everything works without a restart. The password in LATCH_REDIS_URL is never shown.
 */
@OnPostgresAlways
class RedisAwayTest {
    private static final String KEY = "the key of the nodes whose Redis goes away";
    private static final int TIMEOUT_MS = 300;
    /** What a request that needs an absent Redis may take: the timeout and some slack for a busy machine, not more. */
    private static final long BOUND_MS = 3000;
    /** How long Redis stalls: longer than the bound, so a request that waited for it fails the test. */
    private static final long PAUSE_MS = 4000;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final List<Http.Response> answers = Collections.synchronizedList(new ArrayList<>());
    private PrintStream original;

    @BeforeEach
    void captureTheLog() {
        original = System.err;
        PrintStream passOn = original;
        // Read here and still written where the test tool keeps it.
        System.setErr(new PrintStream(new OutputStream() {
            @Override
            public synchronized void write(int b) {
                log.write(b);
                passOn.write(b);
            }

            @Override
            public synchronized void write(byte[] b, int off, int len) {
                log.write(b, off, len);
                passOn.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreTheLog() {
        System.setErr(original);
    }

    @Test
    @RaisesAlerts("a used netplay write token is presented again, to show it stays used across the outage")
    void whileRedisIsAwayWhatNeedsItAnswers503AtOnceCredentialsStillWorkAndEverythingRecoversWhenItReturns() throws Exception {
        var redis = RedisServer.get();
        String direct = redis.urlFor(dir.resolve("cluster"));
        try (var relay = new CuttableRelay(redis.port())) {
            var settings = new HashMap<String, String>();
            settings.put("LATCH_DATABASE_URL", PostgresServer.get().urlFor(dir.resolve("cluster")));
            settings.put("LATCH_ENCRYPTION_KEY", KEY);
            settings.put("LATCH_REDIS_URL", direct.replace(":" + redis.port() + "/", ":" + relay.port() + "/"));
            settings.put("LATCH_REDIS_TIMEOUT_MS", Integer.toString(TIMEOUT_MS));
            settings.put("ROMM_SFU_INTERNAL_SECRET", Sfu.SECRET);
            settings.put("TRUSTED_PROXIES", "127.0.0.1");
            var clock = new TestClock();
            try (var node = TestLatch.startNode(dir.resolve("node"), settings, clock);
                 var other = TestLatch.startNode(dir.resolve("other"), settings, clock)) {
                String admin = node.setupAdmin();
                String doomed = node.token(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD);
                assertEquals(200, answer(() -> node.http().get("/api/health/ready")).status());
                assertEquals(200, answer(() -> roomUpsert(node, "before")).status());
                String mintedBefore = mint(node, admin);
                // A busy node: several connections idle in its pool when Redis goes, each of them dead when it returns.
                for (var res : Race.run(12, i -> answer(() -> roomUpsert(node, "busy " + i)))) {
                    assertEquals(200, res.status(), res.toString());
                }

                relay.cut();
                assertRedisAway(node, admin, mintedBefore);
                assertEquals(200, me(node, admin), "checking a session needs no Redis");
                assertEquals(200, answer(() -> forwardAuth(node, admin)).status(), "nor does a proxy's forward-auth question");
                assertEquals(200, me(node, doomed));
                var out = answer(() -> other.http().post("/api/auth/logout", "Authorization", Http.bearer(doomed)));
                assertEquals(204, out.status(), "signing out needs only the database: " + out);
                long signedOut = System.nanoTime();
                while (me(node, doomed) != 401) {
                    assertTrue(System.nanoTime() - signedOut < TimeUnit.SECONDS.toNanos(2),
                            "the node still accepts a token signed out on the other node 2 s ago");
                    Thread.sleep(20);
                }
                assertNotEquals(200, answer(() -> forwardAuth(node, doomed)).status(), "refused to the proxy as well");
                assertEquals(200, me(node, admin));

                relay.restore();
                assertRecovered(node, admin);
                var first = answer(() -> Sfu.verify(node, mintedBefore, true));
                assertEquals(200, first.status(), "a token minted before Redis went away is still good once: " + first);
                assertEquals(401, answer(() -> Sfu.verify(other, mintedBefore, true)).status(), "and only once");

                // Stalled: Redis keeps the connections and answers nothing (CLIENT PAUSE, as a frozen server does);
                // only the timeout ends such a request, well before the pause does.
                redis.cli("CLIENT", "PAUSE", Long.toString(PAUSE_MS), "ALL");
                long stalled = System.nanoTime();
                assertRedisAway(node, admin, null);
                assertEquals(200, me(node, admin));
                Thread.sleep(Math.max(0, PAUSE_MS + 100 - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stalled)));
                assertRecovered(node, admin);
            }
        }
        for (var response : answers) {
            assertFalse(response.body().contains(RedisServer.PASSWORD), response.toString());
        }
        String logged = log.toString(StandardCharsets.UTF_8);
        assertTrue(logged.contains("Redis is not answering"), "the outage is logged: " + logged);
        assertFalse(logged.contains(RedisServer.PASSWORD), logged);
    }

    /** Every endpoint that needs Redis answers 503 redis_unavailable with Retry-After, each within the bound. */
    private void assertRedisAway(TestLatch node, String admin, String minted) {
        var calls = new LinkedHashMap<String, Supplier<Http.Response>>();
        calls.put("sign-in (rate limited)", () -> node.login(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD));
        calls.put("netplay mint", () -> node.http().postJson("/api/sfu/token", "{\"token_type\":\"write\"}",
                "Authorization", Http.bearer(admin)));
        if (minted != null) {
            calls.put("netplay verify", () -> Sfu.verify(node, minted, true));
        }
        calls.put("room upsert", () -> roomUpsert(node, "during"));
        for (var call : calls.entrySet()) {
            long start = System.nanoTime();
            var res = answer(call.getValue());
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(503, res.status(), call.getKey() + ": " + res);
            assertEquals("redis_unavailable", res.json().get("error").asText(), call.getKey() + ": " + res);
            assertEquals("5", res.header("Retry-After").orElse(""), call.getKey());
            assertTrue(tookMs < BOUND_MS, call.getKey() + " took " + tookMs + " ms with a " + TIMEOUT_MS + " ms timeout");
        }
        long start = System.nanoTime();
        var ready = answer(() -> node.http().get("/api/health/ready"));
        assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(BOUND_MS), "readiness answers in time");
        assertEquals(503, ready.status(), ready.toString());
        assertTrue(ready.json().get("detail").asText().contains("redis"), ready.toString());
        assertTrue(ready.json().get("message").asText().contains("Redis does not answer"), ready.toString());
    }

    /** Readiness, sign-in, a netplay mint and verify and a room: all work again, the node never restarted. */
    private void assertRecovered(TestLatch node, String admin) {
        // At once: no request is spent on a connection that died with the outage.
        var signIn = answer(() -> node.login(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD));
        assertEquals(200, signIn.status(), signIn.toString());
        var ready = answer(() -> node.http().get("/api/health/ready"));
        assertEquals(200, ready.status(), ready.toString());
        String minted = mint(node, admin);
        var verified = answer(() -> Sfu.verify(node, minted, true));
        assertEquals(200, verified.status(), verified.toString());
        var replay = answer(() -> Sfu.verify(node, minted, true));
        assertEquals(401, replay.status(), replay.toString());
        assertEquals(200, answer(() -> roomUpsert(node, "after")).status());
    }

    private String mint(TestLatch node, String admin) {
        var res = answer(() -> node.http().postJson("/api/sfu/token", "{\"token_type\":\"write\"}", "Authorization", Http.bearer(admin)));
        assertEquals(200, res.status(), res.toString());
        return res.json().get("token").asText();
    }

    private int me(TestLatch node, String token) {
        return answer(() -> node.http().get("/api/auth/me", "Authorization", Http.bearer(token))).status();
    }

    private static Http.Response forwardAuth(TestLatch node, String token) {
        return node.http().get("/api/authz/forward-auth", "X-Forwarded-Method", "GET", "X-Forwarded-Proto", "https",
                "X-Forwarded-Host", "app.example.com", "X-Forwarded-Uri", "/", "Authorization", Http.bearer(token));
    }

    private static Http.Response roomUpsert(TestLatch node, String name) {
        return node.http().postJson("/api/sfu/internal/rooms/upsert", "{\"room_name\":\"" + name + "\",\"current\":1,\"max\":4}",
                "x-romm-sfu-secret", Sfu.SECRET);
    }

    /** Sends the request and keeps the answer, whose body is checked for the password at the end. */
    private Http.Response answer(Supplier<Http.Response> request) {
        var res = request.get();
        answers.add(res);
        return res;
    }
}
