package latch.monitoring;

import latch.support.Http;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsTest {
    static final String SCRAPE_TOKEN = "scrape-token-0123456789abcdef0123456789abcdef";
    static final Map<String, String> WITH_TOKEN = Map.of("METRICS_TOKEN", SCRAPE_TOKEN);

    @TempDir
    Path dir;

    @Test
    void aScrapeWithTheMetricsTokenIsValidPrometheusTextAndCountsWhatHappened() throws Exception {
        TestLatch.run(dir, WITH_TOKEN, latch -> {
            String admin = latch.setupAdmin();
            long id = latch.createUser(admin, "viewer", "viewer password 1", "viewer");
            assertEquals(200, latch.http().get("/api/users/" + id, "Authorization", Http.bearer(admin)).status());
            assertEquals(401, latch.login("viewer", "wrong password 1").status());
            latch.token("viewer", "viewer password 1");
            assertEquals(200, latch.http().get("/api/auth/me", "Authorization", Http.bearer(admin)).status());
            assertEquals(404, latch.http().get("/no/such/page/4711").status());

            var res = latch.http().get("/metrics", "Authorization", Http.bearer(SCRAPE_TOKEN));
            assertEquals(200, res.status(), res.toString());
            assertTrue(res.header("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"), res.toString());
            String text = res.body();
            assertParsesWithPromtool(text);

            // The route template, never the raw path: a user id would make one series per user.
            assertTrue(text.contains("latch_http_requests_total{method=\"GET\",route=\"/api/users/{id}\",status=\"200\"} 1"), text);
            assertFalse(text.contains("/api/users/" + id + "\""), "no raw path in a label");
            assertFalse(text.contains("4711"), "no unmatched path in a label");
            assertTrue(text.contains("route=\"unmatched\",status=\"404\""), text);
            assertTrue(text.contains("latch_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/auth/me\",le=\"0.005\"}"), text);
            assertTrue(text.contains("latch_sign_ins_total{method=\"password\",outcome=\"failure\"} 1"), text);
            assertTrue(text.contains("latch_sign_ins_total{method=\"password\",outcome=\"success\"} 1"), text);
            assertTrue(text.contains("latch_tokens_total{event=\"minted\",type=\"session\"} 2"), "setup and sign-in: " + text);
            assertTrue(text.matches("(?s).*latch_tokens_total\\{event=\"verified\",type=\"session\"} [1-9].*"), text);
            assertTrue(text.contains("latch_blocklist_entries 0"), text);
            assertTrue(text.contains("latch_netplay_write_token_ledger_entries 0"), text);
            assertTrue(text.contains("latch_argon2_queue_length 0"), text);
            assertTrue(text.contains("jvm_memory_used_bytes{area=\"heap\"}"), text);
            assertTrue(text.contains("jvm_gc_collection_seconds"), text);
            assertFalse(text.contains(SCRAPE_TOKEN) || text.contains(admin), "no secret in the scrape");
        });
    }

    @Test
    void rateLimitRefusalsAreCountedByLimitName() {
        TestLatch.run(dir, Map.of("METRICS_TOKEN", SCRAPE_TOKEN, "LOGIN_MAX_ATTEMPTS_PER_IP", "1"), latch -> {
            latch.setupAdmin();
            assertEquals(401, latch.login("admin", "wrong password 1").status());
            assertEquals(429, latch.login("admin", "wrong password 1").status());
            String text = latch.http().get("/metrics", "Authorization", Http.bearer(SCRAPE_TOKEN)).body();
            assertTrue(text.contains("latch_rate_limit_refusals_total{limit=\"login\"} 1"), text);
        });
    }

    @Test
    void whatThePurgeDeletedIsCountedByKind() {
        TestLatch.run(dir, WITH_TOKEN, latch -> {
            String admin = latch.setupAdmin();
            assertEquals(204, latch.http().post("/api/auth/logout", "Authorization", Http.bearer(admin)).status());
            latch.clock().advance(java.time.Duration.ofDays(2)); // an ended session is kept a day
            latch.deps().jobs().runNow("purge");
            String text = latch.http().get("/metrics", "Authorization", Http.bearer(SCRAPE_TOKEN)).body();
            assertTrue(text.contains("latch_purged_rows_total{kind=\"sessions\"} 1"), text);
            assertFalse(text.contains("latch_purged_rows_total{kind=\"invites\"}"), "a kind with nothing deleted adds no series");
        });
    }

    @Test
    void anAdminsSessionMayScrape() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            var res = latch.http().get("/metrics", "Authorization", Http.bearer(admin));
            assertEquals(200, res.status(), res.toString());
            assertTrue(res.body().contains("latch_http_requests_total"));
        });
    }

    @Test
    void noCredentialIsRefusedWith401() {
        TestLatch.run(dir, WITH_TOKEN, latch -> {
            var res = latch.http().get("/metrics");
            assertEquals(401, res.status());
            assertEquals("unauthorized", res.json().get("error").asText());
            assertTrue(res.json().has("message"));
        });
    }

    @Test
    void aWrongMetricsTokenIsRefusedWith401() {
        TestLatch.run(dir, WITH_TOKEN, latch -> {
            var res = latch.http().get("/metrics", "Authorization", Http.bearer(SCRAPE_TOKEN + "x"));
            assertEquals(401, res.status(), res.toString());
            assertTrue(res.json().has("error") && res.json().has("message"));
            assertFalse(res.body().contains(SCRAPE_TOKEN));
            res = latch.http().get("/metrics", "Authorization", Http.bearer(SCRAPE_TOKEN.substring(0, 20)));
            assertEquals(401, res.status(), res.toString());
        });
    }

    @Test
    void theMetricsTokenOpensNothingElse() {
        TestLatch.run(dir, WITH_TOKEN, latch -> {
            latch.setupAdmin();
            assertEquals(401, latch.http().get("/api/users", "Authorization", Http.bearer(SCRAPE_TOKEN)).status());
        });
    }

    @Test
    void aViewersSessionIsRefusedWith403() {
        TestLatch.run(dir, WITH_TOKEN, latch -> {
            String admin = latch.setupAdmin();
            latch.createUser(admin, "viewer", "viewer password 1", "viewer");
            String viewer = latch.token("viewer", "viewer password 1");
            var res = latch.http().get("/metrics", "Authorization", Http.bearer(viewer));
            assertEquals(403, res.status(), res.toString());
            assertEquals("insufficient_scope", res.json().get("error").asText());
        });
    }

    @Test
    void switchedOffTheEndpointSays404AndEverythingElseWorks() {
        TestLatch.run(dir, Map.of("METRICS_ENABLED", "false", "METRICS_TOKEN", SCRAPE_TOKEN), latch -> {
            String admin = latch.setupAdmin();
            assertEquals(200, latch.http().get("/api/auth/me", "Authorization", Http.bearer(admin)).status());
            var res = latch.http().get("/metrics", "Authorization", Http.bearer(SCRAPE_TOKEN));
            assertEquals(404, res.status());
            assertEquals("not_found", res.json().get("error").asText());
        });
    }

    /** Prometheus' own parser and linter: {@code promtool check metrics} (Debian's prometheus package; .ci/run installs it). */
    static void assertParsesWithPromtool(String text) throws IOException, InterruptedException {
        var process = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        try (var in = process.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "promtool did not finish");
        assertEquals(0, process.exitValue(), "promtool check metrics: " + out);
    }
}
