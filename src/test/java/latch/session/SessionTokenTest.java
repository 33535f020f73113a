package latch.session;

import latch.support.SqliteOnly;
import latch.support.TestDatabases;
import com.auth0.jwt.JWT;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import latch.support.TestLatch;
import latch.token.SealingKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Session tokens: accepted only when signed by us, with our algorithm, type and issuer, and unexpired. */
class SessionTokenTest {
    private static final String SECRET = "test-secret-0123456789abcdef-0123456789abcdef";
    private static final Map<String, String> KNOWN_SECRET = Map.of("LATCH_AUTH_SECRET_KEY", SECRET);
    private static final byte[] OURS = SECRET.getBytes(StandardCharsets.UTF_8);
    private static final String HS256 = "HmacSHA256";
    private static final String TYP = "latch-session+jwt";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theTokenWorksAsBearerAndAsCookie() {
        TestLatch.run(dir, latch -> {
            String token = latch.setupAdmin();
            assertEquals(200, latch.http().get("/api/auth/me", "Authorization", "Bearer " + token).status());
            var viaCookie = latch.http().get("/api/auth/me", "Cookie", "latch_token=" + token);
            assertEquals(200, viaCookie.status());
            assertEquals("admin", viaCookie.json().at("/user/username").asText());
        });
    }

    @Test
    void theTokenCarriesTheDocumentedClaimsAndType() {
        TestLatch.run(dir, Map.of("LATCH_PUBLIC_URL", "https://auth.home.example"), latch -> {
            var jwt = JWT.decode(latch.setupAdmin());
            assertEquals("latch-session+jwt", jwt.getType());
            assertEquals("HS256", jwt.getAlgorithm());
            assertEquals("https://auth.home.example", jwt.getIssuer());
            assertEquals("1", jwt.getSubject());
            assertTrue(jwt.getId().length() >= 20);
            assertTrue(jwt.getClaim("sid").asString().length() >= 20);
            assertEquals(86400, jwt.getExpiresAtAsInstant().getEpochSecond() - jwt.getIssuedAtAsInstant().getEpochSecond());
        });
    }

    /** The session outlives the token here, so only the token's own {@code exp} can refuse it. */
    @Test
    void anExpiredTokenIsRefusedWhileItsSessionLives() {
        TestLatch.run(dir, KNOWN_SECRET, latch -> {
            Forgery genuine = Forgery.of(latch.setupAdmin());
            long now = latch.clock().instant().getEpochSecond();
            assertEquals(200, status(latch, genuine.resigned("exp", now + 60)), "control: unexpired, re-signed with our key");
            var res = latch.http().get("/api/auth/me", "Authorization", "Bearer " + genuine.resigned("exp", now - 60));
            assertEquals(401, res.status());
            assertEquals("invalid_token", res.json().get("error").asText());
            assertTrue(res.header("WWW-Authenticate").orElseThrow().contains("invalid_token"));
        });
    }

    @Test
    void aTokenRememberedAsVerifiedIsRefusedOnceItExpires() {
        TestLatch.run(dir, KNOWN_SECRET, latch -> {
            Forgery genuine = Forgery.of(latch.setupAdmin());
            String shortLived = genuine.resigned("exp", latch.clock().instant().getEpochSecond() + 60);
            assertEquals(200, status(latch, shortLived), "verified once, and remembered as verified");
            latch.clock().advance(Duration.ofSeconds(120));
            assertRefused(latch, shortLived);
            long later = latch.clock().instant().getEpochSecond() + 60;
            assertEquals(200, status(latch, genuine.resigned("exp", later)), "control: the session itself still lives");
        });
    }

    @Test
    void algNoneIsRefused() {
        TestLatch.run(dir, KNOWN_SECRET, latch -> {
            Forgery genuine = Forgery.of(latch.setupAdmin());
            assertEquals(200, status(latch, genuine.signed(HS256, genuine.header("HS256", TYP), OURS)), "control: the same token with our alg and key");
            String unsigned = b64(genuine.header("none", TYP)) + "." + genuine.payload();
            assertRefused(latch, unsigned + ".");
            assertRefused(latch, unsigned);
            assertRefused(latch, b64(genuine.header("none", TYP)) + "." + genuine.payload() + "." + genuine.signature());
        });
    }

