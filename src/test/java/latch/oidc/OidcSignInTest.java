package latch.oidc;

import latch.support.OpenIdProvider;
import com.fasterxml.jackson.databind.JsonNode;
import latch.support.Http;
import latch.support.TestClock;
import latch.support.TestLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sign-in through a real OpenID provider on a loopback port, played call for call as a browser does. */
class OidcSignInTest {
    @TempDir
    Path dir;
    private final OpenIdProvider provider = new OpenIdProvider();

    @AfterEach
    void stop() {
        provider.close();
    }

    private TestLatch latch(Map<String, String> settings) {
        return TestLatch.startPublic(dir, provider.settings(settings), new TestClock());
    }

    private static Map<String, Object> person(String username, String email, boolean verified) {
        var claims = new HashMap<String, Object>();
        claims.put("preferred_username", username);
        claims.put("email", email);
        claims.put("email_verified", verified);
        claims.put("name", username.substring(0, 1).toUpperCase() + username.substring(1));
        return claims;
    }

    private static JsonNode me(TestLatch latch, String token) {
        var res = latch.http().get("/api/auth/me", "Authorization", Http.bearer(token));
        assertEquals(200, res.status(), res.toString());
        return res.json();
    }

    @Test
    void aFirstSignInCreatesTheAccountWithAPasswordlessSessionAndGoesWhereItWasAsked() {
        try (var latch = latch(Map.of("OIDC_ALLOW_REGISTRATION", "true"))) {
            String admin = latch.setupAdmin();
            provider.nextSignIn("sub-alice", person("alice", "alice@example.com", true));
            var result = SignInFlow.signIn(latch, provider, "?rd=/account");
            assertEquals(302, result.status(), result.callback().toString());
            assertEquals("/account", result.location());
            var me = me(latch, result.token());
            assertEquals("alice", me.path("user").path("username").asText(me.toString()));
            assertEquals("viewer", me.path("user").path("role").asText());

            // The same person again: the same account, found by issuer and subject.
            provider.nextSignIn("sub-alice", person("alice-renamed", "alice@example.com", true));
            var again = SignInFlow.signIn(latch, provider);
            assertEquals("/", again.location());
            assertEquals(me.path("user").path("id").asLong(), me(latch, again.token()).path("user").path("id").asLong());

            // A normal session: listed with the others, and the sign-in audited as oidc.
            var sessions = latch.http().get("/api/auth/sessions", "Authorization", Http.bearer(again.token())).json();
            assertEquals(2, sessions.path("sessions").size(), sessions.toString());
            var events = latch.http().get("/api/admin/audit?type=sign_in", "Authorization", Http.bearer(admin)).json().get("events");
            assertTrue(events.toString().contains("\"oidc\""), events.toString());
            // Nobody can sign in as the new account with a password: it has none.
            assertEquals(401, latch.login("alice", "any password at all").status());
        }
    }

    @Test
    void theAuthorizationRequestCarriesPkceS256StateAndNonceAndTheTokenRequestTheVerifier() throws Exception {
        try (var latch = latch(Map.of("OIDC_ALLOW_REGISTRATION", "true"))) {
            latch.setupAdmin();
            provider.nextSignIn("sub-pkce", person("pkce", "pkce@example.com", true));
            var started = SignInFlow.start(latch, "");
            var query = query(URI.create(started.authorization()));
            assertEquals("S256", query.get("code_challenge_method"));
            assertEquals("code", query.get("response_type"));
            assertEquals("openid profile email", query.get("scope"));
            assertTrue(query.get("state").length() >= 32 && query.get("nonce").length() >= 32, query.toString());
            assertTrue(started.response().setCookie("latch_oidc").orElseThrow().contains("HttpOnly"));
            var result = SignInFlow.callback(latch, provider.authorize(started.authorization()), started.binding());
            assertEquals(302, result.status(), result.callback().toString());

            // The provider saw the verifier whose S256 hash is the challenge, and Latch's client credentials.
            String verifier = null;
            for (var request : provider.requests()) {
                if (request.getPath() != null && request.getPath().contains("/token")) {
                    verifier = query(URI.create("x:/?" + request.getBody().readUtf8())).get("code_verifier");
                    assertTrue(request.getHeader("Authorization").startsWith("Basic "), "client_secret_basic");
                }
            }
            assertTrue(verifier != null, "the token request carried a code_verifier");
            String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
            assertEquals(query.get("code_challenge"), challenge);
        }
    }

