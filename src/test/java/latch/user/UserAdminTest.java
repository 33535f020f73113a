package latch.user;

import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UserAdminTest {
    @TempDir
    Path dir;

    private static String[] bearer(String token) {
        return new String[] {"Authorization", "Bearer " + token};
    }

    @Test
    void anAdminCreatesReadsListsAndSearchesUsers() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            var created = latch.http().postJson("/api/users",
                    "{\"username\":\"alice\",\"password\":\"alice password\",\"role\":\"editor\",\"display_name\":\"Alice A\",\"email\":\"alice@home.example\"}",
                    bearer(admin));
            assertEquals(201, created.status(), created.toString());
            long id = created.json().get("id").asLong();
            assertEquals("editor", created.json().get("role").asText());
            assertFalse(created.body().contains("argon2"), "never the hash");
            assertEquals("Alice A", latch.http().get("/api/users/" + id, bearer(admin)).json().get("display_name").asText());
            for (int i = 0; i < 5; i++) {
                latch.createUser(admin, "user" + i, "some password", "viewer");
            }
            var page1 = latch.http().get("/api/users?limit=3", bearer(admin)).json();
            assertEquals(3, page1.get("users").size());
            String cursor = page1.get("next_cursor").asText();
            var page2 = latch.http().get("/api/users?limit=3&cursor=" + cursor, bearer(admin)).json();
            assertEquals(3, page2.get("users").size());
            assertTrue(page2.get("users").get(0).get("username").asText().compareTo(cursor) > 0);
            var search = latch.http().get("/api/users?q=HOME.example", bearer(admin)).json().get("users");
            assertEquals(1, search.size());
            assertEquals("alice", search.get(0).get("username").asText());
            assertEquals(1, latch.http().get("/api/users?q=al", bearer(admin)).json().get("users").size(), "short terms match a username prefix");
            assertEquals(5, latch.http().get("/api/users?q=ser", bearer(admin)).json().get("users").size(), "substring inside the name");
            assertEquals(0, latch.http().get("/api/users?q=%25%25%25", bearer(admin)).json().get("users").size(), "wildcards are text");
            assertEquals(0, latch.http().get("/api/users?q=%22%20OR%20", bearer(admin)).json().get("users").size(), "search syntax is text");
            latch.http().patchJson("/api/users/" + id, "{\"email\":\"alice@elsewhere.example\"}", bearer(admin));
            assertEquals(0, latch.http().get("/api/users?q=home.example", bearer(admin)).json().get("users").size(), "the index follows updates");
            assertEquals(409, latch.http().postJson("/api/users", "{\"username\":\"ALICE\",\"password\":\"another password\"}", bearer(admin)).status());
            assertEquals(404, latch.http().get("/api/users/9999", bearer(admin)).status());
            assertEquals(404, latch.http().get("/api/users/not-a-number", bearer(admin)).status());
        });
    }

    @Test
    void theLastEnabledAdminCannotBeDemotedDisabledOrDeleted() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            String me = "/api/users/1";
            for (String body : new String[] {"{\"role\":\"viewer\"}", "{\"enabled\":false}"}) {
                var res = latch.http().patchJson(me, body, bearer(admin));
                assertEquals(409, res.status(), body);
                assertEquals("last_admin", res.json().get("error").asText());
            }
            assertEquals(409, latch.http().delete(me, bearer(admin)).status());
            assertEquals("admin", latch.http().get(me, bearer(admin)).json().get("role").asText(), "nothing changed");
            long second = latch.createUser(admin, "root2", "second admin pw", "admin");
            assertEquals(200, latch.http().patchJson(me, "{\"role\":\"viewer\"}", bearer(admin)).status(), "with another admin it is allowed");
            String other = latch.token("root2", "second admin pw");
            assertEquals(409, latch.http().patchJson("/api/users/" + second, "{\"enabled\":false}", bearer(other)).status());
        });
    }

    @Test
    void theLastEnabledAdminIsMarkedSoThePageOffersNothingThatCanOnlyFail() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            assertTrue(latch.http().get("/api/users/1", bearer(admin)).json().get("last_admin").asBoolean());
            long second = latch.createUser(admin, "root2", "second admin pw", "admin");
            long viewer = latch.createUser(admin, "vic", "viewer password", "viewer");
            for (var u : latch.http().get("/api/users", bearer(admin)).json().get("users")) {
                assertFalse(u.get("last_admin").asBoolean(), "two admins: " + u);
            }
            var disabled = latch.http().patchJson("/api/users/" + second, "{\"enabled\":false}", bearer(admin)).json();
            assertFalse(disabled.get("last_admin").asBoolean(), "a disabled admin is never the last one");
            assertTrue(latch.http().get("/api/users/1", bearer(admin)).json().get("last_admin").asBoolean(), "the one enabled admin is");
            assertFalse(latch.http().get("/api/users/" + viewer, bearer(admin)).json().get("last_admin").asBoolean());
        });
    }

    @Test
    void disablingAUserEndsAllTheirSessionsAtOnce() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            long id = latch.createUser(admin, "bob", "bob password", "viewer");
            String phone = latch.token("bob", "bob password");
            String laptop = latch.token("bob", "bob password");
            assertEquals(200, me(latch, phone));
            var res = latch.http().patchJson("/api/users/" + id, "{\"enabled\":false}", bearer(admin));
            assertEquals(200, res.status());
            assertFalse(res.json().get("enabled").asBoolean());
            assertEquals(401, me(latch, phone));
            assertEquals(401, me(latch, laptop));
            assertEquals(401, latch.login("bob", "bob password").status());
            assertEquals(200, latch.http().patchJson("/api/users/" + id, "{\"enabled\":true}", bearer(admin)).status());
            assertEquals(401, me(latch, phone), "re-enabling does not revive ended sessions");
            assertEquals(200, latch.login("bob", "bob password").status());
        });
    }

    @Test
    void anAdminPasswordResetEndsEverySessionAndTheOldPasswordStopsWorking() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            long id = latch.createUser(admin, "bob", "bob password", "viewer");
            String session = latch.token("bob", "bob password");
            var res = latch.http().patchJson("/api/users/" + id, "{\"password\":\"brand new password\"}", bearer(admin));
            assertEquals(200, res.status(), res.toString());
            assertEquals(401, me(latch, session), "unlike RomM, sessions do not survive an admin reset");
            assertEquals(401, latch.login("bob", "bob password").status());
            assertEquals(200, latch.login("bob", "brand new password").status());
            var weak = latch.http().patchJson("/api/users/" + id, "{\"password\":\"short\"}", bearer(admin));
            assertEquals(400, weak.status());
        });
    }

    @Test
    void anAdminPasswordResetRevokesTheClientTokensMintedWithTheOldPassword() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            long id = latch.createUser(admin, "bob", "bob password", "viewer");
            // Whoever stole bob's password signs in with it and mints a token that needs no session.
            String stolen = mintClientToken(latch, latch.token("bob", "bob password"));
            assertEquals(200, me(latch, stolen));

            var res = latch.http().patchJson("/api/users/" + id, "{\"password\":\"brand new password\"}", bearer(admin));
            assertEquals(200, res.status(), res.toString());
            assertEquals(401, me(latch, stolen), "what the old password minted dies with it");
            assertEquals(0, latch.http().get("/api/users/" + id + "/client-tokens", bearer(admin)).json().get("tokens").size());
            var revoked = latch.http().get("/api/admin/audit?type=client_token_revoked", bearer(admin)).json().get("events");
            assertEquals(1, revoked.size(), revoked.toString());
            assertEquals("1 tokens, after a new password", revoked.get(0).get("detail").asText());
        });
    }

    @Test
    void anAdminPasswordResetWithKeepTokensSparesClientTokensButNotSessions() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            long id = latch.createUser(admin, "bob", "bob password", "viewer");
            String session = latch.token("bob", "bob password");
            String backupScript = mintClientToken(latch, session);

            var res = latch.http().patchJson("/api/users/" + id, "{\"password\":\"brand new password\",\"keep_tokens\":true}",
                    bearer(admin));
            assertEquals(200, res.status(), res.toString());
            assertEquals(200, me(latch, backupScript), "the admin chose to keep bob's scripts running");
            assertEquals(401, me(latch, session), "sessions end whatever happens to tokens");
            assertEquals(401, latch.login("bob", "bob password").status());
            var reset = latch.http().get("/api/admin/audit?type=password_reset", bearer(admin)).json().get("events");
            assertEquals("client tokens kept", reset.get(0).get("detail").asText(), reset.toString());
        });
    }

    /** A client token with {@code me.read}, minted by the holder of {@code session}: its id and secret. */
    private static com.fasterxml.jackson.databind.JsonNode mintClientTokenWithId(TestLatch latch, String session) {
        var res = latch.http().postJson("/api/client-tokens", "{\"name\":\"script\",\"scopes\":[\"me.read\"]}", bearer(session));
        assertEquals(201, res.status(), res.toString());
        return res.json();
    }

    /** The secret of a client token with {@code me.read}, minted by the holder of {@code session}. */
    private static String mintClientToken(TestLatch latch, String session) {
        return mintClientTokenWithId(latch, session).get("token").asText();
    }

    @Test
    void disablingAUserOrResettingTheirPasswordEndsTheirOAuthGrantsToo() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            long id = latch.createUser(admin, "bob", "bob password", "viewer");
            var before = grant(latch, "bob password");
            latch.http().patchJson("/api/users/" + id, "{\"enabled\":false}", bearer(admin));
            assertEquals(401, me(latch, before.get("access_token").asText()));
            latch.http().patchJson("/api/users/" + id, "{\"enabled\":true}", bearer(admin));
            assertEquals(401, me(latch, before.get("access_token").asText()), "re-enabling does not revive the grant");
            assertEquals("invalid_grant", latch.refreshGrant(before.get("refresh_token").asText()).json().get("error").asText(),
                    "the refresh token died with the grant, not just while the account was disabled");

            var again = grant(latch, "bob password");
            assertEquals(200, me(latch, again.get("access_token").asText()));
            latch.http().patchJson("/api/users/" + id, "{\"password\":\"brand new password\"}", bearer(admin));
            assertEquals(401, me(latch, again.get("access_token").asText()));
            assertEquals("invalid_grant", latch.refreshGrant(again.get("refresh_token").asText()).json().get("error").asText(),
                    "whoever held the old password's app tokens is out too");
        });
    }

    private static com.fasterxml.jackson.databind.JsonNode grant(TestLatch latch, String password) {
        var res = latch.passwordGrant("bob", password);
        assertEquals(200, res.status(), res.toString());
        return res.json();
    }

    @Test
    void deletingAUserRemovesThemAndKeepsTheAuditTrail() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            long id = latch.createUser(admin, "gone", "gone password", "viewer");
            latch.http().postJson("/api/auth/login", "{\"username\":\"gone\",\"password\":\"gone password\"}", "User-Agent", "GonePhone/1.0");
            String token = latch.token("gone", "gone password");
            assertEquals(204, latch.http().delete("/api/users/" + id, bearer(admin)).status());
            assertEquals(401, me(latch, token));
            assertEquals(404, latch.http().get("/api/users/" + id, bearer(admin)).status());
            var audit = latch.http().get("/api/admin/audit?type=user_deleted", bearer(admin)).json().get("events");
            assertEquals(1, audit.size());
            assertEquals("gone", audit.get(0).get("subject_name").asText());
            assertEquals("admin", audit.get(0).get("actor_name").asText());
            var history = latch.http().get("/api/admin/audit?user=" + id, bearer(admin)).json().get("events");
            assertTrue(history.size() >= 3, "the trail of what happened remains");
            for (var e : history) {
                if (!e.get("type").asText().equals("user_deleted")) {
                    assertTrue(e.get("ip").isNull() && e.get("user_agent").isNull(), "their addresses and devices are gone: " + e);
                }
            }
            assertFalse(history.toString().contains("GonePhone"));

            // The next account never inherits the deleted one's id, nor with it their history or their tokens.
            long next = latch.createUser(admin, "newcomer", "newcomer password", "viewer");
            assertTrue(next > id, next + " must not reuse " + id);
            assertEquals(401, me(latch, token));
            String newcomer = latch.token("newcomer", "newcomer password");
            var events = latch.http().get("/api/auth/me/events", bearer(newcomer)).json().get("events");
            assertFalse(events.toString().contains("\"gone\""), "the newcomer sees none of the deleted user's events: " + events);
        });
    }

    @Test
    void roleAndScopesInABodyAreIgnoredUnlessTheCallerMaySetThem() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            latch.createUser(admin, "vera", "viewer password", "viewer");
            String viewer = latch.token("vera", "viewer password");
            assertTrue(latch.http().get("/api/auth/me", bearer(viewer)).json().at("/user/display_name").isNull());
            var res = latch.http().patchJson("/api/auth/me",
                    "{\"display_name\":\"Vera\",\"role\":\"admin\",\"enabled\":true,\"scopes\":[\"users.write\"],\"id\":1}",
                    bearer(viewer));
            assertEquals(200, res.status(), res.toString());
            assertEquals("viewer", res.json().at("/user/role").asText());
            assertEquals("Vera", res.json().at("/user/display_name").asText());
            assertEquals("Vera", latch.http().get("/api/auth/me", bearer(viewer)).json().at("/user/display_name").asText(),
                    "the answer /me gave before the change is not served again");
            assertEquals(403, latch.http().get("/api/users", bearer(viewer)).status());
            var adminRecord = latch.http().get("/api/users/1", bearer(admin)).json();
            assertEquals("admin", adminRecord.get("username").asText());
            assertTrue(adminRecord.get("display_name").isNull(), "the id in the body did not redirect the update to user 1");
        });
    }

    @Test
    void onlyAnAdminCanMakeAdminsEvenIfAnOperatorHandsUsersWriteToEditors() {
        var editorsManageUsers = Map.of("LATCH_EDITOR_SCOPES", "me.read me.write users.read users.write");
        TestLatch.run(dir, editorsManageUsers, latch -> {
            String admin = latch.setupAdmin();
            long editorId = latch.createUser(admin, "ed", "editor password", "editor");
            String editor = latch.token("ed", "editor password");
            assertEquals(201, latch.http().postJson("/api/users", "{\"username\":\"v1\",\"password\":\"viewer password\",\"role\":\"viewer\"}", bearer(editor)).status());
            var mint = latch.http().postJson("/api/users", "{\"username\":\"a2\",\"password\":\"admin password\",\"role\":\"admin\"}", bearer(editor));
            assertEquals(403, mint.status());
            assertEquals("admin_only", mint.json().get("error").asText());
            assertEquals(403, latch.http().patchJson("/api/users/" + editorId, "{\"role\":\"admin\"}", bearer(editor)).status());
            assertEquals(403, latch.http().patchJson("/api/users/1", "{\"password\":\"takeover password\"}", bearer(editor)).status());
            assertEquals(403, latch.http().postJson("/api/invites", "{\"role\":\"admin\"}", bearer(editor)).status());
            assertEquals(403, latch.http().post("/api/users/1/logout-all", bearer(editor)).status(), "no forced logout of an admin");
            assertEquals(403, latch.http().post("/api/users/1/unban", bearer(editor)).status());
            assertEquals(403, latch.http().delete("/api/users/1", bearer(editor)).status());
            assertEquals(200, me(latch, admin), "the admin's session survived the editor's attempts");
            assertEquals(204, latch.http().post("/api/users/" + editorId + "/unban", bearer(editor)).status(), "non-admins stay theirs to manage");
        });
    }

    @Test
    void anEditorGivenUsersScopesCannotSeeOrEndAnAdminsTokensAndSessionsButManagesAViewers() {
        // The default editor scopes, plus what an operator might hand editors so they can look after the household.
        var editorsManageUsers = Map.of("LATCH_EDITOR_SCOPES", "me.read me.write roms.read roms.user.read roms.user.write"
                + " platforms.read assets.read assets.write devices.read devices.write firmware.read collections.read"
                + " collections.write tokens.read tokens.write sfu.read sfu.write roms.write platforms.write firmware.write"
                + " tasks.run users.read users.write");
        TestLatch.run(dir, editorsManageUsers, latch -> {
            String admin = latch.setupAdmin();
            var adminsToken = mintClientTokenWithId(latch, admin);
            latch.createUser(admin, "ed", "editor password", "editor");
            String editor = latch.token("ed", "editor password");
            long veraId = latch.createUser(admin, "vera", "viewer password", "viewer");
            String vera = latch.token("vera", "viewer password");
            var verasToken = mintClientTokenWithId(latch, vera);

            String adminId = "1";
            for (var res : new latch.support.Http.Response[] {
                    latch.http().get("/api/users/" + adminId + "/client-tokens", bearer(editor)),
                    latch.http().delete("/api/users/" + adminId + "/client-tokens/" + adminsToken.get("id").asText(), bearer(editor)),
                    latch.http().get("/api/users/" + adminId + "/sessions", bearer(editor)),
                    latch.http().post("/api/users/" + adminId + "/logout-all", bearer(editor))}) {
                assertEquals(403, res.status(), res.toString());
                assertEquals("admin_only", res.json().get("error").asText(), res.toString());
                assertFalse(res.json().get("message").asText().isBlank(), res.toString());
            }
            assertEquals(200, me(latch, admin), "the admin's session survived");
            assertEquals(200, me(latch, adminsToken.get("token").asText()), "and so did the admin's token");

            var tokens = latch.http().get("/api/users/" + veraId + "/client-tokens", bearer(editor));
            assertEquals(200, tokens.status(), tokens.toString());
            assertEquals(1, tokens.json().get("tokens").size());
            assertEquals(204, latch.http().delete("/api/users/" + veraId + "/client-tokens/" + verasToken.get("id").asText(),
                    bearer(editor)).status());
            assertEquals(401, me(latch, verasToken.get("token").asText()));
            var sessions = latch.http().get("/api/users/" + veraId + "/sessions", bearer(editor));
            assertEquals(200, sessions.status(), sessions.toString());
            assertEquals(1, sessions.json().get("sessions").size());
            var ended = latch.http().post("/api/users/" + veraId + "/logout-all", bearer(editor));
            assertEquals(200, ended.status(), ended.toString());
            assertEquals(1, ended.json().get("ended").asInt());
            assertEquals(401, me(latch, vera));
        });
    }

    @Test
    void anAdminSeesAndEndsAnotherUsersSessions() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            long id = latch.createUser(admin, "bob", "bob password", "viewer");
            String bob = latch.token("bob", "bob password");
            latch.token("bob", "bob password");
            var list = latch.http().get("/api/users/" + id + "/sessions", bearer(admin)).json().get("sessions");
            assertEquals(2, list.size());
            var ended = latch.http().post("/api/users/" + id + "/logout-all", bearer(admin));
            assertEquals(2, ended.json().get("ended").asInt());
            assertEquals(401, me(latch, bob));
            assertEquals(200, me(latch, admin), "the admin's own session is untouched");
        });
    }

    private static int me(TestLatch latch, String token) {
        return latch.http().get("/api/auth/me", "Authorization", "Bearer " + token).status();
    }
}
