package latch.audit;

import latch.support.TestDatabases;
import com.auth0.jwt.JWT;
import com.fasterxml.jackson.databind.JsonNode;
import latch.support.RaisesAlerts;
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
    @RaisesAlerts("presents a rotated refresh token again, which is on record too")
    void whatUsersDoToTheirOwnSessionsAndTokensIsRecorded() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            latch.createUser(admin, "bob", "bob password", "viewer");
            String phone = latch.token("bob", "bob password");
            String laptop = latch.token("bob", "bob password");
            String renewed = latch.http().post("/api/auth/refresh", "Authorization", "Bearer " + phone).json().get("token").asText();
            String laptopSid = JWT.decode(laptop).getClaim("sid").asString();
            assertEquals(204, latch.http().delete("/api/auth/sessions/" + laptopSid, "Authorization", "Bearer " + renewed).status());
            String rt = latch.passwordGrant("bob", "bob password").json().get("refresh_token").asText();
            assertEquals(200, latch.refreshGrant(rt).status());
            assertEquals(400, latch.refreshGrant(rt).status());
            latch.token("bob", "bob password"); // a device for signing out everywhere to end
            assertEquals(200, latch.http().post("/api/auth/logout-all", "Authorization", "Bearer " + renewed).status());
            assertEquals(204, latch.http().post("/api/auth/logout", "Authorization", "Bearer " + renewed).status());

            assertEvent(only(latch, admin, "refresh"), "bob", "bob", "success");
            assertEvent(only(latch, admin, "session_ended"), "bob", "bob", "success");
            assertEvent(only(latch, admin, "token_granted"), "bob", "bob", "success");
            var reused = only(latch, admin, "refresh_token_reused");
            assertEvent(reused, null, "bob", "refused");
            assertEquals("grant ended", reused.get("detail").asText());
            var ended = only(latch, admin, "sessions_ended");
            assertEvent(ended, "bob", "bob", "success");
            assertTrue(ended.get("detail").asText().startsWith("sign out everywhere"), ended.toString());
            assertEvent(only(latch, admin, "logout"), "bob", "bob", "success");
        });
    }

    @Test
    void whatAdminsDoToAccountsAndInvitesIsRecorded() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            String[] auth = {"Authorization", "Bearer " + admin};
            long carol = latch.createUser(admin, "carol", "carol password", "viewer");
            String users = "/api/users/" + carol;
            assertEquals(200, latch.http().patchJson(users, "{\"display_name\":\"Carol C\"}", auth).status());
            assertEquals(200, latch.http().patchJson(users, "{\"role\":\"editor\"}", auth).status());
            latch.token("carol", "carol password"); // each of the three below has a session to end
            assertEquals(200, latch.http().patchJson(users, "{\"enabled\":false}", auth).status());
            assertEquals(200, latch.http().patchJson(users, "{\"enabled\":true}", auth).status());
            latch.token("carol", "carol password");
            assertEquals(200, latch.http().patchJson(users, "{\"password\":\"carol's new password\"}", auth).status());
            latch.token("carol", "carol's new password");
            assertEquals(200, latch.http().post(users + "/logout-all", auth).status());
            String invite = latch.http().postJson("/api/invites", "{\"role\":\"viewer\"}", auth).json().get("id").asText();
            assertEquals(204, latch.http().delete("/api/invites/" + invite, auth).status());

            var created = latch.http().get("/api/admin/audit?type=user_created&user=carol", auth).json().get("events");
            assertEquals(1, created.size(), created.toString());
            assertEvent(created.get(0), "admin", "carol", "success");
            assertEquals("by an admin, role viewer", created.get(0).get("detail").asText());
            assertEvent(only(latch, admin, "user_updated"), "admin", "carol", "success");
            var role = only(latch, admin, "role_changed");
            assertEvent(role, "admin", "carol", "success");
            assertEquals("viewer -> editor", role.get("detail").asText());
            assertEvent(only(latch, admin, "user_disabled"), "admin", "carol", "success");
            assertEvent(only(latch, admin, "user_enabled"), "admin", "carol", "success");
            assertEvent(only(latch, admin, "password_reset"), "admin", "carol", "success");
            var ended = latch.http().get("/api/admin/audit?type=sessions_ended", auth).json().get("events");
            assertEquals(3, ended.size(), "disabling, the reset and the forced logout each end sessions: " + ended);
            // Newest first. The forced logout is the admin's act; the others follow from the change the admin made.
            assertEvent(ended.get(0), "admin", "carol", "success");
            assertTrue(ended.get(0).get("detail").asText().startsWith("forced logout"), ended.toString());
            assertEvent(ended.get(1), null, "carol", "success");
            assertTrue(ended.get(1).get("detail").asText().startsWith("password replaced"), ended.toString());
            assertEvent(ended.get(2), null, "carol", "success");
            assertTrue(ended.get(2).get("detail").asText().startsWith("account disabled"), ended.toString());
            var revoked = only(latch, admin, "invite_revoked");
            assertEvent(revoked, "admin", null, "success");
            assertEquals("invitation (role viewer, 1 use) from admin", revoked.get("detail").asText());
            assertFalse(latch.http().get("/api/admin/audit?limit=200", auth).body().contains("carol's new password"), "never a password");
        });
    }

    private static final java.util.Map<String, String> BEHIND_A_PROXY = java.util.Map.of("TRUSTED_PROXIES", "127.0.0.1,::1");

    /** Headers that make a request look like it came, through the proxy, from {@code ip} with {@code agent}. */
    private static String[] from(String ip, String agent, String... more) {
        var headers = new java.util.ArrayList<>(java.util.List.of("X-Forwarded-For", ip, "User-Agent", agent));
        headers.addAll(java.util.List.of(more));
        return headers.toArray(String[]::new);
    }

    private static String signIn(TestLatch latch, String username, String password, String[] from) {
        var res = latch.http().postJson("/api/auth/login", "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}", from);
        assertEquals(200, res.status(), res.toString());
        return res.json().get("token").asText();
    }

    @Test
    @RaisesAlerts("signs in from several networks")
    void myEventsShowAnAddressAndDeviceOnlyWhereIActedMyself() {
        TestLatch.run(dir, BEHIND_A_PROXY, latch -> {
            latch.setupAdmin();
            String[] adminDesk = {"198.51.100.1", "AdminDesk/1"};
            String[] bobPhone = {"203.0.113.7", "BobPhone/2"};
            String admin = signIn(latch, "admin", TestLatch.ADMIN_PASSWORD, from(adminDesk[0], adminDesk[1]));
            var created = latch.http().postJson("/api/users", "{\"username\":\"bob\",\"password\":\"bob password\"}",
                    from(adminDesk[0], adminDesk[1], "Authorization", "Bearer " + admin));
            long bob = created.json().get("id").asLong();
            signIn(latch, "bob", "bob password", from(bobPhone[0], bobPhone[1]));
            assertEquals(401, latch.http().postJson("/api/auth/login", "{\"username\":\"bob\",\"password\":\"guessing away\"}",
                    from("192.0.2.66", "Guesser/0")).status());
            assertEquals(200, latch.http().patchJson("/api/users/" + bob, "{\"password\":\"bob's new password\"}",
                    from(adminDesk[0], adminDesk[1], "Authorization", "Bearer " + admin)).status());
            String bobs = signIn(latch, "bob", "bob's new password", from(bobPhone[0], bobPhone[1]));

            var res = latch.http().get("/api/auth/me/events", from(bobPhone[0], bobPhone[1], "Authorization", "Bearer " + bobs));
            assertEquals(200, res.status(), res.toString());
            var events = res.json().get("events");
            var types = new java.util.HashSet<String>();
            for (var e : events) {
                types.add(e.get("type").asText());
                if ("bob".equals(e.get("actor_name").asText(null))) {
                    assertEquals(bobPhone[0], e.get("ip").asText(), e.toString());
                    assertEquals(bobPhone[1], e.get("user_agent").asText(), e.toString());
                } else {
                    assertTrue(e.get("ip").isNull() && e.get("user_agent").isNull(), "someone else's address and device: " + e);
                }
            }
            assertTrue(types.containsAll(java.util.Set.of("user_created", "sign_in", "sign_in_failed", "password_reset")), types.toString());
            assertFalse(res.body().contains(adminDesk[0]) || res.body().contains(adminDesk[1]), "never the admin's: " + res.body());
            assertFalse(res.body().contains("192.0.2.66") || res.body().contains("Guesser/0"), "nor a guesser's: " + res.body());

            // The admin's audit log keeps the whole record.
            var reset = latch.http().get("/api/admin/audit?type=password_reset", "Authorization", "Bearer " + admin).json().at("/events/0");
            assertEquals(adminDesk[0], reset.get("ip").asText(), reset.toString());
            assertEquals(adminDesk[1], reset.get("user_agent").asText(), reset.toString());
        });
    }

    @Test
    @RaisesAlerts("signs in from several networks")
    void deletingAUserStripsTheirAddressesAndDevicesFromEveryEventTheyTookPartIn() throws Exception {
        long[] goneId = new long[1];
        TestLatch.run(dir, BEHIND_A_PROXY, latch -> {
            latch.setupAdmin();
            String[] adminDesk = {"198.51.100.1", "AdminDesk/1"};
            String[] gonePhone = {"203.0.113.9", "GonePhone/1"};
            String admin = signIn(latch, "admin", TestLatch.ADMIN_PASSWORD, from(adminDesk[0], adminDesk[1]));
            goneId[0] = latch.http().postJson("/api/users", "{\"username\":\"gone\",\"password\":\"gone password\",\"role\":\"admin\"}",
                    from(adminDesk[0], adminDesk[1], "Authorization", "Bearer " + admin)).json().get("id").asLong();
            // gone is the subject of events (signs in, is guessed at) and the actor of others (an invitation, carol's account).
            String gone = signIn(latch, "gone", "gone password", from(gonePhone[0], gonePhone[1]));
            latch.http().postJson("/api/auth/login", "{\"username\":\"gone\",\"password\":\"a wrong guess\"}",
                    from("192.0.2.66", "Guesser/0"));
            String[] byGone = from(gonePhone[0], gonePhone[1], "Authorization", "Bearer " + gone);
            assertEquals(201, latch.http().postJson("/api/invites", "{}", byGone).status());
            assertEquals(201, latch.http().postJson("/api/users", "{\"username\":\"carol\",\"password\":\"carol password\"}", byGone)
                    .status());
            signIn(latch, "carol", "carol password", from("192.0.2.10", "CarolLaptop/1"));

            var deleted = latch.http().delete("/api/users/" + goneId[0], from(adminDesk[0], adminDesk[1], "Authorization", "Bearer " + admin));
            assertEquals(204, deleted.status(), deleted.toString());
        });
        long id = goneId[0];
        String tookPart = "(actor_id = " + id + " OR subject_id = " + id + ")";
        assertEquals(0, sql("SELECT COUNT(*) FROM audit_events WHERE " + tookPart + " AND type <> 'user_deleted'"
                + " AND (ip IS NOT NULL OR user_agent IS NOT NULL)"), "no address or device of an event gone took part in");
        assertEquals(0, sql("SELECT COUNT(*) FROM audit_events WHERE ip IN ('203.0.113.9', '192.0.2.66')"
                + " OR user_agent IN ('GonePhone/1', 'Guesser/0')"));
        assertEquals(1, sql("SELECT COUNT(*) FROM audit_events WHERE actor_id = " + id + " AND subject_id IS NULL AND type = 'invite_created'"),
                "what gone did is still on record, only not from where");
        assertEquals(1, sql("SELECT COUNT(*) FROM audit_events WHERE actor_id = " + id + " AND subject_name = 'carol' AND type = 'user_created'"));
        assertEquals(1, sql("SELECT COUNT(*) FROM audit_events WHERE type = 'sign_in' AND actor_name = 'carol'"
                + " AND ip = '192.0.2.10' AND user_agent = 'CarolLaptop/1'"), "other people's events keep theirs");
        assertEquals(1, sql("SELECT COUNT(*) FROM audit_events WHERE type = 'user_deleted' AND subject_id = " + id
                + " AND actor_name = 'admin' AND ip = '198.51.100.1'"), "the deletion is the admin's act, from the admin's address");
    }

    private long sql(String query) throws Exception {
        try (var c = TestDatabases.connect(dir);
             var rs = c.createStatement().executeQuery(query)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** The one event of {@code type} in the admin's audit log. */
    private static JsonNode only(TestLatch latch, String admin, String type) {
        var events = latch.http().get("/api/admin/audit?type=" + type, "Authorization", "Bearer " + admin).json().get("events");
        assertEquals(1, events.size(), type + ": " + events);
        assertEquals(type, events.get(0).get("type").asText());
        return events.get(0);
    }

    private static void assertEvent(JsonNode e, String actor, String subject, String outcome) {
        assertEquals(actor, e.get("actor_name").isNull() ? null : e.get("actor_name").asText(), "actor of " + e);
        assertEquals(subject, e.get("subject_name").isNull() ? null : e.get("subject_name").asText(), "subject of " + e);
        assertEquals(outcome, e.get("outcome").asText(), "outcome of " + e);
    }

    @Test
    void aRefreshThroughTheTokenEndpointIsRecorded() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            String refresh = latch.passwordGrant(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD).json().get("refresh_token").asText();
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
    @RaisesAlerts("a flood of wrong passwords from one client")
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
