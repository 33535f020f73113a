package latch.token;

import com.auth0.jwt.JWT;
import latch.support.Http;
import latch.support.TestClock;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Tokens name their issuer: LATCH_PUBLIC_URL when set, else "latch", as {@code iss} and as their {@code aud}. A
 * token is accepted only under the issuer it names, so setting or changing LATCH_PUBLIC_URL (a restart on the same
 * data directory, same keys) refuses every token issued before.
 */
class IssuerTest {
    @TempDir
    Path dir;
    private final TestClock clock = new TestClock();

    private static int me(TestLatch latch, String token) {
        return latch.http().get("/api/auth/me", "Authorization", Http.bearer(token)).status();
    }

    private static void assertIssuer(String expected, String token) {
        var jwt = JWT.decode(token);
        assertEquals(expected, jwt.getIssuer(), "iss");
        assertEquals(List.of(expected), jwt.getAudience(), "aud");
    }

    private static String accessToken(TestLatch latch) {
        var res = latch.passwordGrant(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD);
        assertEquals(200, res.status(), res.toString());
        return res.json().get("access_token").asText();
    }

    @Test
    void withoutAPublicUrlTokensNameLatchAsIssuerAndAudience() {
        try (var latch = TestLatch.start(dir, Map.of(), clock)) {
            assertIssuer("latch", latch.setupAdmin());
            assertIssuer("latch", accessToken(latch));
        }
    }

    @Test
    void withAPublicUrlTokensNameItAsIssuerAndAudience() {
        try (var latch = TestLatch.start(dir, Map.of("LATCH_PUBLIC_URL", "https://auth.example.com/"), clock)) {
            assertIssuer("https://auth.example.com", latch.setupAdmin());
            assertIssuer("https://auth.example.com", accessToken(latch));
        }
    }

    @Test
    void aTokenIssuedUnderOneIssuerIsRefusedOnceThePublicUrlIsSetOrChanged() {
        String unnamed;
        String unnamedAccess;
        try (var latch = TestLatch.start(dir, Map.of(), clock)) {
            unnamed = latch.setupAdmin();
            unnamedAccess = accessToken(latch);
        }
        try (var latch = TestLatch.start(dir, Map.of(), clock)) {
            assertEquals(200, me(latch, unnamed), "control: the same setting after a restart, the same keys");
            assertEquals(200, me(latch, unnamedAccess));
        }

        var first = Map.of("LATCH_PUBLIC_URL", "https://auth.example.com");
        String named;
        try (var latch = TestLatch.start(dir, first, clock)) {
            assertEquals(401, me(latch, unnamed), "issued as 'latch', refused by https://auth.example.com");
            assertEquals(401, me(latch, unnamedAccess));
            named = latch.token(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD);
            assertIssuer("https://auth.example.com", named);
            assertEquals(200, me(latch, named));
        }

        try (var latch = TestLatch.start(dir, Map.of("LATCH_PUBLIC_URL", "https://login.example.com"), clock)) {
            assertEquals(401, me(latch, named), "issued by https://auth.example.com, refused by https://login.example.com");
            assertEquals(401, me(latch, unnamed));
            assertEquals(200, latch.login(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD).status(), "signing in again works");
        }

        try (var latch = TestLatch.start(dir, Map.of(), clock)) {
            assertEquals(401, me(latch, named), "unsetting it refuses the named issuer's tokens too");
        }
    }
}
