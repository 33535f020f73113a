package latch.session;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import latch.support.Http;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** DISABLE_USERPASS_LOGIN=true: the server itself refuses every way in that a password opens, not only the pages. */
class PasswordLoginOffTest {
    @TempDir
    Path dir;

    @Test
    void signingInWithTheRightPasswordIsRefused() {
        TestLatch.run(dir, TestLatch.PASSWORD_LOGIN_OFF, latch -> {
            latch.setupAdmin();
            var res = latch.login(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD);
            assertEquals(403, res.status(), res.toString());
            assertEquals("password_login_disabled", res.json().get("error").asText());
            assertFalse(res.setCookie("latch_token").isPresent());
        });
    }

    @Test
    void theOAuthPasswordGrantIsRefused() {
        TestLatch.run(dir, TestLatch.PASSWORD_LOGIN_OFF, latch -> {
            latch.setupAdmin();
            var res = latch.passwordGrant(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD);
            assertEquals(403, res.status(), res.toString());
            assertEquals("password_login_disabled", res.json().get("error").asText());
            assertFalse(res.json().has("access_token"));
        });
    }

    @Test
    void registeringWithAPasswordIsRefusedWithOrWithoutAnInvite() {
        var settings = new HashMap<>(TestLatch.PASSWORD_LOGIN_OFF);
        settings.put("ALLOW_REGISTRATION", "true");
        TestLatch.run(dir, settings, latch -> {
            String admin = latch.setupAdmin();
            assertFalse(latch.http().get("/api/auth/registration").json().get("open_registration").asBoolean());
            var open = register(latch, null);
            assertEquals(403, open.status(), open.toString());
            assertEquals("password_login_disabled", open.json().get("error").asText());

            var invite = latch.http().postJson("/api/invites", "{}", "Authorization", Http.bearer(admin));
            assertEquals(201, invite.status(), invite.toString());
            var invited = register(latch, invite.json().get("token").asText());
            assertEquals(403, invited.status(), invited.toString());
            assertEquals("password_login_disabled", invited.json().get("error").asText());
            assertEquals(0, latch.http().get("/api/invites", "Authorization", Http.bearer(admin))
                    .json().at("/invites/0/uses").asInt(), "the invitation was not spent");
            assertFalse(latch.deps().users().findByUsername("newcomer").isPresent());
        });
    }

    @Test
    void resetLinksAreRefusedWhilePasswordsOpenNothing() {
        TestLatch.run(dir, TestLatch.PASSWORD_LOGIN_OFF, latch -> {
            String admin = latch.setupAdmin();
            long id = latch.createUser(admin, "alice", "alice's long password", "viewer");
            var res = latch.http().post("/api/users/" + id + "/reset-link", "Authorization", Http.bearer(admin));
            assertEquals(403, res.status(), res.toString());
            assertEquals("password_login_disabled", res.json().get("error").asText());
        });
    }

    private static Http.Response register(TestLatch latch, String invite) {
        var body = JsonNodeFactory.instance.objectNode().put("username", "newcomer").put("password", "a long passphrase");
        if (invite != null) {
            body.put("invite", invite);
        }
        return latch.http().postJson("/api/auth/register", body.toString());
    }
}
