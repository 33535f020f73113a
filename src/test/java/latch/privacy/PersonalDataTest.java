package latch.privacy;

import latch.alert.AlertKind;
import com.fasterxml.jackson.databind.JsonNode;
import latch.access.Principal;
import latch.support.DatabaseFile;
import latch.support.Http;
import latch.support.RaisesAlerts;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A person's own data: exported whole and nothing of anyone else's; erased whole, the audit log keeping no name. */
class PersonalDataTest {
    @TempDir
    Path dir;

    private static String[] bearer(String token) {
        return new String[] {"Authorization", Http.bearer(token)};
    }

    /** Two people with a bit of everything each: a profile, sessions, tokens, a linked identity and events. */
    private static void seed(TestLatch latch, String admin, String name) {
        latch.createUser(admin, name, name + " password", "viewer");
        String token = latch.token(name, name + " password");
        assertEquals(200, latch.http().patchJson("/api/auth/me", "{\"email\":\"" + name + "@example.com\",\"display_name\":\""
                + name + " display\"}", bearer(token)).status());
        var created = latch.http().postJson("/api/client-tokens", "{\"name\":\"" + name + "-script\",\"scopes\":[\"me.read\"]}",
                bearer(token));
        assertEquals(201, created.status(), created.toString());
        long id = latch.deps().users().findByUsername(name).orElseThrow().id();
        DatabaseFile.update(latch.settings().dataDir(), "INSERT INTO oidc_identities(user_id, issuer, subject, email, created_at,"
                + " last_used_at) VALUES (?, 'https://idp.example', ?, ?, 1, 1)", id, name + "-subject", name + "@idp.example");
        // A wrong password from a client of theirs: an event about them with an address.
        latch.http().postJson("/api/auth/login", "{\"username\":\"" + name + "\",\"password\":\"nope nope nope\"}");
    }

    @Test
    void theExportOfOneOfTwoPeopleHoldsEverythingOfTheirsAndNothingOfTheOthers() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            seed(latch, admin, "alice");
            seed(latch, admin, "bob");
            String alice = latch.token("alice", "alice password");

            var res = latch.http().get("/api/auth/me/export", bearer(alice));
            assertEquals(200, res.status(), res.toString());
            assertTrue(res.header("Content-Disposition").orElse("").startsWith("attachment"), res.toString());
            assertEquals("no-store", res.header("Cache-Control").orElse(""));
            JsonNode doc = res.json();
            String text = res.body();

            assertEquals("alice", doc.at("/profile/username").asText());
            assertEquals("alice@example.com", doc.at("/profile/email").asText());
            assertEquals("alice display", doc.at("/profile/display_name").asText());
            assertTrue(doc.at("/profile/has_password").asBoolean());
            assertEquals("alice-subject", doc.at("/linked_identities/0/subject").asText());
            assertEquals(1, doc.get("linked_identities").size());
            assertEquals(List.of("alice-script"), names(doc.get("client_tokens"), "name"));
            assertEquals(2, doc.get("sessions").size(), "seeding's sign-in and this one");
            assertTrue(doc.get("audit_events").size() >= 5, text);
            for (JsonNode e : doc.get("audit_events")) {
                long aliceId = doc.at("/profile/id").asLong();
                assertTrue(e.path("subject_id").asLong() == aliceId || e.path("actor_id").asLong() == aliceId, e.toString());
            }
            assertTrue(names(doc.get("audit_events"), "type").contains("sign_in_failed"));