    @Test
    void withoutRegistrationSomeoneWithNoAccountGetsAClearPageAndNoSession() {
        try (var latch = latch(Map.of())) {
            latch.setupAdmin();
            provider.nextSignIn("sub-stranger", person("stranger", "stranger@example.com", true));
            var result = SignInFlow.signIn(latch, provider);
            assertEquals(403, result.status());
            assertEquals("no_account", result.error());
            assertTrue(result.callback().header("Content-Type").orElse("").startsWith("text/html"));
            assertTrue(result.session().isEmpty());
            assertFalse(result.callback().body().contains("Exception"));
        }
    }

    @Test
    void aVerifiedEmailLinksToTheExistingAccountOnlyWhenLinkingByEmailIsOn() {
        try (var latch = latch(Map.of("OIDC_LINK_BY_EMAIL", "true"))) {
            String admin = latch.setupAdmin();
            long bob = latch.createUser(admin, "bob", "bobs password 1", "editor");
            var set = latch.http().patchJson("/api/users/" + bob, "{\"email\":\"Bob@Example.com\"}", "Authorization", Http.bearer(admin));
            assertEquals(200, set.status(), set.toString());

            // An unverified address proves nothing: no link, and (registration off) no account.
            provider.nextSignIn("sub-bob", person("bobby", "bob@example.com", false));
            var unverified = SignInFlow.signIn(latch, provider);
            assertEquals(403, unverified.status());
            assertEquals("no_account", unverified.error());

            provider.nextSignIn("sub-bob", person("bobby", "bob@example.com", true));
            var verified = SignInFlow.signIn(latch, provider);
            assertEquals(302, verified.status(), verified.callback().toString());
            var me = me(latch, verified.token());
            assertEquals(bob, me.path("user").path("id").asLong());
            assertEquals("editor", me.path("user").path("role").asText());
        }
    }

    @Test
    void aVerifiedEmailDoesNotLinkWhenLinkingByEmailIsOff() {
        try (var latch = latch(Map.of("OIDC_ALLOW_REGISTRATION", "true"))) {
            String admin = latch.setupAdmin();
            long carol = latch.createUser(admin, "carol", "carols password", "viewer");
            latch.http().patchJson("/api/users/" + carol, "{\"email\":\"carol@example.com\"}", "Authorization", Http.bearer(admin));
            provider.nextSignIn("sub-carol", person("carol", "carol@example.com", true));
            var result = SignInFlow.signIn(latch, provider);
            var me = me(latch, result.token());
            assertNotEquals(carol, me.path("user").path("id").asLong());
            // The name was taken: the newcomer gets a suffix, never the existing account.
            assertEquals("carol-2", me.path("user").path("username").asText());
        }
    }

