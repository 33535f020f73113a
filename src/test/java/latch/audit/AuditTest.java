package latch.audit;

import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuditTest {
    @TempDir
    Path dir;

    @Test
    void securityEventsAreRecordedWithTimeActorSubjectClientAndOutcome() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            latch.login("admin", "Tr0ub4dor-guess");
            latch.http().postJson("/api/auth/login", "{\"username\":\"admin\",\"password\":\"" + TestLatch.ADMIN_PASSWORD + "\"}",
                    "User-Agent", "AuditTest/1");
            var events = latch.http().get("/api/admin/audit", "Authorization", "Bearer " + admin).json().get("events");
            var first = events.get(0);
            assertEquals("sign_in", first.get("type").asText());
            assertEquals("success", first.get("outcome").asText());
            assertEquals("admin", first.get("subject_name").asText());
            assertEquals("AuditTest/1", first.get("user_agent").asText());
            assertTrue(first.get("at").asText().endsWith("Z"));
            assertEquals("sign_in_failed", events.get(1).get("type").asText());
            assertEquals("failure", events.get(1).get("outcome").asText());
            assertFalse(events.toString().contains(TestLatch.ADMIN_PASSWORD), "never a password");
            assertFalse(events.toString().contains("Tr0ub4dor"), "not even a wrong one");
        });
    }

    @Test
    void theLogFiltersAndPagesByKeyset() {
        TestLatch.run(dir, java.util.Map.of("LOGIN_MAX_ATTEMPTS_PER_IP", "100", "LOGIN_BAN_MAX_FAILURES", "100"), latch -> {
            String admin = latch.setupAdmin();
            for (int i = 0; i < 7; i++) {
                latch.login("admin", "wrong password " + i);
            }
            latch.clock().advance(Duration.ofHours(2));
            latch.login("admin", "later wrong password");
            String auth = "Bearer " + admin;
            var seen = new HashSet<Long>();
            String cursor = "";
            int pages = 0;
            do {
                var page = latch.http().get("/api/admin/audit?type=sign_in_failed&limit=3&cursor=" + cursor, "Authorization", auth).json();
                page.get("events").forEach(e -> assertTrue(seen.add(e.get("id").asLong()), "no event twice"));
                cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
                pages++;
            } while (cursor != null && pages < 10);
            assertEquals(8, seen.size());
            assertEquals(3, pages);
            String since = latch.clock().instant().minus(Duration.ofMinutes(30)).toString();
            var recent = latch.http().get("/api/admin/audit?type=sign_in_failed&since=" + since, "Authorization", auth).json().get("events");
            assertEquals(1, recent.size());
            var byUser = latch.http().get("/api/admin/audit?user=admin&type=setup_completed", "Authorization", auth).json().get("events");
            assertEquals(1, byUser.size());
            assertNull(latch.http().get("/api/admin/audit?limit=500", "Authorization", auth).json().get("events"));
            assertEquals(400, latch.http().get("/api/admin/audit?limit=500", "Authorization", auth).status());
            assertEquals(400, latch.http().get("/api/admin/audit?type=made_up", "Authorization", auth).status());
            assertEquals(400, latch.http().get("/api/admin/audit?since=yesterday", "Authorization", auth).status());
            assertEquals(400, latch.http().get("/api/admin/audit?cursor=abc", "Authorization", auth).status());
            assertEquals(404, latch.http().get("/api/admin/audit?user=nobody", "Authorization", auth).status());
        });
    }

    @Test
    void aRefreshThroughTheTokenEndpointIsRecorded() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            String refresh = latch.http().postForm("/api/token", "grant_type=password&username=admin&password="
                    + TestLatch.ADMIN_PASSWORD.replace(' ', '+')).json().get("refresh_token").asText();
            var res = latch.http().postForm("/api/token", "grant_type=refresh_token&scope=me.read&refresh_token=" + refresh,
                    "User-Agent", "SyncApp/3");
            assertEquals(200, res.status(), res.toString());
            var events = latch.http().get("/api/admin/audit?type=token_refreshed", "Authorization", "Bearer " + admin).json().get("events");
            assertEquals(1, events.size(), events.toString());
            var e = events.get(0);
            assertEquals("success", e.get("outcome").asText());
            assertEquals("admin", e.get("actor_name").asText());
            assertEquals("admin", e.get("subject_name").asText());
            assertEquals("SyncApp/3", e.get("user_agent").asText());
            assertTrue(e.get("detail").asText().contains("me.read"), e.toString());
            assertFalse(events.toString().contains(refresh), "never the token");
        });
    }

    @Test
    void aFloodOfRateLimitRefusalsIsRecordedOnce() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            for (int i = 0; i < 20; i++) {
                latch.login("someone", "wrong password");
            }
            var limited = latch.http().get("/api/admin/audit?type=rate_limited", "Authorization", "Bearer " + admin).json().get("events");
            assertEquals(1, limited.size());
        });
    }
}
