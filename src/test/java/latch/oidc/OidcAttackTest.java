package latch.oidc;

import latch.support.OpenIdProvider;
import com.nimbusds.jwt.JWTClaimsSet;
import latch.support.Http;
import latch.support.TestClock;
import latch.support.TestLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a forged callback or a forged ID token gets: no session, a clear page, and nothing else. */
class OidcAttackTest {
    @TempDir
    Path dir;
    private HostileProvider provider;
    private final OpenIdProvider real = new OpenIdProvider();

    @BeforeEach
    void start() throws Exception {
        provider = new HostileProvider();
    }

    @AfterEach
    void stop() {
        provider.close();
        real.close();
    }

    /** Signs in through the hostile provider with the ID token {@code forge} makes from the sign-in's nonce. */
    private SignInFlow.Result signInWith(TestLatch latch, Function<String, String> forge) {
        provider.idToken = forge;
        var started = SignInFlow.start(latch, "");
        var back = URI.create(provider.get(started.authorization()));
        return SignInFlow.callback(latch, back, started.binding());
    }

    private static void refused(SignInFlow.Result result, int status, String code) {
        assertEquals(status, result.status(), result.callback().toString());
        assertEquals(code, result.error());
        assertTrue(result.session().isEmpty(), "no session");
    }

    @Test
    void aCorrectTokenSignsInByEveryAllowedAlgorithm() {
        try (var latch = TestLatch.startPublic(dir, provider.settings(Map.of()), new TestClock())) {
            latch.setupAdmin();
            for (Function<String, String> forge : List.<Function<String, String>>of(
                    n -> HostileProvider.rs256(provider.rsa, provider.claims(n).build()),
                    n -> HostileProvider.ps256(provider.rsa, provider.claims(n).build()),
                    n -> HostileProvider.es256(provider.ec, provider.claims(n).build()),
                    n -> provider.eddsa(provider.claims(n).build()))) {
                var result = signInWith(latch, forge);
                assertEquals(302, result.status(), result.callback().toString());
                assertEquals(200, latch.http().get("/api/auth/me", "Authorization", Http.bearer(result.token())).status());
            }
        }
    }

    @Test
    void forgedIdTokensAreRefused() {
        try (var latch = TestLatch.startPublic(dir, provider.settings(Map.of()), new TestClock())) {
            latch.setupAdmin();
            Instant past = Instant.now().minus(Duration.ofHours(1));
            Map<String, Function<String, String>> forgeries = new java.util.LinkedHashMap<>();
            forgeries.put("wrong iss", n -> HostileProvider.rs256(provider.rsa, provider.claims(n).issuer("https://other.example").build()));
            forgeries.put("wrong aud", n -> HostileProvider.rs256(provider.rsa, provider.claims(n).audience("another-client").build()));
            forgeries.put("extra aud without azp", n -> HostileProvider.rs256(provider.rsa,
                    provider.claims(n).audience(List.of(OpenIdProvider.CLIENT_ID, "untrusted-client")).build()));
            forgeries.put("azp of another client", n -> HostileProvider.rs256(provider.rsa,
                    provider.claims(n).audience(List.of(OpenIdProvider.CLIENT_ID, "untrusted-client")).claim("azp", "untrusted-client").build()));
            forgeries.put("expired", n -> HostileProvider.rs256(provider.rsa, provider.claims(n)
                    .issueTime(Date.from(past.minusSeconds(600))).expirationTime(Date.from(past)).build()));
            forgeries.put("issued in the future", n -> HostileProvider.rs256(provider.rsa, provider.claims(n)
                    .issueTime(Date.from(Instant.now().plusSeconds(3600))).expirationTime(Date.from(Instant.now().plusSeconds(7200))).build()));
            forgeries.put("alg none", n -> HostileProvider.unsigned(provider.claims(n).build()));
            forgeries.put("unknown key", n -> HostileProvider.rs256(provider.unpublished, provider.claims(n).build()));
            forgeries.put("HS256 with the client secret", n -> HostileProvider.hs256(OpenIdProvider.CLIENT_SECRET, provider.claims(n).build()));
            forgeries.put("nonce of another sign-in", n -> HostileProvider.rs256(provider.rsa, provider.claims("another-nonce").build()));
            forgeries.put("no nonce", n -> HostileProvider.rs256(provider.rsa, provider.claims(n).claim("nonce", null).build()));
            forgeries.put("an access token's typ", n -> HostileProvider.typed(provider.rsa, "at+jwt", provider.claims(n).build()));
            for (var forgery : forgeries.entrySet()) {
                var result = signInWith(latch, forgery.getValue());
                assertEquals(401, result.status(), forgery.getKey() + ": " + result.callback());
                assertEquals("id_token_rejected", result.error(), forgery.getKey());
                assertTrue(result.session().isEmpty(), forgery.getKey());
            }
            // Not a JWT at all: the token response itself is malformed, and said to be the provider's fault.
            refused(signInWith(latch, n -> "not-a-token"), 502, "provider_error");
            var azpOk = signInWith(latch, n -> HostileProvider.rs256(provider.rsa,
                    provider.claims(n).audience(List.of(OpenIdProvider.CLIENT_ID, "other")).claim("azp", OpenIdProvider.CLIENT_ID).build()));
            assertEquals(302, azpOk.status(), "several audiences with azp naming us pass: " + azpOk.callback());
        }
    }

