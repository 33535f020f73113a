package latch.keys;

import com.auth0.jwt.JWT;
import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import latch.support.DatabaseFile;
import latch.support.Http;
import latch.support.Sfu;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The netplay signing keys as a verifier elsewhere sees them: from the JWKS alone, read with Nimbus (a JOSE library
 * other than the java-jwt that signs), through rotation, emergencies and withdrawal.
 */
class PublishedKeysTest {

    @TempDir
    Path dir;

    /** The SFU's check without using the token up: its status. */
    private static int peek(TestLatch latch, String token) {
        return Sfu.verify(latch, token, false).status();
    }

    private static JWKSet jwks(TestLatch latch) throws Exception {
        var res = latch.http().get("/.well-known/jwks.json");
        assertEquals(200, res.status());
        assertEquals("public, max-age=60", res.header("Cache-Control").orElseThrow());
        return JWKSet.parse(res.body());
    }

    /** Verifies with Nimbus from the JWKS alone, as a verifier elsewhere would. */
    private static boolean verifiesFromJwks(String token, JWKSet set) throws Exception {
        JWSObject jws = JWSObject.parse(token);
        JWK key = set.getKeyByKeyId(jws.getHeader().getKeyID());
        if (key == null) {
            return false;
        }
        return key instanceof RSAKey rsa ? jws.verify(new RSASSAVerifier(rsa)) : jws.verify(new ECDSAVerifier((ECKey) key));
    }

    private static Set<String> kids(JWKSet set) {
        return set.getKeys().stream().map(JWK::getKeyID).collect(Collectors.toSet());
    }

    private static JsonNode keys(TestLatch latch, String admin) {
        var res = latch.http().get("/api/admin/keys", "Authorization", Http.bearer(admin));
        assertEquals(200, res.status(), res.toString());
        return res.json().get("keys");
    }

    /** A household that never plays online never pays for the keys: read (and first made) on first need only. */
    @Test
    void noKeyIsMadeUntilNetplayFirstNeedsOne() throws Exception {
        TestLatch.run(dir, Sfu.settings(), latch -> {
            String admin = latch.setupAdmin();
            assertEquals(200, latch.http().get("/api/auth/me", "Authorization", Http.bearer(admin)).status());
            latch.deps().jobs().runNow("key-rotation");
            latch.deps().jobs().runNow("purge");
            assertEquals(0, DatabaseFile.number(dir, "SELECT COUNT(*) FROM published_keys"));
            assertEquals(1, jwks(latch).getKeys().size());
            assertEquals(1, DatabaseFile.number(dir, "SELECT COUNT(*) FROM published_keys"));
        });
    }

    @Test
    void tokensVerifyFromThePublishedRsaKeysAloneAndNoPrivatePartIsShown() throws Exception {
        TestLatch.run(dir, Sfu.settings(), latch -> {
            String admin = latch.setupAdmin();
            String token = Sfu.mint(latch, admin, "read");
            JWKSet set = jwks(latch);
            assertEquals(1, set.getKeys().size());
            RSAKey key = (RSAKey) set.getKeys().get(0);
            assertEquals("RS256", key.getAlgorithm().getName());
            assertEquals("sig", key.getKeyUse().identifier());
            assertEquals(2048, key.size());
            assertFalse(key.isPrivate());
            String raw = latch.http().get("/.well-known/jwks.json").body();
            for (String member : List.of("\"d\"", "\"p\"", "\"q\"", "\"dp\"", "\"dq\"", "\"qi\"")) {
                assertFalse(raw.contains(member), "private member " + member);
            }
            assertTrue(verifiesFromJwks(token, set));
            assertEquals(key.getKeyID(), JWT.decode(token).getKeyId());
            assertEquals("latch-sfu+jwt", JWT.decode(token).getType());
        });
    }

    @Test
    void es256KeysArePublishedAsP256AndSignInJoseForm() throws Exception {
        TestLatch.run(dir, Sfu.settings("SFU_SIGNING_ALG", "ES256"), latch -> {
            String admin = latch.setupAdmin();
            String token = Sfu.mint(latch, admin, "write");
            JWKSet set = jwks(latch);
            ECKey key = (ECKey) set.getKeys().get(0);
            assertEquals("P-256", key.getCurve().getName());
            assertEquals("ES256", key.getAlgorithm().getName());
            assertFalse(key.isPrivate());
            assertEquals(64, JWSObject.parse(token).getSignature().decode().length, "R and S, 32 bytes each (RFC 7518 §3.4)");
            assertTrue(verifiesFromJwks(token, set));
            assertEquals(200, peek(latch, token));
        });
    }

