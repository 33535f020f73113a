package latch.sfu;

import com.fasterxml.jackson.databind.JsonNode;
import latch.support.Http;
import latch.support.RaisesAlerts;
import latch.support.Sfu;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Plays the ROM manager's netplay parts call for call, as their sources make them: the EmulatorJS client minting
 * ({@code fetch('/api/sfu/token', {method: 'POST', headers: {'Content-Type': 'application/json'}, body:
 * JSON.stringify({token_type: 'write'})})}, cookies only, no CSRF header) and the SFU server verifying
 * ({@code rommInternalRequest}: {@code x-romm-sfu-secret}, {@code Accept: application/json}, {@code {token, consume}}).
 */
class SfuContractTest {

    @TempDir
    Path dir;

    /** The EmulatorJS client's fetch, from a page on Latch's own origin: the session cookie, no CSRF token. */
    static Http.Response clientMint(TestLatch latch, String session, String tokenType) {
        String body = tokenType == null ? "{}" : "{\"token_type\":\"" + tokenType + "\"}";
        return latch.http().postJson("/api/sfu/token", body, "Cookie", "latch_token=" + session,
                "Origin", latch.http().base(), "Sec-Fetch-Site", "same-origin");
    }

    @Test
    void aReadTokenIsMintedForTheBrowserAndVerifiedByTheSfuAsOftenAsItLikes() throws Exception {
        TestLatch.run(dir, Sfu.settings(), latch -> {
            String admin = latch.setupAdmin();
            latch.createUser(admin, "alice", "password-alice", "viewer");
            String alice = latch.token("alice", "password-alice");

            var minted = clientMint(latch, alice, "read");
            assertEquals(200, minted.status(), minted.toString());
            JsonNode m = minted.json();
            assertEquals("bearer", m.get("token_type").asText());
            assertEquals(900, m.get("expires").asLong());
            assertEquals(latch.clock().instant().plusSeconds(900).getEpochSecond(),
                    Instant.parse(m.get("expires_at").asText()).getEpochSecond());
            String token = m.get("token").asText();

            for (Boolean consume : new Boolean[] {true, null, false, true}) {
                var verified = Sfu.verify(latch, token, consume);
                assertEquals(200, verified.status(), verified.toString());
                JsonNode v = verified.json();
                assertEquals("alice", v.get("sub").asText());
                assertEquals("alice", v.get("netplay_username").asText());
                assertEquals("sfu:read", v.get("token_type").asText());
                assertEquals(latch.settings().server().issuer(), v.get("iss").asText());
            }

            var empty = latch.http().send("POST", "/api/sfu/token", "application/json", null, "Authorization", Http.bearer(alice));
            assertEquals(200, empty.status(), "no body asks for a read token, as the ROM manager's endpoint does");
            assertEquals("sfu:read", Sfu.verify(latch, empty.json().get("token").asText(), true).json().get("token_type").asText());
            assertEquals("sfu:read", Sfu.verify(latch, clientMint(latch, alice, null).json().get("token").asText(), true)
                    .json().get("token_type").asText());
        });
    }

    @Test
    @RaisesAlerts("consumes a write token twice")
    void aWriteTokenPassesTheSfusPeeksAndIsUsedUpByItsFirstConsume() throws Exception {
        TestLatch.run(dir, Sfu.settings(), latch -> {
            String admin = latch.setupAdmin();
            var minted = clientMint(latch, admin, "write");
            assertEquals(200, minted.status(), minted.toString());
            assertEquals(30, minted.json().get("expires").asLong());
            String token = minted.json().get("token").asText();

            // The SFU's HTTP /join and /list check without consuming; its socket handshake and /create consume.
            for (int i = 0; i < 3; i++) {
                var peek = Sfu.verify(latch, token, false);
                assertEquals(200, peek.status(), peek.toString());
                assertEquals("sfu:write", peek.json().get("token_type").asText());
            }
            var first = Sfu.verify(latch, token, null);
            assertEquals(200, first.status(), "consume defaults to true: " + first);
            assertEquals("admin", first.json().get("sub").asText());

            for (Boolean consume : new Boolean[] {true, null, false}) {
                var replay = Sfu.verify(latch, token, consume);
                assertEquals(401, replay.status(), replay.toString());
                assertEquals("token already used", replay.json().get("detail").asText());
                assertEquals("invalid_token", replay.json().get("error").asText());
                assertFalse(replay.json().get("message").asText().isBlank());
            }
        });
    }

