package latch.clienttoken;

import latch.support.TestDatabases;
import latch.support.Http;
import latch.support.RaisesAlerts;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientTokenTest {
    @TempDir
    Path dir;

    private static String[] bearer(String token) {
        return new String[] {"Authorization", "Bearer " + token};
    }

    private static Http.Response create(TestLatch latch, String auth, String body) {
        return latch.http().postJson("/api/client-tokens", body, bearer(auth));
    }

    @Test
    void aTokenIsShownOnceStoredHashedAndWorksAsBearerOrApiKey() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            var res = create(latch, admin, "{\"name\":\"cron backup\",\"scopes\":[\"me.read\",\"roms.read\"]}");
            assertEquals(201, res.status(), res.toString());
            String secret = res.json().get("token").asText();
            assertTrue(secret.matches("latch_[A-Za-z0-9_-]{55}"), secret);
            var me = latch.http().get("/api/auth/me", bearer(secret));
            assertEquals(200, me.status());
            assertEquals("[\"me.read\",\"roms.read\"]", me.json().at("/user/scopes").toString());
            assertEquals(200, latch.http().get("/api/auth/me", "X-API-Key", secret).status());
            var list = latch.http().get("/api/client-tokens", bearer(admin));
            assertFalse(list.body().contains(secret), "never the secret again");
            assertEquals("cron backup", list.json().at("/tokens/0/name").asText());
            assertEquals(403, latch.http().get("/api/users", bearer(secret)).status(), "only the scopes it carries");
            assertTrue(lastUsedAppears(latch, admin), "last use is recorded (written in the background)");
            try (var c = TestDatabases.connect(dir);
                 var rs = c.createStatement().executeQuery("SELECT secret_hash FROM client_tokens")) {
                assertTrue(rs.next());
                assertEquals(sha256Base64Url(secret), rs.getString(1), "only the SHA-256 of the whole secret is stored");
                assertFalse(rs.next());
            }
        });
    }

    private static String sha256Base64Url(String value) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }

    /** "Last used" is written off the request path: once the background thread has caught up, it is there. */
    private static boolean lastUsedAppears(TestLatch latch, String auth) {
        latch.deps().jobs().awaitDeferred();
        return !latch.http().get("/api/client-tokens", bearer(auth)).json().at("/tokens/0/last_used_at").isNull();
    }

    @Test
    void scopesMustBeANonEmptySubsetOfTheOwnersAndTheExcessIsNamed() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            latch.createUser(admin, "vera", "viewer password", "viewer");
            String viewer = latch.token("vera", "viewer password");
            var excess = create(latch, viewer, "{\"name\":\"x\",\"scopes\":[\"roms.read\",\"users.write\",\"roms.write\"]}");
            assertEquals(403, excess.status());
            assertTrue(excess.json().get("message").asText().contains("roms.write, users.write"), excess.body());
            assertEquals(400, create(latch, viewer, "{\"name\":\"x\",\"scopes\":[]}").status());
            assertEquals(400, create(latch, viewer, "{\"name\":\"\",\"scopes\":[\"roms.read\"]}").status());
        });
    }

    @Test
    void demotingOrDisablingTheOwnerShrinksOrStopsTheTokenAtOnce() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            long ed = latch.createUser(admin, "ed", "editor password", "editor");
            String secret = create(latch, latch.token("ed", "editor password"), "{\"name\":\"sync\",\"scopes\":[\"me.read\",\"roms.write\"]}")
                    .json().get("token").asText();
            latch.http().patchJson("/api/users/" + ed, "{\"role\":\"viewer\"}", bearer(admin));
            assertEquals("[\"me.read\"]", latch.http().get("/api/auth/me", bearer(secret)).json().at("/user/scopes").toString());
            latch.http().patchJson("/api/users/" + ed, "{\"enabled\":false}", bearer(admin));
            assertEquals(401, latch.http().get("/api/auth/me", bearer(secret)).status());
            latch.http().delete("/api/users/" + ed, bearer(admin));
            assertEquals(401, latch.http().get("/api/auth/me", bearer(secret)).status());
        });
    }

    @Test
    void theTwentySixthActiveTokenIsAConflict() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            for (int i = 0; i < 25; i++) {
                assertEquals(201, create(latch, admin, "{\"name\":\"t" + i + "\",\"scopes\":[\"me.read\"]}").status());
            }
            var res = create(latch, admin, "{\"name\":\"t26\",\"scopes\":[\"me.read\"]}");
            assertEquals(409, res.status());
            assertEquals("too_many_tokens", res.json().get("error").asText());
            String id = latch.http().get("/api/client-tokens", bearer(admin)).json().at("/tokens/0/id").asText();
            latch.http().delete("/api/client-tokens/" + id, bearer(admin));
            assertEquals(201, create(latch, admin, "{\"name\":\"t26\",\"scopes\":[\"me.read\"]}").status(), "a revoked one frees a place");
        });
    }

    @Test
    void revokedRegeneratedAndExpiredTokensStopWorking() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            var a = create(latch, admin, "{\"name\":\"a\",\"scopes\":[\"me.read\"]}").json();
            var b = create(latch, admin, "{\"name\":\"b\",\"scopes\":[\"me.read\"]}").json();
            var c = create(latch, admin, "{\"name\":\"c\",\"scopes\":[\"me.read\"],\"expires_in_seconds\":3600}").json();
            assertEquals(204, latch.http().delete("/api/client-tokens/" + a.get("id").asText(), bearer(admin)).status());
            assertEquals(401, latch.http().get("/api/auth/me", bearer(a.get("token").asText())).status());
            var regenerated = latch.http().post("/api/client-tokens/" + b.get("id").asText() + "/regenerate", bearer(admin));
            assertEquals(200, regenerated.status());
            assertNotEquals(b.get("token").asText(), regenerated.json().get("token").asText());
            assertEquals(401, latch.http().get("/api/auth/me", bearer(b.get("token").asText())).status());
            assertEquals(200, latch.http().get("/api/auth/me", bearer(regenerated.json().get("token").asText())).status());
            assertEquals(200, latch.http().get("/api/auth/me", bearer(c.get("token").asText())).status());
            latch.clock().advance(Duration.ofSeconds(3601));
            assertEquals(401, latch.http().get("/api/auth/me", bearer(c.get("token").asText())).status());
        });
    }

    @Test
    void anExpiredTokenCannotBeRegeneratedOrPairedOnlyRevoked() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            String id = create(latch, admin, "{\"name\":\"short\",\"scopes\":[\"me.read\"],\"expires_in_seconds\":60}").json().get("id").asText();
            latch.clock().advance(Duration.ofSeconds(61));
            for (var res : new Http.Response[] {
                    latch.http().post("/api/client-tokens/" + id + "/regenerate", bearer(admin)),
                    latch.http().post("/api/client-tokens/" + id + "/pair", bearer(admin))}) {
                assertEquals(409, res.status(), res.toString());
                assertEquals("token_expired", res.json().get("error").asText());
                assertTrue(res.json().get("message").asText().contains("expired"), res.body());
            }
            assertEquals(204, latch.http().delete("/api/client-tokens/" + id, bearer(admin)).status(), "revoking it still works");
        });
    }

    @Test
    void userAsTokenIdsOnUserBsTokensAreUnknown() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            latch.createUser(admin, "bob", "bob password", "viewer");
            String bob = latch.token("bob", "bob password");
            String adminTokenId = create(latch, admin, "{\"name\":\"mine\",\"scopes\":[\"me.read\"]}").json().get("id").asText();
            assertEquals(404, latch.http().delete("/api/client-tokens/" + adminTokenId, bearer(bob)).status());
            assertEquals(404, latch.http().post("/api/client-tokens/" + adminTokenId + "/regenerate", bearer(bob)).status());
            assertEquals(404, latch.http().post("/api/client-tokens/" + adminTokenId + "/pair", bearer(bob)).status());
            assertEquals(1, latch.http().get("/api/client-tokens", bearer(admin)).json().get("tokens").size());
        });
    }

    @Test
    void anAdminListsAndRevokesAnyUsersTokens() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            long bobId = latch.createUser(admin, "bob", "bob password", "viewer");
            var t = create(latch, latch.token("bob", "bob password"), "{\"name\":\"bob's\",\"scopes\":[\"me.read\"]}").json();
            var listed = latch.http().get("/api/users/" + bobId + "/client-tokens", bearer(admin)).json().get("tokens");
            assertEquals(1, listed.size());
            assertEquals(204, latch.http().delete("/api/users/" + bobId + "/client-tokens/" + t.get("id").asText(), bearer(admin)).status());
            assertEquals(401, latch.http().get("/api/auth/me", bearer(t.get("token").asText())).status());
        });
    }

    @Test
    void aClientTokenCannotCreateClientTokens() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            String secret = create(latch, admin, "{\"name\":\"t\",\"scopes\":[\"tokens.write\",\"tokens.read\"]}").json().get("token").asText();
            var res = create(latch, secret, "{\"name\":\"child\",\"scopes\":[\"tokens.write\"]}");
            assertEquals(403, res.status());
            assertEquals("client_token_cannot_mint", res.json().get("error").asText());
        });
    }

    @Test
    void aClientTokenCannotRegenerateOrPairClientTokens() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            var t = create(latch, admin, "{\"name\":\"t\",\"scopes\":[\"tokens.write\",\"tokens.read\",\"me.read\"]}").json();
            String secret = t.get("token").asText();
            String other = create(latch, admin, "{\"name\":\"other\",\"scopes\":[\"me.read\"]}").json().get("id").asText();
            for (String id : new String[] {t.get("id").asText(), other}) {
                for (var res : new Http.Response[] {
                        latch.http().post("/api/client-tokens/" + id + "/regenerate", bearer(secret)),
                        latch.http().post("/api/client-tokens/" + id + "/pair", bearer(secret))}) {
                    assertEquals(403, res.status(), res.toString());
                    assertEquals("client_token_cannot_mint", res.json().get("error").asText());
                }
            }
            assertEquals(200, latch.http().get("/api/auth/me", bearer(secret)).status(), "its own secret was not replaced");
        });
    }

    @Test
    void anAdminRouteWithAnotherUsersIdDoesNotRevokeTheToken() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            long bobId = latch.createUser(admin, "bob", "bob password", "viewer");
            var adminsToken = create(latch, admin, "{\"name\":\"mine\",\"scopes\":[\"me.read\"]}").json();
            var res = latch.http().delete("/api/users/" + bobId + "/client-tokens/" + adminsToken.get("id").asText(), bearer(admin));
            assertEquals(404, res.status(), "the token id is not bob's: " + res);
            assertEquals(200, latch.http().get("/api/auth/me", bearer(adminsToken.get("token").asText())).status(), "still works");
            assertEquals(1, latch.http().get("/api/client-tokens", bearer(admin)).json().get("tokens").size());
        });
    }

    @Test
    @RaisesAlerts("uses a client token from outside its networks")
    void aTokenLimitedToNetworksRefusesOtherAddresses() {
        TestLatch.run(dir, Map.of("TRUSTED_PROXIES", "127.0.0.1,::1"), latch -> {
            String admin = latch.setupAdmin();
            String secret = create(latch, admin, "{\"name\":\"lan only\",\"scopes\":[\"me.read\"],\"networks\":[\"192.168.1.0/24\"]}")
                    .json().get("token").asText();
            assertEquals(200, latch.http().get("/api/auth/me", "Authorization", "Bearer " + secret, "X-Forwarded-For", "192.168.1.20").status());
            assertEquals(401, latch.http().get("/api/auth/me", "Authorization", "Bearer " + secret, "X-Forwarded-For", "203.0.113.9").status());
            assertEquals(400, create(latch, admin, "{\"name\":\"x\",\"scopes\":[\"me.read\"],\"networks\":[\"lan\"]}").status());
        });
    }

    @Test
    void forgedAndMalformedClientTokensAreRefused() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            String secret = create(latch, admin, "{\"name\":\"t\",\"scopes\":[\"me.read\"]}").json().get("token").asText();
            String sameIdOtherSecret = secret.substring(0, 18) + "A".repeat(43);
            for (String bad : new String[] {sameIdOtherSecret, "latch_", "latch_short", secret + "x", secret.substring(0, secret.length() - 1)}) {
                assertEquals(401, latch.http().get("/api/auth/me", bearer(bad)).status(), bad);
            }
        });
    }
}