    @Test
    void aRotatedKeyIsPublishedAMinuteBeforeItSignsAndTheOldOneVerifiesUntilItsTokensExpire() throws Exception {
        TestLatch.run(dir, Sfu.settings(), latch -> {
            String admin = latch.setupAdmin();
            String old = Sfu.mint(latch, admin, "read");
            String oldKid = JWT.decode(old).getKeyId();

            var rotated = latch.http().post("/api/admin/keys/rotate", "Authorization", Http.bearer(admin));
            assertEquals(201, rotated.status(), rotated.toString());
            assertEquals("next", rotated.json().get("state").asText());
            String newKid = rotated.json().get("kid").asText();
            assertEquals(Set.of(oldKid, newKid), kids(jwks(latch)), "published at once");
            assertEquals(oldKid, JWT.decode(Sfu.mint(latch, admin, "read")).getKeyId(), "but not signing yet");
            var again = latch.http().post("/api/admin/keys/rotate", "Authorization", Http.bearer(admin));
            assertEquals(409, again.status());
            assertEquals("rotation_pending", again.json().get("error").asText());

            latch.clock().advance(Duration.ofSeconds(61));
            String fresh = Sfu.mint(latch, admin, "read");
            assertEquals(newKid, JWT.decode(fresh).getKeyId());
            JsonNode listed = keys(latch, admin);
            assertEquals("active", listed.get(0).get("state").asText());
            assertEquals("retiring", listed.get(1).get("state").asText());
            assertTrue(listed.get(1).get("retires_at").isTextual());
            assertEquals(200, peek(latch, old));
            assertTrue(verifiesFromJwks(old, jwks(latch)));
            assertTrue(verifiesFromJwks(fresh, jwks(latch)));

            latch.clock().advance(Duration.ofSeconds(900));
            assertEquals(200, peek(latch, fresh));
            assertEquals(Set.of(oldKid, newKid), kids(jwks(latch)), "published while a token it signed may be alive (+5 s skew)");
            latch.clock().advance(Duration.ofSeconds(5));
            assertEquals(Set.of(newKid), kids(jwks(latch)), "the old key goes once every token it signed has expired");
            assertEquals("retired", keys(latch, admin).get(1).get("state").asText());
            assertEquals(200, peek(latch, fresh));
        });
    }

    @Test
    void anEmergencyRotationSignsAtOnceAndAWithdrawnKeyStopsAtOnce() throws Exception {
        TestLatch.run(dir, Sfu.settings(), latch -> {
            String admin = latch.setupAdmin();
            String before = Sfu.mint(latch, admin, "read");
            String oldKid = JWT.decode(before).getKeyId();
            assertEquals(200, peek(latch, before));

            var immediate = latch.http().postJson("/api/admin/keys/rotate", "{\"immediate\":true}", "Authorization", Http.bearer(admin));
            assertEquals(201, immediate.status());
            assertEquals("active", immediate.json().get("state").asText());
            assertNotEquals(oldKid, JWT.decode(Sfu.mint(latch, admin, "read")).getKeyId());
            assertEquals(200, peek(latch, before), "tokens of the old key still verify after a rotation");

            var withdrawn = latch.http().post("/api/admin/keys/" + oldKid + "/retire", "Authorization", Http.bearer(admin));
            assertEquals(200, withdrawn.status(), withdrawn.toString());
            assertEquals("retired", withdrawn.json().get("state").asText());
            assertEquals(401, peek(latch, before), "a withdrawn key's tokens fail at once, though verified before");
            assertFalse(kids(jwks(latch)).contains(oldKid));
            assertEquals(404, latch.http().post("/api/admin/keys/" + oldKid + "/retire", "Authorization", Http.bearer(admin)).status());
            assertEquals(404, latch.http().post("/api/admin/keys/no-such-key/retire", "Authorization", Http.bearer(admin)).status());

            // Withdrawing the key that signs: another takes over at once, so minting never stops.
            String signing = JWT.decode(Sfu.mint(latch, admin, "read")).getKeyId();
            assertEquals(200, latch.http().post("/api/admin/keys/" + signing + "/retire", "Authorization", Http.bearer(admin)).status());
            String after = Sfu.mint(latch, admin, "write");
            assertFalse(Set.of(oldKid, signing).contains(JWT.decode(after).getKeyId()));
            assertEquals(200, peek(latch, after));
        });
    }

    @Test
    void keysRotateOnScheduleAndOnlyAdminsSeeOrChangeThem() throws Exception {
        TestLatch.run(dir, Sfu.settings("KEY_ROTATION_DAYS", "30"), latch -> {
            String admin = latch.setupAdmin();
            latch.deps().jobs().runNow("key-rotation");
            assertEquals(1, keys(latch, admin).size(), "a fresh key is not due");
            latch.clock().advance(Duration.ofDays(30));
            latch.deps().jobs().runNow("key-rotation");
            latch.deps().jobs().runNow("key-rotation");
            admin = latch.token(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD);
            JsonNode listed = keys(latch, admin);
            assertEquals(2, listed.size(), "one new key, however often the job runs");
            assertEquals("next", listed.get(0).get("state").asText());

            latch.createUser(admin, "vic", "password-vic", "viewer");
            String vic = latch.token("vic", "password-vic");
            assertEquals(403, latch.http().get("/api/admin/keys", "Authorization", Http.bearer(vic)).status());
            assertEquals(403, latch.http().post("/api/admin/keys/rotate", "Authorization", Http.bearer(vic)).status());
            assertEquals(401, latch.http().get("/api/admin/keys").status());
            assertEquals(200, latch.http().get("/.well-known/jwks.json").status(), "the JWKS is for everyone");
        });
    }

    @Test
    void anotherProcessLearnsOfARotationFromTheChangeFeed() throws Exception {
        var clock = new latch.support.TestClock();
        try (var a = TestLatch.start(dir, Sfu.settings(), clock); var b = TestLatch.start(dir, Sfu.settings(), clock)) {
            String admin = a.setupAdmin();
            String kid = a.http().postJson("/api/admin/keys/rotate", "{\"immediate\":true}", "Authorization", Http.bearer(admin))
                    .json().get("kid").asText();
            b.deps().jobs().runNow("change-feed");
            assertTrue(kids(jwks(b)).contains(kid));
            String minted = Sfu.mint(b, admin, "read");
            assertEquals(kid, JWT.decode(minted).getKeyId());
            assertEquals(200, peek(a, minted));

            assertEquals(200, a.http().post("/api/admin/keys/" + kid + "/retire", "Authorization", Http.bearer(admin)).status());
            b.deps().jobs().runNow("change-feed");
            assertEquals(401, peek(b, minted));
        }
    }
}
