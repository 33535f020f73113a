package latch.oauth;

import latch.support.TestDatabases;
import com.auth0.jwt.JWT;
import latch.support.Http;
import latch.support.RaisesAlerts;
import latch.support.TestLatch;
import latch.token.FixedKey;
import latch.token.TokenProfile;
import latch.token.RandomSecrets;
import latch.token.TokenRejected;
import latch.token.TokenService;
import latch.token.TokenType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OAuthTokenTest {
    private static final String SECRET = "oauth-test-secret-0123456789abcdef-0123456789";

    @TempDir
    Path dir;

    private static String form(String... pairs) {
        var sb = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(pairs[i]).append('=').append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    private static Http.Response password(TestLatch latch, String scope) {
        return scope == null
                ? latch.http().postForm("/api/token", form("grant_type", "password", "username", TestLatch.ADMIN, "password", TestLatch.ADMIN_PASSWORD))
                : latch.http().postForm("/api/token", form("grant_type", "password", "username", TestLatch.ADMIN, "password", TestLatch.ADMIN_PASSWORD, "scope", scope));
    }

    private static Http.Response refresh(TestLatch latch, String refreshToken) {
        return latch.http().postForm("/api/token", form("grant_type", "refresh_token", "refresh_token", refreshToken));
    }

    @Test
    void thePasswordGrantAnswersRfc6749() {
        TestLatch.run(dir, latch -> {
            latch.setupAdmin();
            var res = password(latch, "roms.read me.read");
            assertEquals(200, res.status(), res.toString());
            var body = res.json();
            assertEquals("Bearer", body.get("token_type").asText());
            assertEquals(900, body.get("expires_in").asInt());
            assertEquals("me.read roms.read", body.get("scope").asText());
            assertTrue(body.get("refresh_token").asText().length() >= 43);
            assertEquals("no-store", res.header("Cache-Control").orElseThrow());
            var jwt = JWT.decode(body.get("access_token").asText());
            assertEquals("at+jwt", jwt.getType());
            var me = latch.http().get("/api/auth/me", "Authorization", "Bearer " + body.get("access_token").asText());
            assertEquals(200, me.status());
            assertEquals("[\"me.read\",\"roms.read\"]", me.json().at("/user/scopes").toString());
            assertEquals(403, latch.http().get("/api/users", "Authorization", "Bearer " + body.get("access_token").asText()).status(),
                    "an admin's token narrowed to two scopes cannot do admin things");
        });
    }

    @Test
    void errorsTakeTheRfc6749Shape() {
        TestLatch.run(dir, latch -> {
            latch.setupAdmin();
            assertOAuthError(latch.http().postForm("/api/token", form("grant_type", "password", "username", "admin", "password", "wrong password")), 400, "invalid_grant");
            assertOAuthError(password(latch, "roms.read launch.missiles"), 400, "invalid_scope");
            assertOAuthError(latch.http().postForm("/api/token", form("grant_type", "client_credentials")), 400, "unsupported_grant_type");
            assertOAuthError(latch.http().postForm("/api/token", form("username", "admin")), 400, "invalid_request");
            assertOAuthError(latch.http().postJson("/api/token", "{\"grant_type\":\"password\"}"), 400, "invalid_request");
            assertOAuthError(latch.http().postForm("/api/token", "grant_type=password&grant_type=refresh_token"), 400, "invalid_request");
            assertOAuthError(refresh(latch, "not-a-refresh-token"), 400, "invalid_grant");
        });
    }

    @Test
    void aViewerCannotAskForScopesAboveTheirRole() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            latch.createUser(admin, "vera", "viewer password", "viewer");
            var res = latch.http().postForm("/api/token", form("grant_type", "password", "username", "vera", "password", "viewer password", "scope", "users.write"));
            assertOAuthError(res, 400, "invalid_scope");
        });
    }

    @Test
    @RaisesAlerts("presents a rotated refresh token again")
    void refreshTokensRotateAndAReusedOneEndsTheWholeFamily() {
        TestLatch.run(dir, latch -> {
            latch.setupAdmin();
            var first = password(latch, null).json();
            var second = refresh(latch, first.get("refresh_token").asText());
            assertEquals(200, second.status(), second.toString());
            String rt2 = second.json().get("refresh_token").asText();
            String at2 = second.json().get("access_token").asText();
            assertNotEquals(first.get("refresh_token").asText(), rt2);
            assertEquals(200, me(latch, at2));

            // An attacker replays the first refresh token: it was spent, so the grant dies for everyone.
            assertOAuthError(refresh(latch, first.get("refresh_token").asText()), 400, "invalid_grant");
            assertOAuthError(refresh(latch, rt2), 400, "invalid_grant");
            assertEquals(401, me(latch, at2));
            assertEquals(401, me(latch, first.get("access_token").asText()));
        });
    }

    @Test
    @RaisesAlerts("replays one refresh token at once")
    void concurrentUsesOfOneRefreshTokenRotateItOnceAndEndTheGrant() {
        TestLatch.run(dir, latch -> {
            latch.setupAdmin();
            var grant = password(latch, null).json();
            String rt = grant.get("refresh_token").asText();
            int racers = 4;
            var start = new CyclicBarrier(racers);
            var pool = Executors.newFixedThreadPool(racers);
            var results = new ArrayList<Future<Http.Response>>();
            try {
                for (int i = 0; i < racers; i++) {
                    results.add(pool.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        return refresh(latch, rt);
                    }));
                }
                var winners = new ArrayList<Http.Response>();
                for (var f : results) {
                    var res = f.get(30, TimeUnit.SECONDS);
                    if (res.status() == 200) {
                        winners.add(res);
                    } else {
                        assertOAuthError(res, 400, "invalid_grant");
                    }
                }
                // The store spends the token once; every other copy is a replay, which ends the grant. Whether the
                // one rotation answers 200 depends on whether a replay ended the grant before it read it back.
                assertTrue(winners.size() <= 1, "at most one client gets new tokens: " + winners);
                try (var c = TestDatabases.connect(dir);
                     var rs = c.createStatement().executeQuery("SELECT count(*), count(used_at) FROM refresh_tokens")) {
                    rs.next();
                    assertEquals(2, rs.getInt(1), "exactly one successor was stored");
                    assertEquals(1, rs.getInt(2), "and exactly one token was spent");
                }
                for (var w : winners) {
                    assertOAuthError(refresh(latch, w.json().get("refresh_token").asText()), 400, "invalid_grant");
                    assertEquals(401, me(latch, w.json().get("access_token").asText()));
                }
                assertEquals(401, me(latch, grant.get("access_token").asText()));
            } finally {
                pool.shutdownNow();
            }
        });
    }

    @Test
    void refreshTokensAreStoredOnlyAsHashes() throws Exception {
        var issued = new ArrayList<String>();
        TestLatch.run(dir, latch -> {
            latch.setupAdmin();
            issued.add(password(latch, null).json().get("refresh_token").asText());
            issued.add(refresh(latch, issued.get(0)).json().get("refresh_token").asText());
        });
        var stored = new ArrayList<String>();
        try (var c = TestDatabases.connect(dir);
             var rs = c.createStatement().executeQuery("SELECT token_hash FROM refresh_tokens")) {
            while (rs.next()) {
                stored.add(rs.getString(1));
            }
        }
        assertEquals(java.util.Set.of(RandomSecrets.sha256(issued.get(0)), RandomSecrets.sha256(issued.get(1))),
                java.util.Set.copyOf(stored));
        assertEquals(2, stored.size());
        assertTrue(Collections.disjoint(stored, issued), "never the token itself");
    }

    @Test
    void anAccessTokenIsRefusedOnceItsLifetimeIsOverEvenIfSeenBefore() {
        TestLatch.run(dir, Map.of("OAUTH_ACCESS_TOKEN_EXPIRE_SECONDS", "300"), latch -> {
            latch.setupAdmin();
            var grant = password(latch, null).json();
            assertEquals(300, grant.get("expires_in").asInt());
            String at = grant.get("access_token").asText();
            assertEquals(200, me(latch, at), "verified once, and remembered as verified");
            latch.clock().advance(Duration.ofSeconds(290));
            assertEquals(200, me(latch, at));
            latch.clock().advance(Duration.ofSeconds(20));
            var expired = latch.http().get("/api/auth/me", "Authorization", "Bearer " + at);
            assertEquals(401, expired.status(), "310 s into a 300 s lifetime: " + expired);
            assertEquals("invalid_token", expired.json().get("error").asText());
            var renewed = refresh(latch, grant.get("refresh_token").asText());
            assertEquals(200, me(latch, renewed.json().get("access_token").asText()), "the grant lives on; only the access token ended");
        });
    }

    @Test
    @RaisesAlerts("presents a rotated refresh token again, with another scope")
    void aRefreshMayNarrowButNeverWidenTheScope() {
        TestLatch.run(dir, latch -> {
            latch.setupAdmin();
            var grant = password(latch, "roms.read").json();
            assertOAuthError(latch.http().postForm("/api/token",
                    form("grant_type", "refresh_token", "refresh_token", grant.get("refresh_token").asText(), "scope", "roms.read users.write")), 400, "invalid_scope");
            var after = refresh(latch, grant.get("refresh_token").asText());
            assertEquals(200, after.status(), "a refused request spends nothing, so it is not taken for a replay: " + after);
            assertEquals("roms.read", after.json().get("scope").asText());
            // The spent token replayed with a bad scope is still a replay: the scope check must not shield it.
            assertOAuthError(latch.http().postForm("/api/token",
                    form("grant_type", "refresh_token", "refresh_token", grant.get("refresh_token").asText(), "scope", "users.write")), 400, "invalid_grant");
            assertOAuthError(refresh(latch, after.json().get("refresh_token").asText()), 400, "invalid_grant");
        });
    }

    @Test
    void aNarrowedRefreshLimitsTheNewAccessTokenButTheRefreshTokenKeepsTheGrantsScope() {
        TestLatch.run(dir, latch -> {
            latch.setupAdmin();
            var grant = password(latch, "me.read users.read").json();
            var narrowed = refresh(latch, grant.get("refresh_token").asText(), "me.read");
            assertEquals(200, narrowed.status(), narrowed.toString());
            assertEquals("me.read", narrowed.json().get("scope").asText());
            String at = narrowed.json().get("access_token").asText();
            assertEquals(200, me(latch, at));
            assertEquals(403, latch.http().get("/api/users", "Authorization", "Bearer " + at).status(),
                    "users.read was dropped on refresh, so the new access token cannot list users");
            // RFC 6749 §6: the refresh token still stands for the whole grant, so the next refresh may ask for it all.
            var full = refresh(latch, narrowed.json().get("refresh_token").asText());
            assertEquals(200, full.status(), full.toString());
            assertEquals("me.read users.read", full.json().get("scope").asText());
            assertEquals(200, latch.http().get("/api/users", "Authorization", "Bearer " + full.json().get("access_token").asText()).status());
        });
    }

    private static Http.Response refresh(TestLatch latch, String refreshToken, String scope) {
        return latch.http().postForm("/api/token", form("grant_type", "refresh_token", "refresh_token", refreshToken, "scope", scope));
    }

    @Test
    void demotingTheUserShrinksTheirAccessTokenAtOnce() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            long id = latch.createUser(admin, "ed", "editor password", "editor");
            var grant = latch.http().postForm("/api/token",
                    form("grant_type", "password", "username", "ed", "password", "editor password", "scope", "me.read roms.write")).json();
            String at = grant.get("access_token").asText();
            assertEquals("[\"me.read\",\"roms.write\"]", scopes(latch, at));
            latch.http().patchJson("/api/users/" + id, "{\"role\":\"viewer\"}", "Authorization", "Bearer " + admin);
            assertEquals("[\"me.read\"]", scopes(latch, at), "roms.write left with the editor role");
        });
    }

    private static String scopes(TestLatch latch, String token) {
        return latch.http().get("/api/auth/me", "Authorization", "Bearer " + token).json().at("/user/scopes").toString();
    }

    @Test
    void accessAndSessionTokensCannotStandInForEachOther() {
        TestLatch.run(dir, Map.of("LATCH_AUTH_SECRET_KEY", SECRET), latch -> {
            String session = latch.setupAdmin();
            String access = password(latch, null).json().get("access_token").asText();
            var key = new FixedKey(SECRET.getBytes(StandardCharsets.UTF_8));
            var tokens = new TokenService(List.of(
                    new TokenProfile(TokenType.SESSION, "latch", Duration.ofDays(1), Set.of("HS256"), key),
                    new TokenProfile(TokenType.ACCESS, "latch", Duration.ofDays(1), Set.of("HS256"), key)),
                    "latch", latch.deps().changes(), Clock.systemUTC());
            assertThrows(TokenRejected.class, () -> tokens.verify(TokenType.SESSION, access));
            assertThrows(TokenRejected.class, () -> tokens.verify(TokenType.ACCESS, session));
            // Once each has passed as its own type it is remembered as verified, and still only as that type.
            assertEquals(TokenType.ACCESS, tokens.verifyAny(access).type());
            assertEquals(TokenType.SESSION, tokens.verifyAny(session).type());
            assertThrows(TokenRejected.class, () -> tokens.verify(TokenType.SESSION, access));
            assertThrows(TokenRejected.class, () -> tokens.verify(TokenType.ACCESS, session));
            var refreshWithAccess = latch.http().post("/api/auth/refresh", "Authorization", "Bearer " + access);
            assertEquals(400, refreshWithAccess.status());
            assertEquals("wrong_token_type", refreshWithAccess.json().get("error").asText());
            // Re-signed with our key but relabelled: the session kind behind the sid does not match, so it fails.
            var relabelled = com.auth0.jwt.JWT.create().withHeader(Map.of("typ", "at+jwt")).withKeyId(JWT.decode(session).getKeyId())
                    .withIssuer("latch").withAudience("latch")
                    .withSubject("1").withClaim("sid", JWT.decode(session).getClaim("sid").asString()).withJWTId("x")
                    .withClaim("scope", "users.write").withIssuedAt(java.time.Instant.now())
                    .withExpiresAt(java.time.Instant.now().plusSeconds(300)).sign(com.auth0.jwt.algorithms.Algorithm.HMAC256(SECRET));
            assertEquals(401, me(latch, relabelled));
        });
    }

    @Test
    void grantsAppearAmongMySessionsAndEndWithSignOutEverywhere() {
        TestLatch.run(dir, latch -> {
            String session = latch.setupAdmin();
            var grant = password(latch, null).json();
            var kinds = latch.http().get("/api/auth/sessions", "Authorization", "Bearer " + session).json().get("sessions").toString();
            assertTrue(kinds.contains("\"oauth\""), kinds);
            latch.http().post("/api/auth/logout-all", "Authorization", "Bearer " + session);
            assertEquals(401, me(latch, grant.get("access_token").asText()));
            assertOAuthError(refresh(latch, grant.get("refresh_token").asText()), 400, "invalid_grant");
        });
    }

    private static int me(TestLatch latch, String token) {
        return latch.http().get("/api/auth/me", "Authorization", "Bearer " + token).status();
    }

    private static void assertOAuthError(Http.Response res, int status, String error) {
        assertEquals(status, res.status(), res.toString());
        assertEquals(error, res.json().get("error").asText(), res.body());
        assertTrue(res.json().has("error_description"), res.body());
    }
}
