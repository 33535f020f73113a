package latch.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import latch.access.Principal;
import latch.invite.SqlInviteStore;
import latch.session.SqlRevocationStore;
import latch.session.SqlSessionStore;
import latch.support.DatabaseFile;
import latch.support.Http;
import latch.support.PostgresServer;
import latch.support.RedisServer;
import latch.support.RaisesAlerts;
import latch.support.TestLatch;
import latch.token.KeyRing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The purge deletes what no one needs any more, kind by kind in bounded batches, and nothing that is still live:
 * the clock is moved a month on, and the database file is asked what is left.
 */
class PurgeTest {
    private static final String BOB_PASSWORD = "bob's password";
    private static final Map<String, String> SETTINGS = Map.of(
            "LOGIN_MAX_ATTEMPTS_PER_IP", "1000",
            "OAUTH_REFRESH_TOKEN_EXPIRE_SECONDS", "3600");

    @TempDir
    Path dir;

    private static String[] bearer(String token) {
        return new String[] {"Authorization", Http.bearer(token)};
    }

    private static JsonNode created(Http.Response res) {
        assertTrue(res.status() == 200 || res.status() == 201, res.toString());
        return res.json();
    }

    private long rows(String sql, Object... params) {
        return DatabaseFile.number(dir, sql, params);
    }

    private static void runPurge(TestLatch latch) {
        long before = latch.deps().jobs().status().stream().filter(s -> s.name().equals("purge")).findFirst().orElseThrow().runs();
        latch.deps().jobs().runNow("purge");
        assertEquals(0, before, "the scheduled purge (30 s after start) ran first; this machine is too slow for the counts below");
    }

