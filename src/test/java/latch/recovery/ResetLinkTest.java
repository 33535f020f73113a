package latch.recovery;

import latch.support.Http;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static latch.recovery.Links.reset;
import static latch.recovery.Links.resetLink;
import static latch.recovery.Links.tokenOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An admin's one-time reset link: it sets a new password once, ends every session, and a newer one voids it. */
class ResetLinkTest {
    private static final String OLD = "alice's old password";
    private static final String NEW = "alice's brand new passphrase";

    @TempDir
    Path dir;

    @Test
    void anAdminGetsALinkToTheResetPageValidForTheConfiguredTime() {
        TestLatch.run(dir, Map.of("RESET_LINK_TTL_SECONDS", "900"), latch -> {
            String admin = latch.setupAdmin();
            long id = latch.createUser(admin, "alice", OLD, "viewer");
            var res = resetLink(latch, admin, id);
            assertEquals(201, res.status(), res.toString());
            assertTrue(res.json().get("url").asText().startsWith(latch.http().base() + "/reset#token="), res.toString());
            assertEquals(latch.clock().instant().getEpochSecond() + 900,
                    Instant.parse(res.json().get("expires_at").asText()).getEpochSecond());
            var event = latch.http().get("/api/admin/audit?type=reset_link_created", "Authorization", Http.bearer(admin))
                    .json().at("/events/0");
            assertEquals("alice", event.get("subject_name").asText());
            assertEquals(TestLatch.ADMIN, event.get("actor_name").asText());
            assertTrue(!event.toString().contains(tokenOf(res)), "the audit log never holds the link");
        });
    }

    @Test
    void aResetLinkSetsTheNewPasswordAndEndsEverySessionOfTheUser() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            long id = latch.createUser(admin, "alice", OLD, "viewer");
            String bearer = latch.token("alice", OLD);
            String cookie = latch.token("alice", OLD);
            var grant = latch.passwordGrant("alice", OLD).json();

            var done = reset(latch, tokenOf(resetLink(latch, admin, id)), NEW);
            assertEquals(200, done.status(), done.toString());
            assertEquals("alice", done.json().get("username").asText());

            assertEquals(401, latch.http().get("/api/auth/me", "Authorization", Http.bearer(bearer)).status());
            assertEquals(401, latch.http().get("/api/auth/me", "Cookie", "latch_token=" + cookie).status());
            assertEquals(401, latch.http().get("/api/auth/me", "Authorization",
                    Http.bearer(grant.get("access_token").asText())).status());
            assertEquals(400, latch.refreshGrant(grant.get("refresh_token").asText()).status(), "the OAuth grant ended too");
            assertEquals(401, latch.login("alice", OLD).status());
            assertEquals(200, latch.login("alice", NEW).status());

            var event = latch.http().get("/api/admin/audit?type=password_reset", "Authorization", Http.bearer(admin))
                    .json().at("/events/0");
            assertEquals("reset link", event.get("detail").asText());
            assertEquals("alice", event.get("actor_name").asText(), "the user chose it");
        });
    }

    @Test
    void aResetLinkWorksOnce() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            long id = latch.createUser(admin, "alice", OLD, "viewer");
            String token = tokenOf(resetLink(latch, admin, id));
            assertEquals(200, reset(latch, token, NEW).status());
            var again = reset(latch, token, "what an attacker would choose");
            assertEquals(410, again.status(), again.toString());
            assertEquals("link_expired_or_used", again.json().get("error").asText());
            assertEquals(200, latch.login("alice", NEW).status(), "the first password stands");
        });
    }

    @Test
    void aNewerResetLinkVoidsTheOlderOne() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            long id = latch.createUser(admin, "alice", OLD, "viewer");
            String older = tokenOf(resetLink(latch, admin, id));
            String newer = tokenOf(resetLink(latch, admin, id));
            var refused = reset(latch, older, NEW);
            assertEquals(410, refused.status(), refused.toString());
            assertEquals(200, latch.login("alice", OLD).status(), "nothing changed");
            assertEquals(200, reset(latch, newer, NEW).status());
        });
    }

    @Test
    void aResetLinkExpires() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            long id = latch.createUser(admin, "alice", OLD, "viewer");
            String token = tokenOf(resetLink(latch, admin, id));
            latch.clock().advance(Duration.ofHours(1));
            var res = reset(latch, token, NEW);
            assertEquals(410, res.status(), res.toString());
            assertEquals(200, latch.login("alice", OLD).status());
        });
    }

    @Test
    void aWeakPasswordIsRefusedAndDoesNotSpendTheLink() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            long id = latch.createUser(admin, "alice", OLD, "viewer");
            String token = tokenOf(resetLink(latch, admin, id));
            var weak = reset(latch, token, "short");
            assertEquals(400, weak.status(), weak.toString());
            assertEquals("password_too_short", weak.json().get("error").asText());
            var tooLong = reset(latch, token, "x".repeat(500));
            assertEquals(400, tooLong.status(), tooLong.toString());
            assertEquals(200, reset(latch, token, NEW).status(), "the link survived the refusals");
        });
    }

    @Test
    void aResetLinkLiftsTheBanThatTooManyWrongPasswordsBrought() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            long id = latch.createUser(admin, "alice", OLD, "viewer");
            for (int i = 0; i < 5; i++) {
                latch.login("alice", "a wrong guess " + i);
            }
            assertEquals(401, latch.login("alice", OLD).status(), "banned");
            assertEquals(200, reset(latch, tokenOf(resetLink(latch, admin, id)), NEW).status());
            assertEquals(200, latch.login("alice", NEW).status());
        });
    }

    @Test
    void onlyAnAdminGetsAResetLinkForAnAdminAndAViewerGetsNone() {
        TestLatch.run(dir, Map.of("LATCH_EDITOR_SCOPES", "me.read me.write users.read users.write"), latch -> {
            String admin = latch.setupAdmin();
            latch.createUser(admin, "ed", "ed's long password", "editor");
            long viewer = latch.createUser(admin, "vera", "vera's long password", "viewer");
            String ed = latch.token("ed", "ed's long password");
            long adminId = latch.deps().users().findByUsername(TestLatch.ADMIN).orElseThrow().id();

            var refused = resetLink(latch, ed, adminId);
            assertEquals(403, refused.status(), refused.toString());
            assertEquals("admin_only", refused.json().get("error").asText());
            assertEquals(201, resetLink(latch, ed, viewer).status(), "an editor with users.write may for a viewer");

            String vera = latch.token("vera", "vera's long password");
            assertEquals(403, resetLink(latch, vera, viewer).status(), "users.write is needed");
            assertEquals(401, latch.http().post("/api/users/" + viewer + "/reset-link").status());
            assertEquals(404, resetLink(latch, admin, 999_999).status());
            assertEquals(404, latch.http().post("/api/users/abc/reset-link", "Authorization", Http.bearer(admin)).status());
        });
    }

    @Test
    void aResetWithoutTheFieldsIsABadRequest() {
        TestLatch.run(dir, latch -> {
            latch.setupAdmin();
            assertEquals(400, latch.http().postJson("/api/auth/reset-password", "{\"token\":\"abc\"}").status());
            assertEquals(400, latch.http().postJson("/api/auth/reset-password", "{\"new_password\":\"a long passphrase\"}").status());
            var unknown = reset(latch, "not-a-link", "a long passphrase");
            assertEquals(410, unknown.status(), unknown.toString());
        });
    }
}
