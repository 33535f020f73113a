package latch.monitoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import latch.support.Http;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestLogTest {
    @TempDir
    Path dir;

    /** The lines Latch wrote, by level. */
    static final class Lines implements LogSink {
        final List<String> info = new CopyOnWriteArrayList<>();
        final List<String> warn = new CopyOnWriteArrayList<>();

        @Override public boolean infoEnabled() { return true; }
        @Override public void info(String line) { info.add(line); }
        @Override public void warn(String line) { warn.add(line); }

        /** The line is written after the answer has gone out: wait for it a little. */
        String await(List<String> lines, Predicate<String> wanted) throws InterruptedException {
            for (int i = 0; i < 200; i++) {
                for (String line : lines) {
                    if (wanted.test(line)) {
                        return line;
                    }
                }
                Thread.sleep(10);
            }
            throw new AssertionError("no such line in " + lines);
        }

        List<String> all() {
            var out = new ArrayList<>(info);
            out.addAll(warn);
            return out;
        }
    }

    @Test
    void oneLinePerRequestWithTheRouteTemplateStatusClientAndUser() throws Exception {
        var lines = new Lines();
        TestLatch.run(dir, Map.of(), lines, latch -> {
            String admin = latch.setupAdmin();
            long id = latch.createUser(admin, "viewer", "viewer password 1", "viewer");
            latch.http().get("/api/users/" + id, "Authorization", Http.bearer(admin));
            String line = lines.await(lines.info, l -> l.startsWith("GET /api/users/{id} "));
            assertTrue(line.matches("GET /api/users/\\{id} 200 \\d+\\.\\d\\dms client=127\\.0\\.0\\.1 user_id=1"), line);
            latch.http().get("/api/health");
            line = lines.await(lines.info, l -> l.startsWith("GET /api/health "));
            assertTrue(line.matches("GET /api/health 200 \\d+\\.\\d\\dms client=127\\.0\\.0\\.1"), "no user on a public route: " + line);
            latch.http().get("/no/such/page");
            assertTrue(lines.await(lines.info, l -> l.startsWith("GET unmatched 404 ")).contains("client="));
        });
    }

    @Test
    void noTokenCookiePasswordOrQueryStringEverReachesALine() throws Exception {
        var lines = new Lines();
        TestLatch.run(dir, Map.of(), lines, latch -> {
            String admin = latch.setupAdmin();
            latch.http().get("/api/auth/me?access_token=" + admin + "&secret=query-secret-4711", "Authorization", Http.bearer(admin));
            latch.http().get("/api/auth/me?x=1", "Cookie", "latch_token=" + admin);
            latch.http().get("/api/auth/me", "Authorization", Http.bearer("made-up-token-0815"));
            latch.login("admin", "typed-password-0815");
            latch.http().get("/api/users/4711?token=" + admin, "Authorization", Http.bearer(admin));
            lines.await(lines.info, l -> l.startsWith("GET /api/users/{id} 404"));
            lines.await(lines.warn, l -> l.startsWith("sign-in failed"));
            for (String line : lines.all()) {
                for (String secret : List.of(admin, "query-secret-4711", "made-up-token-0815", "typed-password-0815",
                        "access_token", "?", "4711", "latch_token")) {
                    assertFalse(line.contains(secret), "'" + secret + "' in: " + line);
                }
            }
        });
    }

    @Test
    void theClientIsTheAddressATrustedProxyForwarded() throws Exception {
        var lines = new Lines();
        TestLatch.run(dir, Map.of("TRUSTED_PROXIES", "127.0.0.1,::1"), lines, latch -> {
            latch.http().get("/api/health", "X-Forwarded-For", "203.0.113.9");
            assertTrue(lines.await(lines.info, l -> l.startsWith("GET /api/health ")).endsWith("client=203.0.113.9"));
        });
    }

    @Test
    void anUntrustedPeerCannotChooseTheAddressItIsLoggedUnder() throws Exception {
        var lines = new Lines();
        TestLatch.run(dir, Map.of(), lines, latch -> {
            latch.setupAdmin();
            latch.http().postJson("/api/auth/login", "{\"username\":\"admin\",\"password\":\"wrong password 1\"}",
                    "X-Forwarded-For", "203.0.113.9");
            assertEquals("sign-in failed for user=admin from=127.0.0.1", lines.await(lines.warn, l -> true));
        });
    }

    @Test
    void theReadmesFail2banFilterMatchesARealFailedSignInAndNothingElse() throws Exception {
        var lines = new Lines();
        TestLatch.run(dir, Map.of("TRUSTED_PROXIES", "127.0.0.1,::1"), lines, latch -> {
            latch.setupAdmin();
            // A name that tries to plant its own address and a second line.
            latch.http().postJson("/api/auth/login",
                    "{\"username\":\"x from=198.51.100.1\\nsign-in failed for user=y from=198.51.100.2\",\"password\":\"p\"}",
                    "X-Forwarded-For", "203.0.113.9");
            assertEquals(401, latch.login("admin", "wrong password 1").status());
            lines.await(lines.info, l -> l.startsWith("POST /api/auth/login 401"));
            Pattern failregex = fail2banRegex(0);
            var hosts = new ArrayList<String>();
            for (String line : lines.all()) {
                var m = failregex.matcher(line);
                if (m.find()) {
                    hosts.add(m.group("host"));
                }
            }
            assertEquals(List.of("203.0.113.9", "127.0.0.1"), hosts, lines.all().toString());
            assertTrue(lines.warn.get(0).startsWith("sign-in failed for user=x?from?198.51.100.1?sign-in?failed?for?user?y?"), lines.warn.get(0));
        });
    }

    @Test
    void jsonLinesAreJsonAndTheJsonFilterMatchesAFailedSignIn() throws Exception {
        var lines = new Lines();
        TestLatch.run(dir, Map.of("LOG_FORMAT", "json"), lines, latch -> {
            String admin = latch.setupAdmin();
            latch.http().get("/api/auth/me?token=" + admin, "Authorization", Http.bearer(admin));
            assertEquals(401, latch.login("admin\"", "wrong password 1").status());
            String line = lines.await(lines.info, l -> l.contains("\"route\":\"/api/auth/me\""));
            var json = new ObjectMapper().readTree(line);
            assertEquals("request", json.get("event").asText());
            assertEquals("GET", json.get("method").asText());
            assertEquals(200, json.get("status").asInt());
            assertEquals("127.0.0.1", json.get("client").asText());
            assertEquals(1, json.get("user_id").asLong());
            assertTrue(json.get("ms").isNumber());
            assertFalse(line.contains(admin));
            String warn = lines.await(lines.warn, l -> true);
            assertEquals("admin?", new ObjectMapper().readTree(warn).get("user").asText());
            var m = fail2banRegex(1).matcher(warn);
            assertTrue(m.find(), warn);
            assertEquals("127.0.0.1", m.group("host"));
        });
    }

    /**
     * The n-th {@code failregex} of the README's fail2ban filter (commented or not), with {@code <HOST>} as fail2ban
     * expands it: an optional IPv4-mapped prefix, then the address.
     */
    static Pattern fail2banRegex(int n) throws Exception {
        var found = new ArrayList<String>();
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            if (line.startsWith("failregex = ") || line.startsWith("#failregex = ")) {
                found.add(line.substring(line.indexOf("= ") + 2));
            }
        }
        assertEquals(2, found.size(), "the README's fail2ban filter: " + found);
        return Pattern.compile(found.get(n).replace("<HOST>", "(?:::f{4,6}:)?(?<host>\\S+)"));
    }
}
