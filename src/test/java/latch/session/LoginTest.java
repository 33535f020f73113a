package latch.session;

import latch.support.TestDatabases;
import latch.support.Http;
import latch.support.RaisesAlerts;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoginTest {
    @TempDir
    Path dir;

    @Test
    void signInAnswersTheUserTheTokenAndAnHttpOnlyCookie() {
        TestLatch.run(dir, latch -> {
            latch.setupAdmin();
            var res = latch.login(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD);
            assertEquals(200, res.status());
            var body = res.json();
            assertEquals("admin", body.at("/user/username").asText());
            assertEquals("admin", body.at("/user/role").asText());
            assertTrue(body.at("/user/id").isNumber());
            assertTrue(body.get("expires_at").asText().endsWith("Z"));
            String cookie = res.setCookie("latch_token").orElseThrow();
            assertTrue(cookie.startsWith("latch_token=" + body.get("token").asText() + ";"), cookie);
            assertTrue(cookie.contains("HttpOnly"));
            assertTrue(cookie.contains("SameSite=Lax"));
            assertTrue(cookie.contains("Path=/"));
            assertTrue(cookie.contains("Max-Age=86400"), cookie);
            assertFalse(cookie.contains("Secure"), "plain HTTP from an untrusted peer is not HTTPS");
            assertEquals("no-store", res.header("Cache-Control").orElseThrow());
        });
    }

    @Test
    void unknownUserAndWrongPasswordGetTheSameAnswer() {
        TestLatch.run(dir, latch -> {
            latch.setupAdmin();
            var wrong = latch.login(TestLatch.ADMIN, "not the password");
            var unknown = latch.login("nobody", "not the password");
            assertEquals(401, wrong.status());
            assertEquals(wrong.body(), unknown.body());
            assertEquals("invalid_credentials", wrong.json().get("error").asText());
        });
    }

    @Test
    void aDisabledUserGetsTheSameAnswerAsAWrongPassword() throws Exception {
        TestLatch.run(dir, latch -> {
            latch.createUser(latch.setupAdmin(), "vera", "vera password", "viewer");
            try (var c = TestDatabases.connect(dir)) {
                c.createStatement().executeUpdate("UPDATE users SET enabled = 0 WHERE username = 'vera'");
            }
            var res = latch.login("vera", "vera password");
            assertEquals(401, res.status());
            assertEquals(latch.login("nobody", "whatever pass").body(), res.body());
        });
    }

    @Test
    void passwordsAreUsedExactlyAsTyped() {
        TestLatch.run(dir, latch -> {
            latch.setupAdmin();
            assertEquals(401, latch.login(TestLatch.ADMIN, " " + TestLatch.ADMIN_PASSWORD).status());
            assertEquals(401, latch.login(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD + " ").status());
            assertEquals(401, latch.login(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD.toUpperCase()).status());
            assertEquals(200, latch.login("ADMIN", TestLatch.ADMIN_PASSWORD).status(), "usernames are case-insensitive");
        });
    }

    @Test
    @RaisesAlerts("wrong passwords until the client's limit, a burst from one client")
    void theEleventhAttemptFromOneAddressIsRateLimited() {
        TestLatch.run(dir, latch -> {
            for (int i = 0; i < 10; i++) {
                assertEquals(401, latch.login("someone", "wrong password " + i).status());
            }
            var limited = latch.login("someone", "wrong password");
            assertEquals(429, limited.status());
            assertEquals("rate_limited", limited.json().get("error").asText());
            long retry = Long.parseLong(limited.header("Retry-After").orElseThrow());
            assertTrue(retry >= 1 && retry <= 900, "Retry-After " + retry);
            latch.clock().advance(java.time.Duration.ofSeconds(retry));
            assertEquals(401, latch.login("someone", "wrong password").status(), "the bucket refills with time");
        });
    }

    @Test
    @RaisesAlerts("wrong passwords until the client's limit, a burst from one client")
    void aSpoofedForwardedForFromAnUntrustedPeerChangesNothing() {
        TestLatch.run(dir, latch -> {
            for (int i = 0; i < 10; i++) {
                var res = latch.http().postJson("/api/auth/login", "{\"username\":\"x\",\"password\":\"wrong password\"}",
                        "X-Forwarded-For", "203.0.113." + i);
                assertEquals(401, res.status());
            }
            var res = latch.http().postJson("/api/auth/login", "{\"username\":\"x\",\"password\":\"wrong password\"}",
                    "X-Forwarded-For", "198.51.100.99");
            assertEquals(429, res.status(), "every attempt counted against the real peer");
        });
    }

    @Test
    @RaisesAlerts("wrong passwords until the client's limit, a burst from one client")
    void forwardedForFromATrustedProxyIdentifiesTheClient() {
        TestLatch.run(dir, Map.of("TRUSTED_PROXIES", "127.0.0.1,::1"), latch -> {
            for (int i = 0; i < 10; i++) {
                latch.http().postJson("/api/auth/login", "{\"username\":\"x\",\"password\":\"wrong password\"}",
                        "X-Forwarded-For", "203.0.113.7");
            }
            var limited = latch.http().postJson("/api/auth/login", "{\"username\":\"x\",\"password\":\"wrong password\"}",
                    "X-Forwarded-For", "203.0.113.7");
            assertEquals(429, limited.status());
            var other = latch.http().postJson("/api/auth/login", "{\"username\":\"x\",\"password\":\"wrong password\"}",
                    "X-Forwarded-For", "203.0.113.8");
            assertEquals(401, other.status(), "a different client behind the proxy has its own bucket");
            var spoofedLeft = latch.http().postJson("/api/auth/login", "{\"username\":\"x\",\"password\":\"wrong password\"}",
                    "X-Forwarded-For", "198.51.100.1, 203.0.113.7");
            assertEquals(429, spoofedLeft.status(), "the rightmost untrusted hop counts, not what the client prepended");
        });
    }

    /** A household behind one NAT signs in all day; only wrong passwords use up the address's attempts. */
    @Test
    @RaisesAlerts("signs in from a second network")
    void correctSignInsFromOneAddressNeverRunOutWhileWrongOnesStillLockItOut() {
        TestLatch.run(dir, Map.of("TRUSTED_PROXIES", "127.0.0.1,::1", "LOGIN_MAX_ATTEMPTS_PER_IP", "3"), latch -> {
            String admin = latch.setupAdmin();
            latch.createUser(admin, "kid", "kid's password", "viewer");
            String home = "203.0.113.50";
            for (int i = 0; i < 10; i++) {
                assertEquals(200, loginFrom(latch, home, "kid", "kid's password").status(), "sign-in " + i);
                assertEquals(200, loginFrom(latch, home, TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD).status(), "sign-in " + i);
                var grant = latch.http().postForm("/api/token", "grant_type=password&username=kid&password=kid%27s+password",
                        "X-Forwarded-For", home);
                assertEquals(200, grant.status(), "app sign-in " + i + ": " + grant);
            }
            // Two wrong, then many right: a success gives back its own attempt, it does not forgive the failures.
            assertEquals(401, loginFrom(latch, home, "kid", "wrong guess 1").status());
            assertEquals(401, loginFrom(latch, home, "kid", "wrong guess 2").status());
            for (int i = 0; i < 5; i++) {
                assertEquals(200, loginFrom(latch, home, "kid", "kid's password").status());
            }
            assertEquals(401, loginFrom(latch, home, "kid", "wrong guess 3").status());
            var limited = loginFrom(latch, home, "kid", "kid's password");
            assertEquals(429, limited.status(), "three wrong passwords used up the address's attempts: " + limited);
            assertEquals("rate_limited", limited.json().get("error").asText());
            assertFalse(limited.json().get("message").asText().isBlank());
            long retry = Long.parseLong(limited.header("Retry-After").orElseThrow());
            assertTrue(retry >= 1 && retry <= 900, "Retry-After " + retry);
            assertEquals(200, loginFrom(latch, "203.0.113.51", "kid", "kid's password").status(), "other addresses are not affected");
        });
    }

    private static latch.support.Http.Response loginFrom(TestLatch latch, String address, String username, String password) {
        return latch.http().postJson("/api/auth/login", "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}",
                "X-Forwarded-For", address);
    }

    /** Whoever holds an IPv6 /64 holds 2^64 addresses: the limit counts the /64, and an IPv4 client by its address. */
    @Test
    void anIpv6ClientIsLimitedByItsSlash64() {
        TestLatch.run(dir, Map.of("TRUSTED_PROXIES", "127.0.0.1,::1", "LOGIN_MAX_ATTEMPTS_PER_IP", "3"), latch -> {
            for (String from : new String[] {"2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:aaaa:bbbb:cccc:dddd"}) {
                assertEquals(401, loginFrom(latch, from).status(), from);
            }
            assertEquals(429, loginFrom(latch, "2001:db8:1:2:ffff:ffff:ffff:ffff").status(), "another address in the same /64");
            assertEquals(401, loginFrom(latch, "2001:db8:1:3::1").status(), "the next /64 has its own bucket");
            for (int i = 0; i < 3; i++) {
                assertEquals(401, loginFrom(latch, "::ffff:203.0.113.7").status());
            }
            assertEquals(429, loginFrom(latch, "203.0.113.7").status(), "an IPv4-mapped address is the IPv4 address");
            assertEquals(401, loginFrom(latch, "203.0.113.8").status(), "IPv4 neighbours keep their own buckets");
        });
    }

    private static latch.support.Http.Response loginFrom(TestLatch latch, String address) {
        return latch.http().postJson("/api/auth/login", "{\"username\":\"x\",\"password\":\"wrong password\"}",
                "X-Forwarded-For", address);
    }

    @Test
    void theCookieIsSecureBehindATrustedHttpsProxyOrWhenConfigured() {
        TestLatch.run(dir, Map.of("TRUSTED_PROXIES", "127.0.0.1,::1"), latch -> {
            latch.setupAdmin();
            var res = latch.http().postJson("/api/auth/login", loginBody(), "X-Forwarded-Proto", "https");
            assertTrue(res.setCookie("latch_token").orElseThrow().contains("Secure"));
        });
        TestLatch.run(dir, latch -> {
            var res = latch.http().postJson("/api/auth/login", loginBody(), "X-Forwarded-Proto", "https");
            assertFalse(res.setCookie("latch_token").orElseThrow().contains("Secure"), "untrusted peers cannot claim HTTPS");
        });
        TestLatch.run(dir, Map.of("COOKIE_SECURE", "true"), latch ->
                assertTrue(latch.http().postJson("/api/auth/login", loginBody()).setCookie("latch_token").orElseThrow().contains("Secure")));
    }

    @Test
    void aMegabytePasswordIsRefusedByItsSizeAlone() {
        TestLatch.run(dir, latch -> {
            latch.setupAdmin();
            // Refused by the declared length before a byte of the body is read: the answer comes back although
            // the megabyte is never sent. (A client that sends it anyway can have the answer cut off by the
            // connection's reset when Latch closes the connection, which is why this test does not.)
            String head = "POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + (1024 * 1024 + 40) + "\r\n\r\n";
            var uri = java.net.URI.create(latch.http().base());
            String answer;
            try (var socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
            assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
            assertTrue(answer.contains("\"error\":\"payload_too_large\""), answer);
        });
    }

    @Test
    void anOverlongPasswordIsRefusedWithoutHashing() {
        // Argon2 made deliberately expensive: a wrong password pays for it, an overlong one must not.
        var costly = Map.of("LATCH_ARGON2_MEMORY_KIB", "65536", "LATCH_ARGON2_ITERATIONS", "8", "LOGIN_MAX_ATTEMPTS_PER_IP", "100");
        TestLatch.run(dir, costly, latch -> {
            long hashed = timed(() -> assertEquals(401, latch.login("admin", "wrong password").status()));
            long[] refused = new long[1];
            refused[0] = timed(() -> {
                var res = latch.login("admin", "a".repeat(129));
                assertEquals(400, res.status());
                assertEquals("password_too_long", res.json().get("error").asText());
            });
            assertTrue(refused[0] * 4 < hashed, "overlong: " + refused[0] + " ms, hashed: " + hashed + " ms");
        });
    }

    @Test
    void aLoginFloodQueuesBehindTheHashingLimitAndOverflowGets503WhileOtherEndpointsAnswer() throws Exception {
        var oneSlotNoQueue = Map.of("LATCH_HASH_CONCURRENCY", "1", "LATCH_HASH_QUEUE", "1",
                "LATCH_ARGON2_MEMORY_KIB", "32768", "LATCH_ARGON2_ITERATIONS", "4", "LOGIN_MAX_ATTEMPTS_PER_IP", "1000");
        TestLatch.run(dir, oneSlotNoQueue, latch -> {
            var pool = java.util.concurrent.Executors.newFixedThreadPool(12);
            try {
                var calls = new java.util.ArrayList<java.util.concurrent.Future<latch.support.Http.Response>>();
                for (int i = 0; i < 12; i++) {
                    calls.add(pool.submit(() -> latch.login("someone", "wrong password")));
                }
                assertEquals(200, latch.http().get("/api/health").status(), "health answers during the flood");
                var statuses = new java.util.ArrayList<Integer>();
                for (var call : calls) {
                    var res = call.get();
                    statuses.add(res.status());
                    if (res.status() == 503) {
                        assertEquals("busy", res.json().get("error").asText());
                        assertEquals("1", res.header("Retry-After").orElseThrow());
                    }
                }
                assertTrue(statuses.contains(503), statuses.toString());
                assertTrue(statuses.contains(401), statuses.toString());
                assertTrue(statuses.stream().allMatch(s -> s == 401 || s == 503), statuses.toString());
            } finally {
                pool.shutdownNow();
            }
        });
    }

    @Test
    void withNoQueueAnIdleServerStillHashes() {
        TestLatch.run(dir, Map.of("LATCH_HASH_CONCURRENCY", "1", "LATCH_HASH_QUEUE", "0"), latch -> {
            latch.setupAdmin();
            assertEquals(200, latch.login(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD).status());
        });
    }

    @Test
    void raisingTheArgon2CostReHashesOnTheNextSignIn() throws Exception {
        TestLatch.run(dir, latch -> latch.setupAdmin());
        String before = storedHash();
        assertTrue(before.startsWith("$argon2id$v=19$m=256,t=1,p=1$"), before);
        TestLatch.run(dir, Map.of("LATCH_ARGON2_MEMORY_KIB", "512", "LATCH_ARGON2_ITERATIONS", "2"), latch ->
                assertEquals(200, latch.login(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD).status()));
        String after = storedHash();
        assertTrue(after.startsWith("$argon2id$v=19$m=512,t=2,p=1$"), after);
        assertNotEquals(before, after);
        TestLatch.run(dir, Map.of("LATCH_ARGON2_MEMORY_KIB", "512", "LATCH_ARGON2_ITERATIONS", "2"), latch ->
                assertEquals(200, latch.login(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD).status()));
    }

    @Test
    void missingFieldsAndWrongTypesAreClearErrors() {
        TestLatch.run(dir, latch -> {
            var missing = latch.http().postJson("/api/auth/login", "{\"username\":\"admin\"}");
            assertEquals(400, missing.status());
            assertTrue(missing.json().get("message").asText().contains("password"));
            var wrongType = latch.http().postJson("/api/auth/login", "{\"username\":[\"admin\"],\"password\":\"x\"}");
            assertEquals(400, wrongType.status());
            var array = latch.http().postJson("/api/auth/login", "[]");
            assertEquals(400, array.status());
            var nul = latch.http().postJson("/api/auth/login", "null");
            assertEquals(400, nul.status());
        });
    }

    private static String loginBody() {
        return "{\"username\":\"" + TestLatch.ADMIN + "\",\"password\":\"" + TestLatch.ADMIN_PASSWORD + "\"}";
    }

    private String storedHash() throws Exception {
        try (var c = TestDatabases.connect(dir);
             var rs = c.createStatement().executeQuery("SELECT password_hash FROM users WHERE username = 'admin'")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static long timed(Runnable r) {
        long start = System.nanoTime();
        r.run();
        return (System.nanoTime() - start) / 1_000_000;
    }
}