    @Test
    @RaisesAlerts("presents a kept spent refresh token again, to show the purge kept it")
    void aMonthLaterEveryKindOfDeadRowIsPurgedAndCountedAndLiveOnesStay() {
        TestLatch.run(dir, SETTINGS, latch -> {
            var http = latch.http();
            // A month ago: sessions that ended or ran out, tokens, invites, codes and a signing key that then retired.
            String oldAdmin = latch.setupAdmin();
            latch.createUser(oldAdmin, "bob", BOB_PASSWORD, "viewer");
            assertEquals(204, http.post("/api/auth/logout", bearer(latch.token("bob", BOB_PASSWORD))).status());
            latch.token("bob", BOB_PASSWORD); // never signed out: runs out after a day

            String revoked = created(http.postJson("/api/client-tokens", "{\"name\":\"revoked\",\"scopes\":[\"me.read\"]}", bearer(oldAdmin)))
                    .get("id").asText();
            assertEquals(204, http.delete("/api/client-tokens/" + revoked, bearer(oldAdmin)).status());
            created(http.postJson("/api/client-tokens", "{\"name\":\"expired\",\"scopes\":[\"me.read\"],\"expires_in_seconds\":60}",
                    bearer(oldAdmin)));
            var kept = created(http.postJson("/api/client-tokens", "{\"name\":\"kept\",\"scopes\":[\"me.read\"]}", bearer(oldAdmin)));
            created(http.post("/api/client-tokens/" + kept.get("id").asText() + "/pair", bearer(oldAdmin)));

            String spent = created(http.postJson("/api/invites", "{\"max_uses\":1}", bearer(oldAdmin))).get("token").asText();
            created(http.postJson("/api/auth/register", "{\"invite\":\"" + spent + "\",\"username\":\"carol\",\"password\":\"carol password\"}"));
            created(http.postJson("/api/invites", "{\"expires_in_seconds\":60}", bearer(oldAdmin)));
            String revokedInvite = created(http.postJson("/api/invites", "{}", bearer(oldAdmin))).get("id").asText();
            assertEquals(204, http.delete("/api/invites/" + revokedInvite, bearer(oldAdmin)).status());
            created(http.postJson("/api/auth/device/init", "{\"client_name\":\"old device\",\"scopes\":[\"me.read\"]}"));
            var bob = latch.deps().users().findByUsername("bob").orElseThrow();
            latch.deps().recovery().service().loginLink(Principal.system("test", latch.deps().scopes().all()), bob);
            created(http.post("/api/users/" + bob.id() + "/reset-link", bearer(oldAdmin))); // voided by the next one
            created(http.post("/api/users/" + bob.id() + "/reset-link", bearer(oldAdmin))); // never used: expires
            sessionKeys(latch).rotate();
            latch.deps().netplay().keys().rotate(true);

            // An hour and a half before now: an OAuth grant refreshed twice (the second time a minute ago), and one left alone.
            Instant now = latch.clock().instant().plus(Duration.ofDays(31));
            latch.clock().advance(Duration.ofDays(31).minusSeconds(5400));
            String admin = latch.token(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD);
            String first = created(latch.passwordGrant(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD)).get("refresh_token").asText();
            created(latch.passwordGrant(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD));
            latch.clock().advance(Duration.ofSeconds(2400));
            String second = created(latch.refreshGrant(first)).get("refresh_token").asText();
            latch.clock().advance(Duration.ofSeconds(2940));
            String third = created(latch.refreshGrant(second)).get("refresh_token").asText();
            latch.clock().advance(Duration.ofSeconds(60));
            assertEquals(now, latch.clock().instant());

            // Now: live rows of every kind.
            assertEquals(204, http.post("/api/auth/logout", bearer(latch.token("bob", BOB_PASSWORD))).status());
            String liveInvite = created(http.postJson("/api/invites", "{}", bearer(admin))).get("token").asText();
            created(http.post("/api/users/" + bob.id() + "/reset-link", bearer(admin)));
            created(http.post("/api/client-tokens/" + kept.get("id").asText() + "/pair", bearer(admin)));
            String liveDevice = created(http.postJson("/api/auth/device/init", "{\"client_name\":\"new device\",\"scopes\":[\"me.read\"]}"))
                    .get("user_code").asText();
            long t = now.getEpochSecond();
            // Single sign-on attempts never finished: one that ran out, one still waiting at the provider.
            for (long expires : new long[] {t - 1, t + 600}) {
                DatabaseFile.update(dir, "INSERT INTO oidc_sign_ins(state_digest, challenge, nonce, return_to, expires_at)"
                        + " VALUES (?, 'c', 'n', '/', ?)", "state-" + expires, expires);
            }
            long oldChanges = rows("SELECT COUNT(*) FROM change_log WHERE at < ?", t - 3600);
            long newChanges = rows("SELECT COUNT(*) FROM change_log WHERE at >= ?", t - 3600);
            assertTrue(oldChanges > 0 && newChanges > 0);

            runPurge(latch);

            var purged = new HashMap<>(latch.deps().purge().lastRun());
            // On a shared database without Redis the limits' rows go too; Bucket4j stamps a bucket's row with the
            // wall-clock time it is full again, so how many are gone by now is not this test's to count
            // (SharedRateLimiterTest does). Redis forgets its keys itself: nothing of theirs to purge then.
            boolean limitsInTheDatabase = PostgresServer.selected() && !RedisServer.selected();
            assertEquals(limitsInTheDatabase, purged.remove("rate_limit_buckets") != null);
            assertEquals(limitsInTheDatabase ? 0 : null, purged.remove("refusal_windows"));
            assertEquals(Map.ofEntries(Map.entry("sessions", 4), Map.entry("refresh_tokens", 2), Map.entry("revocations", 1),
                    Map.entry("invites", 3), Map.entry("pairing", 2), Map.entry("client_tokens", 2), Map.entry("one_time_links", 3),
                    Map.entry("signing_keys", 1), Map.entry("published_keys", 1), Map.entry("oidc_sign_ins", 1),
                    Map.entry("change_log", (int) oldChanges), Map.entry("audit_events", 0)),
                    purged);
            // Left: the admin's new session, both grants (one ran out only half an hour ago) and bob's sign-out of today.
            assertEquals(4, rows("SELECT COUNT(*) FROM sessions"));
            assertEquals(1, rows("SELECT COUNT(*) FROM oidc_sign_ins WHERE expires_at > ?", t));
            assertEquals(0, rows("SELECT COUNT(*) FROM sessions WHERE (ended_at IS NOT NULL AND ended_at < ?) OR expires_at < ?",
                    t - 86400, t - 86400));
            assertEquals(2, rows("SELECT COUNT(*) FROM refresh_tokens"), "the spent but unexpired token and the current one");
            assertEquals(1, rows("SELECT COUNT(*) FROM refresh_tokens WHERE used_at IS NOT NULL"));
            assertEquals(0, rows("SELECT COUNT(*) FROM refresh_tokens WHERE expires_at < ?", t));
            assertEquals(1, rows("SELECT COUNT(*) FROM revoked_tokens"), "today's sign-out still blocks its token");
            assertEquals(1, rows("SELECT COUNT(*) FROM invites"));
            assertEquals(1, rows("SELECT COUNT(*) FROM one_time_links WHERE used_at IS NULL"), "the reset link made today");
            assertEquals(1, rows("SELECT COUNT(*) FROM one_time_links"));
            assertEquals(1, rows("SELECT COUNT(*) FROM pairing_codes"));
            assertEquals(1, rows("SELECT COUNT(*) FROM device_authorizations"));
            assertEquals(List.of("kept"), DatabaseFile.strings(dir, "SELECT name FROM client_tokens"));
            assertEquals(0, rows("SELECT COUNT(*) FROM signing_keys WHERE retires_at IS NOT NULL"));
            assertEquals(2, rows("SELECT COUNT(*) FROM signing_keys"), "the current session and access keys");
            assertEquals(0, rows("SELECT COUNT(*) FROM change_log WHERE at < ?", t - 3600));
            assertTrue(rows("SELECT COUNT(*) FROM change_log") >= newChanges);

            // What is left still works.
            assertEquals(200, http.get("/api/auth/me", bearer(admin)).status());
            assertEquals(200, http.get("/api/auth/me", bearer(kept.get("token").asText())).status());
            assertEquals(204, http.postJson("/api/auth/device/approve", "{\"user_code\":\"" + liveDevice + "\"}", bearer(admin)).status());
            assertEquals(201, http.postJson("/api/auth/register",
                    "{\"invite\":\"" + liveInvite + "\",\"username\":\"dave\",\"password\":\"dave password\"}").status());
            // The spent refresh token was kept: coming back, it is still recognised as a replay and ends the grant.
            var replay = latch.refreshGrant(second);
            assertEquals(400, replay.status(), replay.toString());
            assertEquals("invalid_grant", replay.json().get("error").asText());
            assertEquals(400, latch.refreshGrant(third).status(), "the grant ended, so its current token died with it");
        });
    }