            // Nothing of bob's, and no secret of anyone's.
            for (String other : List.of("bob", "$argon2", "secret_hash", "password_hash", "token_hash")) {
                assertFalse(text.contains(other), other + " in " + text);
            }
            assertFalse(text.contains(latch.token("alice", "alice password")), "no token in the export");
        });
    }

    @Test
    void anAdminsExportShowsThePeopleTheyActedOnOnlyAsAnotherUser() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            seed(latch, admin, "alice");
            var doc = latch.http().get("/api/auth/me/export", bearer(admin)).json();
            var created = new ArrayList<JsonNode>();
            doc.get("audit_events").forEach(e -> {
                if (e.get("type").asText().equals("user_created") && !e.get("subject_name").asText().equals("admin")) {
                    created.add(e);
                }
            });
            assertEquals(1, created.size(), doc.toString());
            assertEquals("another user", created.get(0).get("subject_name").asText());
            assertTrue(created.get(0).get("subject_id").isNull());
            assertFalse(doc.toString().contains("alice"), doc.toString());
        });
    }

    @Test
    void aWrongPasswordKeepsTheAccount() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            latch.createUser(admin, "alice", "alice password", "viewer");
            String alice = latch.token("alice", "alice password");
            var wrong = latch.http().send("DELETE", "/api/auth/me", "application/json", "{\"current_password\":\"not it at all\"}",
                    bearer(alice));
            assertEquals(400, wrong.status(), wrong.toString());
            assertEquals("invalid_current_password", wrong.json().get("error").asText());
            var missing = latch.http().delete("/api/auth/me", bearer(alice));
            assertEquals(400, missing.status(), missing.toString());
            assertTrue(missing.json().get("message").asText().contains("current_password"), missing.toString());
            assertEquals(200, latch.http().get("/api/auth/me", bearer(alice)).status());
        });
    }

    @Test
    void theLastAdminIsRefusedWithAConflict() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            var res = latch.http().send("DELETE", "/api/auth/me", "application/json",
                    "{\"current_password\":\"" + TestLatch.ADMIN_PASSWORD + "\"}", bearer(admin));
            assertEquals(409, res.status(), res.toString());
            assertEquals("last_admin", res.json().get("error").asText());
            assertTrue(res.json().get("message").asText().contains("last enabled admin"));
            assertEquals(200, latch.http().get("/api/auth/me", bearer(admin)).status());
        });
    }

    @Test
    @RaisesAlerts("raises an alert about the user, to show deletion forgets their name on it")
    void afterDeletingTheTokensStopAtOnceAndTheAuditLogNoLongerNamesThem() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            seed(latch, admin, "alice");
            long id = latch.deps().users().findByUsername("alice").orElseThrow().id();
            String alice = latch.token("alice", "alice password");
            // An alert about her (a burst of wrong passwords would raise one; raised directly here).
            latch.deps().alerts().raise(AlertKind.NEW_NETWORK, id, "203.0.113.0/24", "a new network");
            String script = latch.http().postJson("/api/client-tokens", "{\"name\":\"another\",\"scopes\":[\"me.read\"]}",
                    bearer(alice)).json().get("token").asText();
            assertEquals(200, latch.http().get("/api/auth/me", bearer(alice)).status(), "cached before the delete");
            assertEquals(200, latch.http().get("/api/auth/me", bearer(script)).status());
            long before = DatabaseFile.number(dir, "SELECT COUNT(*) FROM audit_events WHERE actor_id = ? OR subject_id = ?", id, id);
            assertTrue(before > 0);

            var res = latch.http().send("DELETE", "/api/auth/me", "application/json", "{\"current_password\":\"alice password\"}",
                    bearer(alice));
            assertEquals(204, res.status(), res.toString());

            assertEquals(401, latch.http().get("/api/auth/me", bearer(alice)).status());
            assertEquals(401, latch.http().get("/api/auth/me", bearer(script)).status());
            assertEquals(401, latch.login("alice", "alice password").status());
            for (String table : List.of("users", "sessions", "client_tokens", "oidc_identities", "alerts")) {
                String column = table.equals("users") ? "id" : "user_id";
                assertEquals(0, DatabaseFile.number(dir, "SELECT COUNT(*) FROM " + table + " WHERE " + column + " = ?", id), table);
            }
            assertEquals(List.of(), DatabaseFile.strings(dir, "SELECT type || ' ' || COALESCE(actor_name, '-') || ' ' || COALESCE(subject_name, '-')"
                    + " FROM audit_events WHERE actor_id = ? OR subject_id = ?", id, id));
            assertEquals(List.of(), DatabaseFile.strings(dir, "SELECT type || ' ' || COALESCE(detail, '-') FROM audit_events WHERE actor_name = 'alice' OR subject_name = 'alice'"
                    + " OR detail LIKE '%alice%' OR ip IS NOT NULL AND (actor_name LIKE 'deleted-%' OR subject_name LIKE 'deleted-%')"));
            assertEquals(List.of("deleted user"), DatabaseFile.strings(dir, "SELECT username FROM alerts"), "the alert stays, her name goes");
            var markers = DatabaseFile.strings(dir, "SELECT DISTINCT subject_name FROM audit_events WHERE subject_name LIKE 'deleted-%'");
            assertEquals(1, markers.size(), "one anonymous marker stands for her: " + markers);
            assertTrue(DatabaseFile.number(dir, "SELECT COUNT(*) FROM audit_events WHERE subject_name = ?", markers.get(0)) >= before,
                    "her events are still there, and her deletion too");
            assertEquals(1, DatabaseFile.number(dir, "SELECT COUNT(*) FROM audit_events WHERE type = 'user_deleted' AND actor_name = ?",
                    markers.get(0)));
        });
    }

    @Test
    void withoutAPasswordOnlyASignInOfTheLastFiveMinutesMayDelete() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            latch.createUser(admin, "carol", "carol password", "viewer");
            DatabaseFile.update(dir, "UPDATE users SET password_hash = NULL WHERE username = 'carol'");
            var carol = latch.deps().users().findByUsername("carol").orElseThrow();
            var system = Principal.system("test", latch.deps().scopes().all());
            String secret = latch.deps().recovery().service().loginLink(system, carol).secret();
            String token = latch.http().postJson("/api/auth/login-link", "{\"token\":\"" + secret + "\"}").json().get("token").asText();

            latch.clock().advance(Duration.ofMinutes(6));
            var stale = latch.http().delete("/api/auth/me", bearer(token));
            assertEquals(403, stale.status(), stale.toString());
            assertEquals("sign_in_again", stale.json().get("error").asText());

            latch.clock().advance(Duration.ofMinutes(1));
            secret = latch.deps().recovery().service().loginLink(system, carol).secret();
            token = latch.http().postJson("/api/auth/login-link", "{\"token\":\"" + secret + "\"}").json().get("token").asText();
            assertEquals(204, latch.http().delete("/api/auth/me", bearer(token)).status());
            assertTrue(latch.deps().users().findByUsername("carol").isEmpty());
        });
    }

    private static List<String> names(JsonNode array, String field) {
        var out = new ArrayList<String>();
        array.forEach(n -> out.add(n.get(field).asText()));
        return out;
    }
}