    @Test
    void theRoleFollowsAListClaimAndACommaSeparatedStringAtEverySignIn() {
        var roles = Map.of("OIDC_ALLOW_REGISTRATION", "true", "OIDC_ROLE_CLAIM", "groups",
                "OIDC_ROLE_ADMIN", "latch-admins", "OIDC_ROLE_EDITOR", "latch-editors", "OIDC_ROLE_VIEWER", "family");
        try (var latch = latch(roles)) {
            String admin = latch.setupAdmin();
            var claims = person("dana", "dana@example.com", true);
            claims.put("groups", List.of("family", "latch-editors"));
            provider.nextSignIn("sub-dana", claims);
            var first = SignInFlow.signIn(latch, provider);
            assertEquals("editor", me(latch, first.token()).path("user").path("role").asText());

            claims.put("groups", "family, latch-admins");
            provider.nextSignIn("sub-dana", claims);
            assertEquals("admin", me(latch, SignInFlow.signIn(latch, provider).token()).path("user").path("role").asText());

            claims.put("groups", "family");
            provider.nextSignIn("sub-dana", claims);
            var demoted = SignInFlow.signIn(latch, provider);
            assertEquals("viewer", me(latch, demoted.token()).path("user").path("role").asText());
            // The sessions opened as admin lost the role too: roles are read per request.
            assertEquals("viewer", me(latch, first.token()).path("user").path("role").asText());

            // Someone in none of the listed groups has no role here.
            claims.put("groups", List.of("neighbours"));
            provider.nextSignIn("sub-erin", claims);
            var none = SignInFlow.signIn(latch, provider);
            assertEquals(403, none.status());
            assertEquals("no_role", none.error());
            var events = latch.http().get("/api/admin/audit?type=role_changed", "Authorization", Http.bearer(admin)).json();
            assertEquals(2, events.get("events").size(), events.toString());
        }
    }

    @Test
    void theLastAdminIsNotDemotedByTheClaimAndStillSignsIn() {
        var roles = Map.of("OIDC_ALLOW_REGISTRATION", "true", "OIDC_ROLE_CLAIM", "realm_access.roles",
                "OIDC_ROLE_ADMIN", "latch-admin");
        try (var latch = latch(roles)) {
            String setupAdmin = latch.setupAdmin();
            var claims = person("frank", "frank@example.com", true);
            claims.put("realm_access", Map.of("roles", List.of("latch-admin")));
            provider.nextSignIn("sub-frank", claims);
            var frank = SignInFlow.signIn(latch, provider);
            assertEquals("admin", me(latch, frank.token()).path("user").path("role").asText());
            // The setup admin leaves: frank is the last admin.
            var delete = latch.http().delete("/api/users/" + me(latch, setupAdmin).path("user").path("id").asLong(),
                    "Authorization", Http.bearer(frank.token()));
            assertEquals(204, delete.status(), delete.toString());

            claims.put("realm_access", Map.of("roles", List.of("offline_access")));
            provider.nextSignIn("sub-frank", claims);
            var kept = SignInFlow.signIn(latch, provider);
            assertEquals(302, kept.status(), kept.callback().toString());
            assertEquals("admin", me(latch, kept.token()).path("user").path("role").asText());
            var refused = latch.http().get("/api/admin/audit?type=role_changed&outcome=failure", "Authorization",
                    Http.bearer(kept.token())).json();
            assertTrue(refused.toString().contains("last admin"), refused.toString());
        }
    }

    @Test
    void theSameSubjectFromAnotherIssuerIsAnotherPerson() {
        String first;
        try (var latch = latch(Map.of("OIDC_ALLOW_REGISTRATION", "true"))) {
            latch.setupAdmin();
            provider.nextSignIn("shared-sub", person("gina", "gina@example.com", true));
            first = me(latch, SignInFlow.signIn(latch, provider).token()).path("user").path("id").asText();
        }
        try (var other = new OpenIdProvider();
             var latch = TestLatch.startPublic(dir, other.settings(Map.of("OIDC_ALLOW_REGISTRATION", "true")), new TestClock())) {
            other.nextSignIn("shared-sub", person("gina", "gina@example.com", true));
            var result = SignInFlow.signIn(latch, other);
            var me = me(latch, result.token());
            assertNotEquals(first, me.path("user").path("id").asText());
            assertEquals("gina-2", me.path("user").path("username").asText());
        }
    }

    @Test
    void anAbsoluteReturnAddressOnAnotherSiteIsNotFollowed() {
        try (var latch = latch(Map.of("OIDC_ALLOW_REGISTRATION", "true"))) {
            latch.setupAdmin();
            for (String rd : List.of("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)")) {
                provider.nextSignIn("sub-henry", person("henry", "henry@example.com", true));
                var result = SignInFlow.signIn(latch, provider, "?rd=" + java.net.URLEncoder.encode(rd, StandardCharsets.UTF_8));
                assertEquals("/", result.location(), rd);
            }
        }
    }