    @Test
    void auditEventsPastTheRetentionPeriodAreDeletedAndNotOneSecondYounger() {
        TestLatch.run(dir, Map.of("AUDIT_RETENTION_DAYS", "30"), latch -> {
            latch.setupAdmin();
            long early = rows("SELECT COUNT(*) FROM audit_events");
            assertTrue(early > 0, "setting up is recorded");
            latch.clock().advance(Duration.ofDays(20));
            latch.token(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD);
            long later = rows("SELECT COUNT(*) FROM audit_events") - early;
            assertTrue(later > 0, "the sign-in twenty days on is recorded");
            // Setup's events are now 30 days and a second old; two more sit either side of the limit.
            latch.clock().advance(Duration.ofDays(10).plusSeconds(1));
            long limit = latch.clock().instant().minus(Duration.ofDays(30)).getEpochSecond();
            for (long at : new long[] {limit - 1, limit}) {
                DatabaseFile.update(dir, "INSERT INTO audit_events(at, type, outcome, detail) VALUES (?, 'sign_in_failed', 'failure', ?)",
                        at, "at " + at);
            }

            runPurge(latch);

            assertEquals((int) early + 1, latch.deps().purge().lastRun().get("audit_events"));
            assertEquals(0, rows("SELECT COUNT(*) FROM audit_events WHERE at < ?", limit));
            assertEquals(later + 1, rows("SELECT COUNT(*) FROM audit_events"), "the sign-in and the event exactly at the limit stay");
            assertEquals(1, rows("SELECT COUNT(*) FROM audit_events WHERE at = ?", limit));
        });
    }