    @Test
    void hs256SignedWithTheClientSecretPassesOnlyWhenTheOperatorAllowedIt() {
        try (var latch = TestLatch.startPublic(dir, provider.settings(Map.of("OIDC_ALLOW_HS256", "true")), new TestClock())) {
            latch.setupAdmin();
            var result = signInWith(latch, n -> HostileProvider.hs256(OpenIdProvider.CLIENT_SECRET, provider.claims(n).build()));
            assertEquals(302, result.status(), result.callback().toString());
            var forged = signInWith(latch, n -> HostileProvider.hs256("a guess at the secret, 32 bytes long...", provider.claims(n).build()));
            refused(forged, 401, "id_token_rejected");
        }
    }

    @Test
    void aDiscoveryDocumentNamingAnotherIssuerIsNotUsed() {
        provider.statedIssuer = "https://impostor.example";
        try (var latch = TestLatch.startPublic(dir, provider.settings(Map.of()), new TestClock())) {
            var res = latch.http().get("/api/login/openid");
            assertEquals(503, res.status());
            assertTrue(res.body().contains("provider_unavailable"), res.body());
        }
    }

    @Test
    void aCallbackWithoutStateWithAnUnknownStateOrFromAnotherBrowserIsRefused() {
        try (var latch = TestLatch.startPublic(dir, real.settings(Map.of("OIDC_ALLOW_REGISTRATION", "true")), new TestClock())) {
            latch.setupAdmin();
            refused(SignInFlow.callback(latch, URI.create("/api/oauth/openid?code=abc")), 400, "missing_state");
            refused(SignInFlow.callback(latch, URI.create("/api/oauth/openid?code=abc&state=made-up")), 400, "unknown_state");

            // The attacker's own sign-in, delivered to the victim's browser (login CSRF): the victim has no binding.
            real.nextSignIn("attacker", Map.of("preferred_username", "attacker"));
            var attackers = SignInFlow.start(latch, "");
            URI back = real.authorize(attackers.authorization());
            var victimsOwn = SignInFlow.start(latch, "");
            refused(SignInFlow.callback(latch, back, victimsOwn.binding()), 400, "foreign_state");
            refused(SignInFlow.callback(latch, back), 400, "unknown_state"); // and the state is spent

            // A callback replayed with its cookie: the state was used once.
            real.nextSignIn("someone", Map.of("preferred_username", "someone"));
            var mine = SignInFlow.start(latch, "");
            URI myBack = real.authorize(mine.authorization());
            assertEquals(302, SignInFlow.callback(latch, myBack, mine.binding()).status());
            refused(SignInFlow.callback(latch, myBack, mine.binding()), 400, "unknown_state");
        }
    }

    @Test
    void aSignInThatWaitedTooLongAtTheProviderIsRefused() {
        var clock = new TestClock();
        try (var latch = TestLatch.startPublic(dir, real.settings(Map.of("OIDC_ALLOW_REGISTRATION", "true")), clock)) {
            latch.setupAdmin();
            real.nextSignIn("slow", Map.of("preferred_username", "slow"));
            var started = SignInFlow.start(latch, "");
            URI back = real.authorize(started.authorization());
            clock.advance(OidcService.ATTEMPT_TTL.plusSeconds(1));
            refused(SignInFlow.callback(latch, back, started.binding()), 400, "sign_in_expired");
        }
    }