    @Test
    void signingOutAlsoEndsTheProviderSessionWhenAsked() {
        try (var latch = latch(Map.of("OIDC_ALLOW_REGISTRATION", "true", "OIDC_RP_INITIATED_LOGOUT", "true"))) {
            latch.setupAdmin();
            provider.nextSignIn("sub-ivy", person("ivy", "ivy@example.com", true));
            String token = SignInFlow.signIn(latch, provider).token();
            var out = latch.http().post("/api/auth/logout", latch.cookieAuth(token));
            assertEquals(200, out.status(), out.toString());
            var redirect = URI.create(out.json().get("redirect").asText());
            assertTrue(redirect.toString().startsWith(provider.server().endSessionEndpointUrl("home").toString()), redirect.toString());
            var query = query(redirect);
            assertEquals(latch.settings().server().publicUrl() + "/login", query.get("post_logout_redirect_uri"));
            assertEquals(3, query.get("id_token_hint").split("\\.").length);
            // Latch's own session ended as always.
            assertEquals(401, latch.http().get("/api/auth/me", "Authorization", Http.bearer(token)).status());
            // The provider accepts the request (it redirects back where Latch asked).
            var atProvider = provider.get(redirect);
            assertEquals(302, atProvider.statusCode(), atProvider.body());
        }
        try (var latch = TestLatch.startPublic(dir, provider.settings(Map.of("OIDC_ALLOW_REGISTRATION", "true")), new TestClock())) {
            provider.nextSignIn("sub-ivy", person("ivy", "ivy@example.com", true));
            String token = SignInFlow.signIn(latch, provider).token();
            assertEquals(204, latch.http().post("/api/auth/logout", latch.cookieAuth(token)).status(), "off: Latch's session only");
        }
    }

    @Test
    void aSignedInPersonLinksAndUnlinksTheProviderButNeverTheirOnlyWayIn() {
        try (var latch = latch(Map.of("OIDC_ALLOW_REGISTRATION", "true"))) {
            String admin = latch.setupAdmin();
            latch.createUser(admin, "jack", "jacks password", "viewer");
            String jack = latch.token("jack", "jacks password");
            var link = latch.http().post("/api/auth/me/identities/openid", latch.cookieAuth(jack));
            assertEquals(200, link.status(), link.toString());
            String binding = link.setCookie(OidcController.BINDING_COOKIE).map(c -> c.substring(0, c.indexOf(';'))).orElseThrow();
            provider.nextSignIn("sub-jack", person("jack-at-home", "jack@example.com", true));
            var done = SignInFlow.callback(latch, provider.authorize(link.json().get("url").asText()), binding);
            assertEquals(302, done.status(), done.callback().toString());
            assertEquals("/account", done.location());
            assertTrue(done.session().isEmpty(), "linking signs no one in");

            var identities = latch.http().get("/api/auth/me/identities", "Authorization", Http.bearer(jack)).json().get("identities");
            assertEquals(1, identities.size());
            assertEquals("Home ID", identities.get(0).get("provider").asText());
            // Signing in through the provider now opens jack's account.
            provider.nextSignIn("sub-jack", person("jack-at-home", "jack@example.com", true));
            assertEquals("jack", me(latch, SignInFlow.signIn(latch, provider).token()).path("user").path("username").asText());

            // Jack has a password too, so he may unlink.
            long id = identities.get(0).get("id").asLong();
            assertEquals(204, latch.http().delete("/api/auth/me/identities/" + id, latch.cookieAuth(jack)).status());

            // Someone who only ever signed in through the provider may not cut their only way in.
            provider.nextSignIn("sub-kim", person("kim", "kim@example.com", true));
            String kim = SignInFlow.signIn(latch, provider).token();
            long kimsIdentity = latch.http().get("/api/auth/me/identities", "Authorization", Http.bearer(kim)).json()
                    .get("identities").get(0).get("id").asLong();
            var refused = latch.http().delete("/api/auth/me/identities/" + kimsIdentity, latch.cookieAuth(kim));
            assertEquals(409, refused.status());
            assertEquals("last_way_in", refused.json().get("error").asText());
            // And nobody unlinks someone else's.
            assertEquals(404, latch.http().delete("/api/auth/me/identities/" + kimsIdentity, latch.cookieAuth(jack)).status());
        }
    }

