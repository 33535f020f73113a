package latch.oauth;

import latch.support.DatabaseFile;
import latch.support.Http;
import latch.support.Race;
import latch.support.RaisesAlerts;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A refresh token is spent by one UPDATE ... WHERE used_at IS NULL RETURNING: of many simultaneous uses exactly one
 * rotates it, and the rest are replays (RFC 9700 §4.14), which end the grant.
 */
class ConcurrentRefreshGrantTest {
    private static final int RACERS = 24;

    @TempDir
    Path dir;

    private static void assertInvalidGrant(Http.Response res) {
        assertEquals(400, res.status(), res.toString());
        assertEquals("invalid_grant", res.json().get("error").asText(), res.body());
    }

    private static int me(TestLatch latch, String token) {
        return latch.http().get("/api/auth/me", "Authorization", Http.bearer(token)).status();
    }

    @Test
    @RaisesAlerts("replays one refresh token at once")
    void simultaneousUsesOfOneRefreshTokenRotateItOnceAndTheReplaysEndTheGrant() {
        TestLatch.run(dir, latch -> {
            latch.setupAdmin();
            var grant = latch.passwordGrant(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD).json();
            String refreshToken = grant.get("refresh_token").asText();

            var answers = Race.run(RACERS, i -> latch.refreshGrant(refreshToken));

            var winners = new ArrayList<Http.Response>();
            for (var res : answers) {
                if (res.status() == 200) {
                    winners.add(res);
                } else {
                    assertInvalidGrant(res);
                }
            }
            // A replay may end the grant between the one rotation and its answer, so that answer may be a refusal too.
            assertTrue(winners.size() <= 1, "at most one client gets new tokens: " + winners);
            assertEquals(2, DatabaseFile.number(dir, "SELECT COUNT(*) FROM refresh_tokens"), "exactly one successor was stored");
            assertEquals(1, DatabaseFile.number(dir, "SELECT COUNT(*) FROM refresh_tokens WHERE used_at IS NOT NULL"),
                    "and the presented token was spent once");
            assertEquals(1, DatabaseFile.number(dir, "SELECT COUNT(*) FROM sessions WHERE kind = 'oauth' AND ended_at IS NOT NULL"),
                    "the replays ended the grant");
            for (var w : winners) {
                assertInvalidGrant(latch.refreshGrant(w.json().get("refresh_token").asText()));
                assertEquals(401, me(latch, w.json().get("access_token").asText()));
            }
            assertEquals(401, me(latch, grant.get("access_token").asText()));
        });
    }

    @Test
    void simultaneousRefreshesOfDifferentGrantsAllSucceed() {
        TestLatch.run(dir, Map.of("LOGIN_MAX_ATTEMPTS_PER_IP", "1000"), latch -> {
            latch.setupAdmin();
            var refreshTokens = new ArrayList<String>();
            for (int i = 0; i < RACERS; i++) {
                refreshTokens.add(latch.passwordGrant(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD).json().get("refresh_token").asText());
            }

            var answers = Race.run(RACERS, i -> latch.refreshGrant(refreshTokens.get(i)));

            for (var res : answers) {
                assertEquals(200, res.status(), "no grant's rotation is mistaken for another's replay: " + res);
                assertEquals(200, me(latch, res.json().get("access_token").asText()));
            }
            assertEquals(0, DatabaseFile.number(dir, "SELECT COUNT(*) FROM sessions WHERE ended_at IS NOT NULL"));
            assertEquals(2L * RACERS, DatabaseFile.number(dir, "SELECT COUNT(*) FROM refresh_tokens"));
        });
    }
}