    @Test
    void aCodeTheProviderAlreadyRedeemedIsRefused() {
        try (var latch = TestLatch.startPublic(dir, provider.settings(Map.of()), new TestClock())) {
            latch.setupAdmin();
            provider.idToken = n -> HostileProvider.rs256(provider.rsa, provider.claims(n).build());
            var first = SignInFlow.start(latch, "");
            URI back = URI.create(provider.get(first.authorization()));
            assertEquals(302, SignInFlow.callback(latch, back, first.binding()).status());
            // The same code under a fresh state of the same browser: the provider refuses it, and so does Latch.
            var second = SignInFlow.start(latch, "");
            String state = OidcSignInTest.query(URI.create(second.authorization())).get("state");
            String code = OidcSignInTest.query(back).get("code");
            var replay = SignInFlow.callback(latch, URI.create("/api/oauth/openid?code=" + code + "&state=" + state), second.binding());
            refused(replay, 400, "code_refused");
        }
    }

    @Test
    void theProvidersRefusalIsShownWithoutEchoingWhatItSent() {
        try (var latch = TestLatch.startPublic(dir, real.settings(Map.of()), new TestClock())) {
            var started = SignInFlow.start(latch, "");
            String state = OidcSignInTest.query(URI.create(started.authorization())).get("state");
            var result = SignInFlow.callback(latch, URI.create("/api/oauth/openid?error=%3Cscript%3Ealert(1)%3C/script%3E&state=" + state),
                    started.binding());
            refused(result, 403, "provider_refused");
            assertTrue(!result.callback().body().contains("<script>"), result.callback().body());
        }
    }

    @Test
    void aKeyTheProviderRotatedToIsFetchedButUnknownKeysDoNotMakeLatchFetchAgainAndAgain() {
        try (var latch = TestLatch.startPublic(dir, provider.settings(Map.of()), new TestClock())) {
            latch.setupAdmin();
            assertEquals(302, signInWith(latch, n -> HostileProvider.rs256(provider.rsa, provider.claims(n).build())).status());
            int fetches = provider.jwksFetches.get();

            provider.rotated = true;
            var rotated = signInWith(latch, n -> HostileProvider.rs256(provider.next, provider.claims(n).build()));
            assertEquals(302, rotated.status(), "the new kid was fetched: " + rotated.callback());
            assertEquals(fetches + 1, provider.jwksFetches.get());

            // A flood of made-up key ids right after: refused, and the key set is not fetched for each (at most every 30 s).
            for (int i = 0; i < 3; i++) {
                var forged = signInWith(latch, n -> HostileProvider.rs256(provider.unpublished,
                        provider.claims(n).build()).replaceFirst("^[^.]+", com.nimbusds.jose.util.Base64URL.encode(
                        "{\"alg\":\"RS256\",\"kid\":\"made-up-" + System.nanoTime() + "\"}").toString()));
                refused(forged, 401, "id_token_rejected");
            }
            assertEquals(fetches + 1, provider.jwksFetches.get());
        }
    }

    @Test
    void theClientSecretIsSentTheWayDiscoverySays() {
        provider.authMethods = List.of("client_secret_post");
        try (var latch = TestLatch.startPublic(dir, provider.settings(Map.of()), new TestClock())) {
            latch.setupAdmin();
            assertEquals(302, signInWith(latch, n -> HostileProvider.rs256(provider.rsa, provider.claims(n).build())).status());
        }
        provider.authMethods = null;
        try (var latch = TestLatch.startPublic(dir, provider.settings(Map.of()), new TestClock())) {
            assertEquals(302, signInWith(latch, n -> HostileProvider.rs256(provider.rsa, provider.claims(n).build())).status());
        }
        var withoutSecret = new java.util.HashMap<>(provider.settings(Map.of()));
        withoutSecret.remove("OIDC_CLIENT_SECRET");
        try (var latch = TestLatch.startPublic(dir, withoutSecret, new TestClock())) {
            assertEquals(302, signInWith(latch, n -> HostileProvider.rs256(provider.rsa, provider.claims(n).build())).status());
        }
        assertEquals(List.of("post", "basic", "none"), provider.clientAuth);
    }
}