    @Test
    void someoneWhoOnlySignsInThroughTheProviderCanStillMakeClientTokens() {
        try (var latch = latch(Map.of("OIDC_ALLOW_REGISTRATION", "true"))) {
            latch.setupAdmin();
            provider.nextSignIn("sub-lee", person("lee", "lee@example.com", true));
            String lee = SignInFlow.signIn(latch, provider).token();
            var created = latch.http().postJson("/api/client-tokens", "{\"name\":\"handheld\",\"scopes\":[\"me.read\"]}",
                    latch.cookieAuth(lee));
            assertEquals(201, created.status(), created.toString());
            String secret = created.json().get("token").asText();
            assertEquals("lee", me(latch, secret).path("user").path("username").asText());

            // And approve a device that asks for a token (RFC 8628).
            var init = latch.http().postJson("/api/auth/device/init", "{\"client_name\":\"handheld\",\"scopes\":[\"me.read\"]}");
            String userCode = init.json().get("user_code").asText();
            var approve = latch.http().postJson("/api/auth/device/approve", "{\"user_code\":\"" + userCode + "\"}", latch.cookieAuth(lee));
            assertEquals(204, approve.status(), approve.toString());
            latch.clock().advance(java.time.Duration.ofSeconds(6));
            var token = latch.http().postJson("/api/auth/device/token", "{\"device_code\":\"" + init.json().get("device_code").asText() + "\"}");
            assertEquals(200, token.status(), token.toString());
            assertEquals("lee", me(latch, token.json().get("access_token").asText()).path("user").path("username").asText());
        }
    }

    @Test
    void theSignInPageLearnsWhatIsOnFromAPublicEndpoint() {
        try (var latch = latch(Map.of("OIDC_AUTOLOGIN", "true"))) {
            var config = latch.http().get("/api/auth/config").json();
            assertTrue(config.get("password_login").asBoolean());
            assertTrue(config.get("oidc_enabled").asBoolean());
            assertEquals("Home ID", config.get("oidc_provider").asText());
            assertTrue(config.get("oidc_autologin").asBoolean());
            assertFalse(config.get("registration_open").asBoolean());
            assertEquals("admin", config.get("password_reset").asText());
        }
        try (var latch = latch(Map.of("DISABLE_USERPASS_LOGIN", "true"))) {
            assertFalse(latch.http().get("/api/auth/config").json().get("password_login").asBoolean());
        }
    }

    @Test
    void anUnreachableProviderGivesAClearPageAndALogLineNeverAStackTrace() {
        var settings = provider.settings(Map.of("OIDC_SERVER_APPLICATION_URL", "http://127.0.0.1:" + TestLatch.freePort() + "/nobody"));
        try (var latch = TestLatch.startPublic(dir, settings, new TestClock())) {
            var res = latch.http().get("/api/login/openid");
            assertEquals(503, res.status());
            assertTrue(res.header("Retry-After").isPresent());
            assertTrue(res.body().contains("data-error=\"provider_unavailable\""), res.body());
            assertTrue(res.setCookie(OidcController.BINDING_COOKIE).isEmpty(), "nothing started");
        }
    }

    @Test
    void singleSignOnThatIsOffIsNotThere() {
        try (var latch = TestLatch.startPublic(dir, Map.of(), new TestClock())) {
            assertEquals(404, latch.http().get("/api/login/openid").status());
            assertFalse(latch.http().get("/api/auth/config").json().get("oidc_enabled").asBoolean());
        }
    }

    static Map<String, String> query(URI uri) {
        var out = new HashMap<String, String>();
        if (uri.getRawQuery() == null) {
            return out;
        }
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }
}
