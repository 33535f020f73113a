package latch.token;

import latch.support.SqliteOnly;
import latch.support.TestDatabases;
import com.auth0.jwt.JWT;
import latch.Main;
import latch.support.Http;
import latch.support.TestClock;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code admin rotate-keys} from a second process: new tokens carry the new {@code kid}, tokens signed before pass
 * until their key retires (their type's longest life after the rotation), then the "purge" job deletes the key and
 * every process, its verified-token cache included, refuses what it signed.
 */
class KeyRotationTest {
    private static final Duration SESSION_LIFE = Duration.ofDays(1);
    /** No idle timeout, so only the keys and the tokens' own expiry decide while the clock moves a day. */
    private static final Map<String, String> SETTINGS = Map.of("SESSION_MAX_AGE_SECONDS", Long.toString(SESSION_LIFE.toSeconds()),
            "SESSION_IDLE_TIMEOUT_SECONDS", "0");

    @TempDir
    Path dir;
    private final TestClock clock = new TestClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));

    record Result(int code, String out, String err) {}

    private Result admin(Map<String, String> extraEnv, String... args) {
        var env = new HashMap<String, String>();
        env.put("LATCH_DATA_DIR", dir.toString());
        env.put("LATCH_ARGON2_MEMORY_KIB", "256");
        env.put("LATCH_ARGON2_ITERATIONS", "1");
        env.putAll(TestDatabases.settingsFor(dir));
        env.putAll(extraEnv);
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = Main.adminCli(env, clock).run(args, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Result rotateKeys() {
        var res = admin(Map.of(), "rotate-keys");
        assertEquals(0, res.code(), res.err());
        return res;
    }

    private static int me(TestLatch latch, String token) {
        return latch.http().get("/api/auth/me", "Authorization", Http.bearer(token)).status();
    }

    private static String kid(String token) {
        return JWT.decode(token).getKeyId();
    }

    private static void poll(TestLatch latch) {
        latch.deps().jobs().runNow("change-feed");
    }

    private long signingKeys(String kid) throws Exception {
        try (var c = TestDatabases.connect(dir);
             var ps = c.prepareStatement("SELECT COUNT(*) FROM signing_keys WHERE kid = ?")) {
            ps.setString(1, kid);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    @Test
    void afterRotateKeysNewTokensCarryTheNewKidAndOldOnesPassUntilTheyExpire() {
        try (var latch = TestLatch.start(dir, SETTINGS, clock)) {
            String old = latch.setupAdmin();
            String oldAccess = latch.passwordGrant(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD).json().get("access_token").asText();

            var rotated = rotateKeys();
            assertTrue(rotated.out().contains("Rotated the session signing key."), rotated.out());
            assertTrue(rotated.out().contains("Rotated the access signing key."), rotated.out());
            assertTrue(rotated.out().contains("A running server notices within a second or two."), rotated.out());
            assertEquals(200, me(latch, old), "before the server has heard of it");

            poll(latch);
            String fresh = latch.token(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD);
            String freshAccess = latch.passwordGrant(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD).json().get("access_token").asText();
            assertNotEquals(kid(old), kid(fresh));
            assertNotEquals(kid(oldAccess), kid(freshAccess));
            assertNotEquals(kid(fresh), kid(freshAccess), "each token type has its own key");
            assertEquals(200, me(latch, old), "a token signed before the rotation still passes");
            assertEquals(200, me(latch, oldAccess));
            assertEquals(200, me(latch, fresh));
            assertEquals(200, me(latch, freshAccess));

            clock.advance(SESSION_LIFE.minusMinutes(1));
            assertEquals(200, me(latch, old), "a minute before it expires, the old key still verifies it");
            clock.advance(Duration.ofMinutes(2));
            assertEquals(401, me(latch, old), "then it expires like any token");
            String later = latch.token(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD);
            assertEquals(kid(fresh), kid(later), "the new key goes on signing");
            assertEquals(200, me(latch, later));
        }
    }

    /**
     * The only tokens that outlive their key are those a process signed with it after another rotated, before its
     * next poll: the rotation is at T, this one signs at T + 1 minute, its key retires at T + a day.
     */
    @Test
    void onceItsKeyRetiresATokenIsRefusedEvenFromTheCacheAndThePurgeDeletesTheKey() throws Exception {
        try (var latch = TestLatch.start(dir, SETTINGS, clock)) {
            String first = latch.setupAdmin();
            String oldKid = kid(first);
            Instant rotatedAt = clock.instant();
            rotateKeys();

            clock.advance(Duration.ofMinutes(1));
            String late = latch.token(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD);
            assertEquals(oldKid, kid(late), "not polled yet: still signing with the old key");
            poll(latch);
            String fresh = latch.token(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD);
            assertNotEquals(oldKid, kid(fresh));

            clock.advance(Duration.between(clock.instant(), rotatedAt.plus(SESSION_LIFE).minusSeconds(60)));
            assertEquals(200, me(latch, late), "verified, and now in the verified-token cache");
            latch.deps().jobs().runNow("purge");
            assertEquals(1, signingKeys(oldKid), "the purge keeps a key until its overlap has passed");

            clock.advance(Duration.ofSeconds(90));
            assertTrue(clock.instant().isBefore(JWT.decode(late).getExpiresAtAsInstant()), "the token itself has not expired");
            assertEquals(401, me(latch, late), "its key has retired: refused, though the cache had seen it");
            latch.deps().jobs().runNow("purge");
            assertEquals(0, signingKeys(oldKid), "the retired key is gone");
            assertEquals(401, me(latch, late), "and what it signed stays refused");
            assertEquals(200, me(latch, fresh), "the current key is untouched");
        }
        try (var restarted = TestLatch.start(dir, SETTINGS, clock)) {
            assertEquals(200, restarted.login(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD).status(), "signing in still works after a restart");
        }
    }

    @Test
    void rotateKeysAlsoPublishesANewNetplayKeyThatSignsAMinuteLater() throws Exception {
        try (var latch = TestLatch.start(dir, SETTINGS, clock)) {
            latch.setupAdmin();
            assertEquals(1, jwksKeys(latch), "the server made its first netplay key");
            var rotated = rotateKeys();
            assertTrue(rotated.out().contains("Published a new netplay signing key; it signs in a minute"), rotated.out());
            assertTrue(rotateKeys().out().contains("A new netplay signing key is already waiting to sign."));
            poll(latch);
            assertEquals(2, jwksKeys(latch), "published at once, to the running server too");
        }
    }

    private static int jwksKeys(TestLatch latch) throws Exception {
        return com.nimbusds.jose.jwk.JWKSet.parse(latch.http().get("/.well-known/jwks.json").body()).getKeys().size();
    }

    /** The server keeps its encryption key in the environment; the command line, run without it, must not seal new keys. */
    @Test
    @SqliteOnly("latch.key, which a shared database never uses; SharedDatabaseTest refuses a node with another key")
    void rotateKeysRefusesWithoutTheServersEncryptionKeyAndLeavesNoKeyFileBehind() {
        var sealed = new java.util.HashMap<>(SETTINGS);
        sealed.put("LATCH_ENCRYPTION_KEY", "the server's own encryption key, 32 bytes or more");
        String token;
        try (var latch = TestLatch.start(dir, sealed, clock)) {
            token = latch.setupAdmin();
        }
        var res = admin(SETTINGS, "rotate-keys");
        assertEquals(1, res.code(), res.out());
        assertTrue(res.err().startsWith("latch admin: the encryption key that seals the signing keys is not here"), res.err());
        assertFalse(java.nio.file.Files.exists(dir.resolve("latch.key")), "the command line made no key of its own");
        try (var latch = TestLatch.start(dir, sealed, clock)) {
            assertEquals(200, me(latch, token), "the server's keys are untouched");
        }
    }

    @Test
    void rotateKeysRefusesWhenLatchAuthSecretKeyFixesTheKey() {
        var fixed = Map.of("LATCH_AUTH_SECRET_KEY", "a fixed secret of at least thirty-two bytes");
        String token;
        try (var latch = TestLatch.start(dir, fixed, clock)) {
            token = latch.setupAdmin();
        }
        var res = admin(fixed, "rotate-keys");
        assertEquals(1, res.code());
        assertEquals("latch admin: the signing key comes from LATCH_AUTH_SECRET_KEY; to rotate it, change that variable"
                + " (everyone signs in again)", res.err().strip());
        assertEquals("", res.out());
        try (var latch = TestLatch.start(dir, fixed, clock)) {
            assertEquals(200, me(latch, token), "nothing changed");
        }
    }
}