    private static KeyRing sessionKeys(TestLatch latch) {
        return latch.deps().keyRings().stream().filter(r -> r.purpose().equals("session")).findFirst().orElseThrow();
    }

    @Test
    void aBacklogLargerThanABatchIsDeletedInSeveralBatchesInOneRun() {
        TestLatch.run(dir, latch -> {
            latch.setupAdmin();
            long old = latch.clock().instant().minus(Duration.ofDays(10)).getEpochSecond();
            int backlog = 2500; // the server deletes 1000 rows per batch
            DatabaseFile.update(dir, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)"
                    + " INSERT INTO revoked_tokens(jti, expires_at) SELECT 'old-' || i, ? FROM n", backlog, old);
            DatabaseFile.update(dir, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)"
                    + " INSERT INTO sessions(id, user_id, created_at, last_seen_at, expires_at, ended_at, ip, user_agent)"
                    + " SELECT 'old-' || i, 1, ?, ?, ?, ?, '192.0.2.1', 'old' FROM n", backlog, old, old, old + 86400, old);

            runPurge(latch);

            assertEquals(backlog, latch.deps().purge().lastRun().get("revocations"));
            assertEquals(backlog, latch.deps().purge().lastRun().get("sessions"));
            assertEquals(0, rows("SELECT COUNT(*) FROM revoked_tokens"));
            assertEquals(1, rows("SELECT COUNT(*) FROM sessions"), "only setup's own session is left");
        });
    }

    @Test
    void aSmallBatchSizeDeletesEverythingAcrossBatchesAndARunStopsAtItsLimit() {
        TestLatch.run(dir, latch -> {
            latch.setupAdmin();
            var db = latch.deps().db();
            Instant now = latch.clock().instant();
            long old = now.minus(Duration.ofDays(10)).getEpochSecond();
            DatabaseFile.update(dir, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10)"
                    + " INSERT INTO invites(id, token_hash, role, created_by, created_at, expires_at, max_uses)"
                    + " SELECT 'old-' || i, 'hash-' || i, 'viewer', 1, ?, ?, 1 FROM n", old, old + 3600);
            DatabaseFile.update(dir, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10)"
                    + " INSERT INTO revoked_tokens(jti, expires_at) SELECT 'old-' || i, ? FROM n", old);
            var invites = new SqlInviteStore(db);
            var revocations = new SqlRevocationStore(db);
            var sessions = new SqlSessionStore(db);
            var batches = new ArrayList<String>();
            var steps = List.of(
                    new Purge.Step("invites", n -> counted(batches, "invites", invites.purgeSpent(now.minus(Duration.ofDays(7)), n))),
                    new Purge.Step("revocations", n -> counted(batches, "revocations", revocations.purgeExpired(now, n))),
                    new Purge.Step("sessions", n -> counted(batches, "sessions", sessions.purgeEnded(now, n))));

            var bounded = new Purge(steps, 3, 2);
            bounded.run();
            assertEquals(Map.of("invites", 6, "revocations", 6, "sessions", 0), bounded.lastRun(), "two batches of three, then it stops");
            assertEquals(4, rows("SELECT COUNT(*) FROM invites"));
            assertEquals(4, rows("SELECT COUNT(*) FROM revoked_tokens"));

            batches.clear();
            var patient = new Purge(steps, 3, 100);
            patient.run();
            assertEquals(Map.of("invites", 4, "revocations", 4, "sessions", 0), patient.lastRun());
            assertEquals(List.of("invites 3", "invites 1", "revocations 3", "revocations 1", "sessions 0"), batches,
                    "a short batch means the kind is done");
            assertEquals(0, rows("SELECT COUNT(*) FROM invites"));
            assertEquals(0, rows("SELECT COUNT(*) FROM revoked_tokens"));
            assertEquals(1, rows("SELECT COUNT(*) FROM sessions"), "nothing else was touched");
        });
    }

    private static int counted(List<String> batches, String kind, int deleted) {
        batches.add(kind + " " + deleted);
        return deleted;
    }
}
