package latch.invite;

import latch.support.DatabaseFile;
import latch.support.Http;
import latch.support.Race;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An invitation is spent by one UPDATE ... WHERE uses < max_uses RETURNING, in the transaction that creates the
 * account: as many people register on it at once as it allows, and the rest are refused cleanly.
 */
class ConcurrentInviteTest {
    private static final int RACERS = 24;
    private static final Map<String, String> NO_LIMIT = Map.of("LOGIN_MAX_ATTEMPTS_PER_IP", "1000");

    @TempDir
    Path dir;

    private static String invite(TestLatch latch, String admin, int uses) {
        var res = latch.http().postJson("/api/invites", "{\"max_uses\":" + uses + "}", "Authorization", Http.bearer(admin));
        assertEquals(201, res.status(), res.toString());
        return res.json().get("token").asText();
    }

    private static List<Http.Response> registerAtOnce(TestLatch latch, String invite) {
        return Race.run(RACERS, i -> latch.http().postJson("/api/auth/register",
                "{\"invite\":\"" + invite + "\",\"username\":\"racer" + i + "\",\"password\":\"invitee password\"}"));
    }

    private void assertAccounts(List<Http.Response> answers, int uses) {
        int registered = 0;
        for (var res : answers) {
            if (res.status() == 201) {
                registered++;
            } else {
                assertEquals(403, res.status(), res.toString());
                assertEquals("invalid_invite", res.json().get("error").asText());
            }
        }
        assertEquals(uses, registered, answers.toString());
        assertEquals(uses, DatabaseFile.number(dir, "SELECT COUNT(*) FROM users WHERE username LIKE 'racer%'"));
        assertEquals(uses, DatabaseFile.number(dir, "SELECT uses FROM invites"), "the invite counts exactly its uses");
    }

    @Test
    void simultaneousRegistrationsOnASingleUseInviteMakeOneAccount() {
        TestLatch.run(dir, NO_LIMIT, latch -> {
            String admin = latch.setupAdmin();
            assertAccounts(registerAtOnce(latch, invite(latch, admin, 1)), 1);
        });
    }

    @Test
    void simultaneousRegistrationsOnAnInviteWithRoomForAllMakeEveryAccount() {
        TestLatch.run(dir, NO_LIMIT, latch -> {
            String admin = latch.setupAdmin();
            assertAccounts(registerAtOnce(latch, invite(latch, admin, RACERS)), RACERS);
        });
    }

    @Test
    void simultaneousRegistrationsOnAThreeUseInviteMakeExactlyThreeAccounts() {
        TestLatch.run(dir, NO_LIMIT, latch -> {
            String admin = latch.setupAdmin();
            var answers = registerAtOnce(latch, invite(latch, admin, 3));
            assertAccounts(answers, 3);
            for (var res : answers) {
                if (res.status() == 201) {
                    assertEquals(200, latch.http().get("/api/auth/me", "Authorization", Http.bearer(res.json().get("token").asText())).status(),
                            "each new account is signed in");
                }
            }
        });
    }
}