    @Test
    void everyCredentialLatchAcceptsMintsWithinItsScopes() throws Exception {
        TestLatch.run(dir, Sfu.settings(), latch -> {
            String admin = latch.setupAdmin();
            var script = latch.http().postJson("/api/sfu/token", "{\"token_type\":\"write\"}", "Authorization", Http.bearer(admin));
            assertEquals(200, script.status(), script.toString());

            var readOnly = latch.http().postJson("/api/client-tokens", "{\"name\":\"lister\",\"scopes\":[\"sfu.read\"]}",
                    "Authorization", Http.bearer(admin));
            assertEquals(201, readOnly.status(), readOnly.toString());
            String apiToken = readOnly.json().get("token").asText();
            assertEquals(200, latch.http().postJson("/api/sfu/token", "{}", "Authorization", Http.bearer(apiToken)).status());
            var noWrite = latch.http().postJson("/api/sfu/token", "{\"token_type\":\"write\"}", "X-API-Key", apiToken);
            assertEquals(403, noWrite.status(), noWrite.toString());
            assertEquals("insufficient_scope", noWrite.json().get("error").asText());

            var oauth = latch.http().postForm("/api/token", "grant_type=password&username=admin&password="
                    + java.net.URLEncoder.encode(TestLatch.ADMIN_PASSWORD, java.nio.charset.StandardCharsets.UTF_8) + "&scope=sfu.write");
            String access = oauth.json().get("access_token").asText();
            assertEquals(200, latch.http().postJson("/api/sfu/token", "{\"token_type\":\"write\"}", "Authorization", Http.bearer(access)).status());
            assertEquals(403, latch.http().postJson("/api/sfu/token", "{\"token_type\":\"read\"}", "Authorization", Http.bearer(access)).status());
        });
    }

    @Test
    void badMintRequestsAreRefusedClearly() throws Exception {
        TestLatch.run(dir, Sfu.settings(), latch -> {
            String admin = latch.setupAdmin();
            var anonymous = latch.http().postJson("/api/sfu/token", "{}");
            assertEquals(401, anonymous.status());

            var wrongType = latch.http().postJson("/api/sfu/token", "{\"token_type\":\"admin\"}", "Authorization", Http.bearer(admin));
            assertEquals(400, wrongType.status());
            assertEquals("invalid_token_type", wrongType.json().get("error").asText());

            var otherSite = latch.http().postJson("/api/sfu/token", "{}", "Cookie", "latch_token=" + admin,
                    "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site");
            assertEquals(403, otherSite.status(), "another site cannot make a browser mint: " + otherSite);
            var noOrigin = latch.http().postJson("/api/sfu/token", "{}", "Cookie", "latch_token=" + admin);
            assertEquals(403, noOrigin.status(), "a cookie alone says nothing of where the request came from");

            var notJson = latch.http().send("POST", "/api/sfu/token", "text/plain", "token_type=write", "Authorization", Http.bearer(admin));
            assertEquals(415, notJson.status(), notJson.toString());
        });
    }

    @Test
    void mintingIsLimitedPerPersonWithRetryAfter() throws Exception {
        TestLatch.run(dir, Map.of("ROMM_SFU_INTERNAL_SECRET", Sfu.SECRET, "SFU_MINT_PER_MINUTE", "3"), latch -> {
            String admin = latch.setupAdmin();
            for (int i = 0; i < 3; i++) {
                assertEquals(200, latch.http().postJson("/api/sfu/token", "{}", "Authorization", Http.bearer(admin)).status());
            }
            var limited = latch.http().postJson("/api/sfu/token", "{}", "Authorization", Http.bearer(admin));
            assertEquals(429, limited.status());
            assertTrue(Long.parseLong(limited.header("Retry-After").orElseThrow()) > 0);
            assertEquals("rate_limited", limited.json().get("error").asText());
        });
    }

    @Test
    void theSfuMustSendTheSharedSecret() throws Exception {
        TestLatch.run(dir, Sfu.settings(), latch -> {
            String admin = latch.setupAdmin();
            String token = latch.http().postJson("/api/sfu/token", "{}", "Authorization", Http.bearer(admin)).json().get("token").asText();
            String body = "{\"token\":\"" + token + "\"}";
            assertEquals(401, latch.http().postJson("/api/sfu/internal/verify", body).status());
            var wrong = latch.http().postJson("/api/sfu/internal/verify", body, "x-romm-sfu-secret", Sfu.SECRET + "x");
            assertEquals(401, wrong.status());
            assertEquals("unauthorized", wrong.json().get("error").asText());
            assertEquals(401, latch.http().postJson("/api/sfu/internal/verify", body, "Authorization", Http.bearer(admin)).status(),
                    "a person's credential is not the SFU's");
            assertEquals(200, latch.http().postJson("/api/sfu/internal/verify", body, "X-ROMM-SFU-SECRET", Sfu.SECRET).status(),
                    "header names are case-insensitive");
            assertEquals(400, latch.http().postJson("/api/sfu/internal/verify", "{}", "x-romm-sfu-secret", Sfu.SECRET).status());
        });
        TestLatch.run(dir.resolve("unset"), Map.of(), latch -> {
            var unset = latch.http().postJson("/api/sfu/internal/verify", "{\"token\":\"x\"}", "x-romm-sfu-secret", Sfu.SECRET);
            assertEquals(503, unset.status(), "the SFU reports this as 'auth unavailable'");
            assertEquals("sfu_not_configured", unset.json().get("error").asText());
        });
    }
}
