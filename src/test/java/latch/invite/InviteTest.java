package latch.invite;

import latch.support.TestDatabases;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InviteTest {
    @TempDir
    Path dir;

    private static String[] bearer(String token) {
        return new String[] {"Authorization", "Bearer " + token};
    }

    private static String register(String invite, String username) {
        return "{\"invite\":\"" + invite + "\",\"username\":\"" + username + "\",\"password\":\"invitee password\"}";
    }

    @Test
    void anInviteeRegistersWithTheInvitesRoleAndIsSignedIn() throws Exception {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            var invite = latch.http().postJson("/api/invites", "{\"role\":\"editor\"}", bearer(admin));
            assertEquals(201, invite.status(), invite.toString());
            String token = invite.json().get("token").asText();
            assertTrue(token.length() >= 22, "at least 128 bits");
            assertTrue(invite.json().get("url").asText().endsWith("/register#invite=" + token));
            var res = latch.http().postJson("/api/auth/register", register(token, "newbie"));
            assertEquals(201, res.status(), res.toString());
            assertEquals("editor", res.json().at("/user/role").asText());
            assertTrue(res.setCookie("latch_token").isPresent());
            assertEquals(200, latch.http().get("/api/auth/me", bearer(res.json().get("token").asText())).status());
            assertEquals(403, latch.http().postJson("/api/auth/register", register(token, "second")).status(), "single use by default");
        });
        try (var c = TestDatabases.connect(dir);
             var rs = c.createStatement().executeQuery("SELECT token_hash FROM invites")) {
            rs.next();
            assertFalse(rs.getString(1).length() < 40, "only a hash is stored");
        }
    }

    @Test
    void concurrentUseOfASingleUseInviteYieldsOneAccount() {
        TestLatch.run(dir, Map.of("LOGIN_MAX_ATTEMPTS_PER_IP", "100"), latch -> {
            String admin = latch.setupAdmin();
            String token = latch.http().postJson("/api/invites", "{\"max_uses\":1}", bearer(admin)).json().get("token").asText();
            var pool = Executors.newFixedThreadPool(8);
            try {
                var calls = new ArrayList<Callable<Integer>>();
                for (int i = 0; i < 8; i++) {
                    String body = register(token, "racer" + i);
                    calls.add(() -> latch.http().postJson("/api/auth/register", body).status());
                }
                var statuses = new ArrayList<Integer>();
                for (var f : pool.invokeAll(calls)) {
                    statuses.add(f.get());
                }
                assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
                assertEquals(7, statuses.stream().filter(s -> s == 403).count(), statuses.toString());
            } finally {
                pool.shutdownNow();
            }
            var users = latch.http().get("/api/users?q=racer", bearer(admin)).json().get("users");
            assertEquals(1, users.size());
        });
    }

    @Test
    void aRegistrationNeedsOneDatabaseConnectionSoABusyPoolCannotStallIt() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            String token = latch.http().postJson("/api/invites", "{}", bearer(admin)).json().get("token").asText();
            var db = latch.deps().db();
            int others = db.poolSize() - 1;
            var holding = new CountDownLatch(others);
            var release = new CountDownLatch(1);
            var pool = Executors.newFixedThreadPool(others);
            try {
                for (int i = 0; i < others; i++) {
                    pool.submit(() -> db.read(c -> {
                        holding.countDown();
                        try {
                            return release.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return false;
                        }
                    }));
                }
                assertTrue(holding.await(30, TimeUnit.SECONDS));
                // One connection is left, as when other registrations wait behind this one's write lock: checking the
                // invitation's creator must not need a second connection while the transaction holds the first.
                var res = latch.http().postJson("/api/auth/register", register(token, "patient"));
                assertEquals(201, res.status(), res.toString());
            } finally {
                release.countDown();
                pool.shutdown();
            }
        });
    }

    @Test
    void expiredRevokedAndForgedInvitesAreRefused() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            String shortLived = latch.http().postJson("/api/invites", "{\"expires_in_seconds\":60}", bearer(admin)).json().get("token").asText();
            var revocable = latch.http().postJson("/api/invites", "{\"max_uses\":5}", bearer(admin)).json();
            assertEquals(2, latch.http().get("/api/invites", bearer(admin)).json().get("invites").size());
            assertEquals(204, latch.http().delete("/api/invites/" + revocable.get("id").asText(), bearer(admin)).status());
            assertEquals(404, latch.http().delete("/api/invites/" + revocable.get("id").asText(), bearer(admin)).status());
            latch.clock().advance(Duration.ofSeconds(61));
            assertEquals("invalid_invite", latch.http().postJson("/api/auth/register", register(shortLived, "late")).json().get("error").asText());
            assertEquals(403, latch.http().postJson("/api/auth/register", register(revocable.get("token").asText(), "revoked")).status());
            assertEquals(403, latch.http().postJson("/api/auth/register", register("forged-invite-token-000000", "forger")).status());
            assertEquals(List.of("revoked", "expired"), states(latch, admin), "listed with what became of them, newest first");
        });
    }

    @Test
    void anAdminInvitationDiesWhenItsCreatorIsDemotedDisabledOrDeleted() throws Exception {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            var invites = new LinkedHashMap<String, String>();
            var creators = new HashMap<String, String>();
            for (String name : new String[] {"demoted", "disabled", "deleted"}) {
                creators.put(name, "/api/users/" + latch.createUser(admin, name, name + " password", "admin"));
                var res = latch.http().postJson("/api/invites", "{\"role\":\"admin\"}", bearer(latch.token(name, name + " password")));
                assertEquals(201, res.status(), res.toString());
                invites.put(name, res.json().get("token").asText());
            }
            assertEquals(3, latch.http().get("/api/invites", bearer(admin)).json().get("invites").size());

            assertEquals(200, latch.http().patchJson(creators.get("demoted"), "{\"role\":\"editor\"}", bearer(admin)).status());
            assertEquals(200, latch.http().patchJson(creators.get("disabled"), "{\"enabled\":false}", bearer(admin)).status());
            assertEquals(204, latch.http().delete(creators.get("deleted"), bearer(admin)).status());

            for (var invite : invites.entrySet()) {
                var res = latch.http().postJson("/api/auth/register", register(invite.getValue(), "via" + invite.getKey()));
                assertEquals(403, res.status(), invite.getKey() + ": " + res);
                assertEquals("invalid_invite", res.json().get("error").asText());
                assertFalse(res.json().get("message").asText().isBlank());
                assertEquals(401, latch.login("via" + invite.getKey(), "invitee password").status(), "no account was made");
            }
            assertEquals(List.of("void", "void", "void"), states(latch, admin), "listed as no longer usable");
        });
        assertEquals(0, sql("SELECT COALESCE(SUM(uses), 0) FROM invites"), "a refused invitation's use is not spent");
    }

    @Test
    void aViewerInvitationDiesWhenItsCreatorLosesTheRightToCreateAccounts() throws Exception {
        TestLatch.run(dir, Map.of("LATCH_EDITOR_SCOPES", "me.read me.write users.read users.write"), latch -> {
            String admin = latch.setupAdmin();
            long ed = latch.createUser(admin, "ed", "editor password", "editor");
            String editor = latch.token("ed", "editor password");
            String fromEditor = latch.http().postJson("/api/invites", "{\"role\":\"viewer\"}", bearer(editor)).json().get("token").asText();
            var stillGood = latch.http().postJson("/api/invites", "{\"role\":\"viewer\"}", bearer(admin)).json();
            assertEquals(2, latch.http().get("/api/invites", bearer(admin)).json().get("invites").size());

            assertEquals(200, latch.http().patchJson("/api/users/" + ed, "{\"role\":\"viewer\"}", bearer(admin)).status());
            var res = latch.http().postJson("/api/auth/register", register(fromEditor, "late"));
            assertEquals(403, res.status(), res.toString());
            assertEquals("invalid_invite", res.json().get("error").asText());
            var listed = latch.http().get("/api/invites", bearer(admin)).json().get("invites");
            assertEquals(stillGood.get("id").asText(), listed.get(0).get("id").asText(), listed.toString());
            assertEquals(List.of("active", "void"), states(latch, admin), "the editor's own invitation is void");
            assertEquals(201, latch.http().postJson("/api/auth/register", register(stillGood.get("token").asText(), "welcome")).status(),
                    "the admin's own invitation is unaffected");
        });
        assertEquals(1, sql("SELECT COALESCE(SUM(uses), 0) FROM invites"), "only the admin's invitation was used");
    }

    /** The states of the listed invitations, newest first. */
    static List<String> states(TestLatch latch, String admin) {
        var out = new ArrayList<String>();
        latch.http().get("/api/invites", bearer(admin)).json().get("invites").forEach(i -> out.add(i.get("state").asText()));
        return out;
    }

    private long sql(String query) throws Exception {
        try (var c = TestDatabases.connect(dir);
             var rs = c.createStatement().executeQuery(query)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    @Test
    void aTakenUsernameDoesNotSpendTheInvite() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            String token = latch.http().postJson("/api/invites", "{}", bearer(admin)).json().get("token").asText();
            assertEquals(409, latch.http().postJson("/api/auth/register", register(token, "Admin")).status());
            assertEquals(201, latch.http().postJson("/api/auth/register", register(token, "fresh")).status());
        });
    }

    @Test
    void registrationFollowsThePasswordAndUsernamePolicy() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            String token = latch.http().postJson("/api/invites", "{}", bearer(admin)).json().get("token").asText();
            var weak = latch.http().postJson("/api/auth/register", "{\"invite\":\"" + token + "\",\"username\":\"u\",\"password\":\"short\"}");
            assertEquals("password_too_short", weak.json().get("error").asText());
            var badName = latch.http().postJson("/api/auth/register", "{\"invite\":\"" + token + "\",\"username\":\"a b\",\"password\":\"long enough pw\"}");
            assertEquals("invalid_username", badName.json().get("error").asText());
            assertEquals(201, latch.http().postJson("/api/auth/register", register(token, "ok")).status(), "failed attempts did not spend it");
        });
    }

    @Test
    void openRegistrationIsOffByDefaultAndMakesViewersWhenOn() {
        TestLatch.run(dir, latch -> {
            latch.setupAdmin();
            assertEquals("{\"open_registration\":false}", latch.http().get("/api/auth/registration").body());
            var res = latch.http().postJson("/api/auth/register", "{\"username\":\"walkin\",\"password\":\"walk in password\"}");
            assertEquals(403, res.status());
            assertEquals("invite_required", res.json().get("error").asText());
        });
        TestLatch.run(dir, Map.of("ALLOW_REGISTRATION", "true"), latch -> {
            var res = latch.http().postJson("/api/auth/register", "{\"username\":\"walkin\",\"password\":\"walk in password\",\"role\":\"admin\"}");
            assertEquals(201, res.status(), res.toString());
            assertEquals("viewer", res.json().at("/user/role").asText(), "a role in the body is ignored");
        });
    }

    @Test
    void invitesAndRegistrationAreAudited() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            String token = latch.http().postJson("/api/invites", "{}", bearer(admin)).json().get("token").asText();
            latch.http().postJson("/api/auth/register", register(token, "newbie"));
            var events = latch.http().get("/api/admin/audit?limit=20", bearer(admin)).json().get("events").toString();
            assertTrue(events.contains("invite_created") && events.contains("invite_used")
                    && events.contains("\"type\":\"user_created\",\"outcome\":\"success\",\"actor_id\":2,\"actor_name\":\"newbie\""), events);
            assertFalse(events.contains(token), "never a whole token in the audit log");
        });
    }
}
