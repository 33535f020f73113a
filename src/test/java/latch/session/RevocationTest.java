package latch.session;

import latch.support.TestDatabases;
import com.auth0.jwt.JWT;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.DriverManager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sign-out and refresh: what is revoked stays revoked, in memory and across restarts. */
class RevocationTest {
    @TempDir
    Path dir;

    @Test
    void logoutRevokesTheTokenAndClearsTheCookie() {
        TestLatch.run(dir, latch -> {
            String token = latch.setupAdmin();
            var res = latch.http().post("/api/auth/logout", "Authorization", "Bearer " + token);
            assertEquals(204, res.status());
            String cleared = res.setCookie("latch_token").orElseThrow();
            assertTrue(cleared.startsWith("latch_token=;") && cleared.contains("Expires=Thu, 01 Jan 1970"), cleared);
            assertEquals(401, me(latch, token));
            assertEquals(401, latch.http().get("/api/auth/me", "Cookie", "latch_token=" + token).status());
        });
    }

    @Test
    void logoutRevokesTheTokenEvenAfterRestart() throws Exception {
        String[] token = new String[1];
        TestLatch.run(dir, latch -> {
            token[0] = latch.setupAdmin();
            var csrf = latch.csrf();
            var res = latch.http().post("/api/auth/logout", "Cookie", "latch_token=" + token[0] + "; latch_csrf=" + csrf, "X-CSRF-Token", csrf);
            assertEquals(204, res.status(), res.toString());
        });
        assertTrue(isRevokedOnDisk(token[0]), "the logout was written through to SQLite");
        TestLatch.run(dir, latch -> assertEquals(401, me(latch, token[0])));
    }

    /** Refresh keeps the session, so after a restart only the reloaded blocklist can refuse the old token. */
    @Test
    void aRefreshedTokenStaysRevokedAfterRestart() throws Exception {
        String[] tokens = new String[2];
        TestLatch.run(dir, latch -> {
            tokens[0] = latch.setupAdmin();
            var res = latch.http().post("/api/auth/refresh", "Authorization", "Bearer " + tokens[0]);
            assertEquals(200, res.status(), res.toString());
            tokens[1] = res.json().get("token").asText();
        });
        assertEquals(JWT.decode(tokens[0]).getClaim("sid").asString(), JWT.decode(tokens[1]).getClaim("sid").asString(), "one session");
        assertTrue(isRevokedOnDisk(tokens[0]), "the refresh was written through to SQLite");
        assertFalse(isRevokedOnDisk(tokens[1]));
        TestLatch.run(dir, latch -> {
            assertEquals(200, me(latch, tokens[1]), "the session lives on");
            assertEquals(401, me(latch, tokens[0]));
        });
    }

    @Test
    void logoutEndsOnlyThatSession() {
        TestLatch.run(dir, latch -> {
            String phone = latch.setupAdmin();
            String laptop = latch.token(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD);
            latch.http().post("/api/auth/logout", "Authorization", "Bearer " + phone);
            assertEquals(401, me(latch, phone));
            assertEquals(200, me(latch, laptop));
        });
    }

    @Test
    void logoutWithoutAValidTokenStillClearsTheCookieButRecordsNothing() throws Exception {
        TestLatch.run(dir, latch -> {
            latch.setupAdmin();
            for (int i = 0; i < 20; i++) {
                var res = latch.http().post("/api/auth/logout", "Authorization", "Bearer forged." + i + ".token");
                assertEquals(204, res.status());
                assertTrue(res.setCookie("latch_token").isPresent());
            }
            assertEquals(204, latch.http().post("/api/auth/logout").status());
            assertEquals(0, revokedRows(), "unauthenticated calls must not fill the blocklist");
        });
    }

    @Test
    void refreshIssuesANewTokenAndRevokesTheOld() {
        TestLatch.run(dir, latch -> {
            String old = latch.setupAdmin();
            var res = latch.http().post("/api/auth/refresh", "Authorization", "Bearer " + old);
            assertEquals(200, res.status(), res.toString());
            String fresh = res.json().get("token").asText();
            assertNotEquals(old, fresh);
            assertTrue(res.setCookie("latch_token").orElseThrow().startsWith("latch_token=" + fresh));
            assertEquals(401, me(latch, old));
            assertEquals(200, me(latch, fresh));
            assertEquals(401, latch.http().post("/api/auth/refresh", "Authorization", "Bearer " + old).status(),
                    "a refreshed token cannot be refreshed again");
        });
    }

    @Test
    void refreshReadsTheUserFromTheDatabaseAndRefusesOneNoLongerEnabled() throws Exception {
        TestLatch.run(dir, latch -> {
            latch.createUser(latch.setupAdmin(), "vera", "vera password", "viewer");
            String token = latch.token("vera", "vera password");
            assertEquals(200, me(latch, token), "vera is cached as enabled");
            // Behind every service's back, so no change is announced: only a read of the database can see it.
            try (var c = TestDatabases.connect(dir)) {
                c.createStatement().executeUpdate("UPDATE users SET enabled = 0 WHERE username = 'vera'");
            }
            var res = latch.http().post("/api/auth/refresh", "Authorization", "Bearer " + token);
            assertEquals(401, res.status());
        });
    }

    @Test
    void sessionsAreRecordedWithAddressAndAgent() throws Exception {
        TestLatch.run(dir, latch -> {
            latch.setupAdmin();
            latch.http().postJson("/api/auth/login", "{\"username\":\"admin\",\"password\":\"" + TestLatch.ADMIN_PASSWORD + "\"}",
                    "User-Agent", "LatchTest/1.0");
        });
        try (var c = TestDatabases.connect(dir);
             var rs = c.createStatement().executeQuery("SELECT ip, user_agent FROM sessions ORDER BY created_at, "
                     + TestDatabases.insertionOrder())) {
            int rows = 0;
            String agent = null;
            while (rs.next()) {
                rows++;
                assertTrue(rs.getString(1).equals("127.0.0.1") || rs.getString(1).contains(":"), rs.getString(1));
                agent = rs.getString(2);
            }
            assertEquals(2, rows);
            assertEquals("LatchTest/1.0", agent);
        }
    }

    private static int me(TestLatch latch, String token) {
        return latch.http().get("/api/auth/me", "Authorization", "Bearer " + token).status();
    }

    private boolean isRevokedOnDisk(String token) throws Exception {
        try (var c = TestDatabases.connect(dir);
             var ps = c.prepareStatement("SELECT COUNT(*) FROM revoked_tokens WHERE jti = ?")) {
            ps.setString(1, JWT.decode(token).getId());
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) == 1;
            }
        }
    }

    private long revokedRows() throws Exception {
        try (var c = TestDatabases.connect(dir);
             var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM revoked_tokens")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