    @Test
    void aTamperedTokenIsRefused() {
        TestLatch.run(dir, KNOWN_SECRET, latch -> {
            Forgery genuine = Forgery.of(latch.setupAdmin());
            long longer = genuine.claims().get("exp").asLong() + 3600;
            String extended = genuine.withClaim("exp", longer);
            assertEquals(200, status(latch, genuine.resigned("exp", longer)), "control: the same claims signed with our key");
            assertRefused(latch, genuine.header() + "." + extended + "." + genuine.signature());
            assertRefused(latch, genuine.header() + "." + genuine.withClaim("jti", "a-jti-nobody-revoked") + "." + genuine.signature());
            byte[] signature = Base64.getUrlDecoder().decode(genuine.signature());
            signature[signature.length / 2] ^= 0x01; // a middle byte: the last base64 character also carries unused bits
            assertRefused(latch, genuine.header() + "." + genuine.payload() + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature));
            assertEquals(200, status(latch, genuine.token()), "control: the untouched token");
        });
    }

    @Test
    void anotherAlgorithmWithTheSameSecretIsRefused() {
        TestLatch.run(dir, KNOWN_SECRET, latch -> {
            Forgery genuine = Forgery.of(latch.setupAdmin());
            assertEquals(200, status(latch, genuine.signed(HS256, genuine.header("HS256", TYP), OURS)), "control: the same token with our alg");
            assertRefused(latch, genuine.signed("HmacSHA384", genuine.header("HS384", TYP), OURS));
            assertRefused(latch, genuine.signed("HmacSHA512", genuine.header("HS512", TYP), OURS));
        });
    }

    @Test
    void aTokenOfAnotherTypeOrIssuerIsRefusedEvenWithOurKey() {
        TestLatch.run(dir, KNOWN_SECRET, latch -> {
            Forgery genuine = Forgery.of(latch.setupAdmin());
            assertEquals(200, status(latch, genuine.signed(HS256, genuine.header("HS256", TYP), OURS)), "control: a correct forgery with our key passes");
            assertRefused(latch, genuine.signed(HS256, genuine.header("HS256", "JWT"), OURS));
            assertRefused(latch, genuine.signed(HS256, genuine.header("HS256", "at+jwt"), OURS));
            assertRefused(latch, genuine.signed(HS256, "{\"alg\":\"HS256\",\"kid\":\"" + genuine.kid() + "\"}", OURS));
            assertRefused(latch, genuine.resigned("iss", "https://evil.example"));
            assertRefused(latch, genuine.resigned("aud", "https://app.example"));
            assertRefused(latch, genuine.signed(HS256, genuine.payloadWithout("aud"), OURS, genuine.header("HS256", TYP)));
        });
    }

    @Test
    void aTokenMustNameAKeyThisInstanceTrusts() {
        TestLatch.run(dir, KNOWN_SECRET, latch -> {
            Forgery genuine = Forgery.of(latch.setupAdmin());
            assertEquals(200, status(latch, genuine.signed(HS256, genuine.header("HS256", TYP), OURS)), "control");
            assertRefused(latch, genuine.signed(HS256, header("HS256", TYP), OURS)); // no kid at all
            assertRefused(latch, genuine.signed(HS256, "{\"alg\":\"HS256\",\"typ\":\"" + TYP + "\",\"kid\":\"someone-else\"}", OURS));
        });
    }

    @Test
    void aTokenSignedWithAnotherSecretIsRefused() {
        TestLatch.run(dir, KNOWN_SECRET, latch -> {
            Forgery genuine = Forgery.of(latch.setupAdmin());
            assertEquals(200, status(latch, genuine.signed(HS256, genuine.headerJson(), OURS)), "control: re-signed with our key");
            byte[] another = "another-secret-0123456789abcdef-0123456789".getBytes(StandardCharsets.UTF_8);
            assertRefused(latch, genuine.signed(HS256, genuine.headerJson(), another));
        });
    }

    @Test
    void malformedTokensAndHeadersAreRefusedWithoutErrors() {
        TestLatch.run(dir, latch -> {
            latch.setupAdmin();
            for (String bad : new String[] {"x", "a.b.c", "....", "eyJ.eyJ.sig", "%00", "a".repeat(5000)}) {
                assertRefused(latch, bad);
            }
            var basic = latch.http().get("/api/auth/me", "Authorization", "Basic YWRtaW46YWRtaW4=");
            assertEquals(401, basic.status());
            var empty = latch.http().get("/api/auth/me", "Authorization", "Bearer ");
            assertEquals(401, empty.status());
            var garbageCookie = latch.http().get("/api/auth/me", "Cookie", "latch_token=garbage");
            assertEquals(401, garbageCookie.status());
        });
    }

    @Test
    void theGeneratedSecretIsKeptAcrossRestarts() {
        String[] token = new String[1];
        TestLatch.run(dir, latch -> token[0] = latch.setupAdmin());
        TestLatch.run(dir, latch -> assertEquals(200, status(latch, token[0])));
    }

    /** Installation B's genuine claims signed with installation A's generated key: only the key differs. */
    @Test
    @SqliteOnly("the sealing key generated into latch.key; a shared database requires LATCH_ENCRYPTION_KEY instead")
    void eachInstallationGeneratesItsOwnKeys(@TempDir Path other) throws Exception {
        TestLatch.run(dir, TestLatch::setupAdmin);
        byte[] first = signingKey(dir);
        TestLatch.run(other, latch -> {
            Forgery genuine = Forgery.of(latch.setupAdmin());
            byte[] own = signingKey(other);
            assertFalse(Arrays.equals(first, own));
            assertEquals(200, status(latch, genuine.signed(HS256, genuine.headerJson(), own)), "control: re-signed with its own key");
            assertRefused(latch, genuine.signed(HS256, genuine.headerJson(), first));
        });
    }

    /**
     * The signing keys live in latch.db sealed with a key kept outside it (latch.key): a copy of the database alone,
     * as a careless backup or a stolen file gives it, neither shows the key nor lets Latch sign with it.
     */
    @Test
    @SqliteOnly("the sealing key generated into latch.key; a shared database requires LATCH_ENCRYPTION_KEY instead")
    void aCopyOfTheDatabaseAloneCannotForgeASession(@TempDir Path copy) throws Exception {
        String[] token = new String[1];
        TestLatch.run(dir, latch -> token[0] = latch.setupAdmin());
        byte[] key = signingKey(dir);
        try (var c = TestDatabases.connect(dir)) {
            c.createStatement().execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        byte[] file = Files.readAllBytes(dir.resolve("latch.db"));
        assertTrue(indexOf(file, key) < 0, "the key is not in the database file in clear");
        assertTrue(indexOf(file, Base64.getUrlEncoder().withoutPadding().encodeToString(key).getBytes(StandardCharsets.US_ASCII)) < 0);

        Files.copy(dir.resolve("latch.db"), copy.resolve("latch.db"));
        TestLatch.run(copy, latch -> {
            assertEquals(401, status(latch, token[0]), "without latch.key the copy cannot use the keys that signed it");
            assertEquals(200, latch.login(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD).status(), "and signs with keys of its own");
        });
        TestLatch.run(dir, latch -> assertEquals(200, status(latch, token[0]), "the original, with its latch.key, still can"));
    }

    /** The current session signing key, opened with the data directory's latch.key as Latch opens it. */
    private static byte[] signingKey(Path dataDir) throws Exception {
        try (var c = TestDatabases.connect(dataDir);
             var rs = c.createStatement().executeQuery("SELECT kid, sealed FROM signing_keys WHERE purpose = 'session' AND retires_at IS NULL")) {
            assertTrue(rs.next(), "a key was generated");
            var sealing = SealingKey.load(Optional.empty(), dataDir);
            return sealing.open("signing-key/session/" + rs.getString(1), rs.getBytes(2)).orElseThrow();
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String header(String alg, String typ) {
        return "{\"alg\":\"" + alg + "\",\"typ\":\"" + typ + "\"}";
    }

    /**
     * A genuine token taken apart, to forge from: everything it says (sid, sub, iss, typ, jti, exp) is real and
     * its session is live, so a forgery differs in exactly the one thing a test is about.
     */
    private record Forgery(String token, String header, String payload, String signature) {
        static Forgery of(String token) {
            String[] parts = token.split("\\.");
            assertEquals(3, parts.length);
            return new Forgery(token, parts[0], parts[1], parts[2]);
        }

        /** The key id the genuine token names. */
        String kid() {
            return JWT.decode(token).getKeyId();
        }

        /** A header with this alg and typ that names the genuine token's key. */
        String header(String alg, String typ) {
            return "{\"alg\":\"" + alg + "\",\"typ\":\"" + typ + "\",\"kid\":\"" + kid() + "\"}";
        }

        /** The payload segment without one claim. */
        String payloadWithout(String name) {
            ObjectNode claims = claims();
            claims.remove(name);
            return b64(claims.toString());
        }

        /** A given payload under a given header, signed with HS256 and {@code key}. */
        String signed(String mac, String payload, byte[] key, String headerJson) {
            return sign(mac, b64(headerJson), payload, key);
        }

        String headerJson() {
            return new String(Base64.getUrlDecoder().decode(header), StandardCharsets.UTF_8);
        }

        ObjectNode claims() {
            try {
                return (ObjectNode) JSON.readTree(Base64.getUrlDecoder().decode(payload));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The payload segment with one claim changed. */
        String withClaim(String name, Object value) {
            ObjectNode claims = claims();
            claims.set(name, JSON.valueToTree(value));
            return b64(claims.toString());
        }

        /** The genuine header and the payload with one claim changed, signed as Latch signs: HS256 with our key. */
        String resigned(String name, Object value) {
            return sign(HS256, header, withClaim(name, value), OURS);
        }

        /** The genuine payload under another header, signed with {@code mac} and {@code key}. */
        String signed(String mac, String headerJson, byte[] key) {
            return sign(mac, b64(headerJson), payload, key);
        }

        private static String sign(String mac, String header, String payload, byte[] key) {
            try {
                Mac m = Mac.getInstance(mac);
                m.init(new SecretKeySpec(key, mac));
                byte[] sig = m.doFinal((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
                return header + "." + payload + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static int status(TestLatch latch, String token) {
        return latch.http().get("/api/auth/me", "Authorization", "Bearer " + token).status();
    }

    private static void assertRefused(TestLatch latch, String token) {
        var res = latch.http().get("/api/auth/me", "Authorization", "Bearer " + token);
        assertEquals(401, res.status(), token);
        assertEquals("invalid_token", res.json().get("error").asText());
    }
}
