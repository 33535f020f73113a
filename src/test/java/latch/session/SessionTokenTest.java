package latch.session;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Session tokens: accepted only when signed by us, with our algorithm, type and issuer, and unexpired. */
class SessionTokenTest {
    private static final String SECRET = "test-secret-0123456789abcdef-0123456789abcdef";
    private static final Map<String, String> KNOWN_SECRET = Map.of("LATCH_AUTH_SECRET_KEY", SECRET);

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

    @Test
    void anExpiredTokenIsRefused() {
        TestLatch.run(dir, latch -> {
            String token = latch.setupAdmin();
            assertEquals(200, status(latch, token), "verified once, and remembered as verified");
            latch.clock().advance(Duration.ofSeconds(86400 + 6));
            var res = latch.http().get("/api/auth/me", "Authorization", "Bearer " + token);
            assertEquals(401, res.status());
            assertEquals("invalid_token", res.json().get("error").asText());
            assertTrue(res.header("WWW-Authenticate").orElseThrow().contains("invalid_token"));
        });
    }

    @Test
    void algNoneIsRefused() {
        TestLatch.run(dir, KNOWN_SECRET, latch -> {
            latch.setupAdmin();
            String header = b64("{\"typ\":\"latch-session+jwt\",\"alg\":\"none\"}");
            String payload = b64(claimsJson(Instant.now()));
            assertRefused(latch, header + "." + payload + ".");
            assertRefused(latch, header + "." + payload);
        });
    }

    @Test
    void aTamperedTokenIsRefused() {
        TestLatch.run(dir, KNOWN_SECRET, latch -> {
            String token = latch.setupAdmin();
            String[] parts = token.split("\\.");
            String promoted = b64(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("\"sub\":\"1\"", "\"sub\":\"2\""));
            assertRefused(latch, parts[0] + "." + promoted + "." + parts[2]);
            char last = parts[2].charAt(parts[2].length() - 1);
            assertRefused(latch, parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() - 1) + (last == 'A' ? 'B' : 'A'));
        });
    }

    @Test
    void anotherAlgorithmWithTheSameSecretIsRefused() {
        TestLatch.run(dir, KNOWN_SECRET, latch -> {
            latch.setupAdmin();
            assertRefused(latch, forge(Algorithm.HMAC512(SECRET), "latch-session+jwt", "latch"));
            assertRefused(latch, forge(Algorithm.HMAC384(SECRET), "latch-session+jwt", "latch"));
        });
    }

    @Test
    void aTokenOfAnotherTypeOrIssuerIsRefusedEvenWithOurKey() {
        TestLatch.run(dir, KNOWN_SECRET, latch -> {
            String sid = JWT.decode(latch.setupAdmin()).getClaim("sid").asString();
            Algorithm ours = Algorithm.HMAC256(SECRET);
            assertEquals(200, status(latch, forge(ours, "latch-session+jwt", "latch", sid)), "control: a correct forgery with our key passes");
            assertRefused(latch, forge(ours, "JWT", "latch", sid));
            assertRefused(latch, forge(ours, "at+jwt", "latch", sid));
            assertRefused(latch, forge(ours, null, "latch", sid));
            assertRefused(latch, forge(ours, "latch-session+jwt", "https://evil.example", sid));
        });
    }

    @Test
    void aTokenSignedWithAnotherSecretIsRefused() {
        TestLatch.run(dir, KNOWN_SECRET, latch -> {
            latch.setupAdmin();
            assertRefused(latch, forge(Algorithm.HMAC256("another-secret-0123456789abcdef-0123456789"), "latch-session+jwt", "latch"));
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

    @Test
    void eachInstallationGeneratesItsOwnSecret(@TempDir Path other) {
        String[] token = new String[1];
        TestLatch.run(dir, latch -> token[0] = latch.setupAdmin());
        TestLatch.run(other, latch -> {
            latch.setupAdmin();
            assertRefused(latch, token[0]);
        });
    }

    private static String claimsJson(Instant now) {
        return "{\"iss\":\"latch\",\"sub\":\"1\",\"sid\":\"s\",\"jti\":\"j\",\"iat\":" + now.getEpochSecond()
                + ",\"exp\":" + (now.getEpochSecond() + 3600) + "}";
    }

    private static String forge(Algorithm algorithm, String typ, String issuer) {
        return forge(algorithm, typ, issuer, "forged-session");
    }

    private static String forge(Algorithm algorithm, String typ, String issuer, String sid) {
        var builder = JWT.create();
        if (typ != null) {
            builder.withHeader(Map.of("typ", typ));
        }
        Instant now = Instant.now();
        return builder.withIssuer(issuer).withSubject("1").withClaim("sid", sid).withJWTId("forged-" + typ)
                .withIssuedAt(now).withExpiresAt(now.plusSeconds(3600)).sign(algorithm);
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
