package latch.forwardauth;

import latch.config.InvalidSetting;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import latch.Main;
import latch.Settings;
import latch.support.Http;
import latch.support.TestClock;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ForwardAuthTest {
    static final String RULES = String.join("\n",
            "rules:",
            "  - hosts: public.example.com",
            "    require: bypass",
            "  - paths: /public/**",
            "    require: bypass",
            "  - paths: /admin/**",
            "    role: admin",
            "  - hosts: roms.example.com",
            "    paths: /api/roms/**",
            "    scope: roms.read",
            "  - hosts: roms.example.com",
            "    paths: /api/users/**",
            "    scope: users.read",
            "  - paths: /blocked/**",
            "    require: deny",
            "  - hosts: lan.example.com",
            "    networks: 192.168.1.0/24",
            "    require: bypass",
            "");
    static final String BROWSER = "text/html,application/xhtml+xml";

    @TempDir
    Path dir;
    private int runs;

    private void run(Map<String, String> extra, TestLatch.Body body) throws Exception {
        Path rules = dir.resolve("rules.yml");
        Files.writeString(rules, RULES);
        var values = new HashMap<String, String>();
        values.put("TRUSTED_PROXIES", "127.0.0.1,::1");
        values.put("ACCESS_RULES_FILE", rules.toString());
        values.put("LATCH_PUBLIC_URL", "https://auth.example.com");
        values.put("COOKIE_DOMAIN", "example.com");
        values.putAll(extra);
        TestLatch.run(dir.resolve("data" + runs++), values, new TestClock(), body);
    }

    /** A Traefik/Caddy style forward-auth request for {@code url}. */
    static Http.Response forward(TestLatch latch, String method, String url, String... headers) {
        URI u = URI.create(url);
        var all = new ArrayList<>(List.of("X-Forwarded-Method", method, "X-Forwarded-Proto", u.getScheme(),
                "X-Forwarded-Host", u.getRawAuthority(), "X-Forwarded-Uri", url.substring(url.indexOf(u.getRawAuthority()) + u.getRawAuthority().length())));
        all.addAll(List.of(headers));
        return latch.http().get("/api/authz/forward-auth", all.toArray(String[]::new));
    }

    /** An nginx auth_request style request for {@code url}. */
    static Http.Response authRequest(TestLatch latch, String method, String url, String... headers) {
        var all = new ArrayList<>(List.of("X-Original-Method", method, "X-Original-URL", url));
        all.addAll(List.of(headers));
        return latch.http().get("/api/authz/auth-request", all.toArray(String[]::new));
    }

    static String cookie(String token) {
        return "latch_token=" + token;
    }

    private static long createUser(TestLatch latch, String admin, String username, String role, String name, String email) {
        var body = JsonNodeFactory.instance.objectNode().put("username", username).put("password", "password-" + username)
                .put("role", role).put("display_name", name).put("email", email);
        var res = latch.http().postJson("/api/users", body.toString(), "Authorization", Http.bearer(admin));
        assertEquals(201, res.status(), res.toString());
        return res.json().get("id").asLong();
    }

    @Test
    void aSignedInUserPassesWithIdentityHeaders() throws Exception {
        run(Map.of(), latch -> {
            String admin = latch.setupAdmin();
            createUser(latch, admin, "alice", "viewer", "Alice Liddell", "alice@example.com");
            String alice = latch.token("alice", "password-alice");
            var res = forward(latch, "GET", "https://roms.example.com/api/roms/7", "Cookie", cookie(alice), "Accept", BROWSER);
            assertEquals(200, res.status(), res.toString());
            assertEquals("alice", res.header("Remote-User").orElseThrow());
            assertEquals("viewer", res.header("Remote-Groups").orElseThrow());
            assertEquals("Alice Liddell", res.header("Remote-Name").orElseThrow());
            assertEquals("alice@example.com", res.header("Remote-Email").orElseThrow());
            assertTrue(res.header("Remote-Scopes").orElseThrow().contains("roms.read"));
            assertFalse(res.header("Remote-Scopes").orElseThrow().contains("users.read"));

            var viaNginx = authRequest(latch, "GET", "https://other.example.com/anything", "Authorization", Http.bearer(alice));
            assertEquals(200, viaNginx.status());
            assertEquals("alice", viaNginx.header("Remote-User").orElseThrow());

            var head = latch.http().send("HEAD", "/api/authz/forward-auth", null, null, "X-Forwarded-Method", "GET",
                    "X-Forwarded-Proto", "https", "X-Forwarded-Host", "roms.example.com", "X-Forwarded-Uri", "/api/roms/1",
                    "Cookie", cookie(alice));
            assertEquals(200, head.status());
            assertEquals("alice", head.header("Remote-User").orElseThrow());
        });
    }

    @Test
    void anOAuthAccessTokenPassesOnlyWithTheScopeItWasGranted() throws Exception {
        run(Map.of(), latch -> {
            latch.setupAdmin();
            var res = latch.http().postForm("/api/token", "grant_type=password&username=admin&password="
                    + URLEncoder.encode(TestLatch.ADMIN_PASSWORD, StandardCharsets.UTF_8) + "&scope=me.read");
            assertEquals(200, res.status(), res.toString());
            String narrow = res.json().get("access_token").asText();
            assertEquals(403, forward(latch, "GET", "https://roms.example.com/api/roms/1", "Authorization", Http.bearer(narrow)).status());
            var ok = forward(latch, "GET", "https://notes.example.com/", "Authorization", Http.bearer(narrow));
            assertEquals(200, ok.status());
            assertEquals("me.read", ok.header("Remote-Scopes").orElseThrow());
        });
    }

    @Test
    void aClientTokenPassesAsBearerOrApiKeyWithItsScopesAndStopsWhenRevoked() throws Exception {
        run(Map.of(), latch -> {
            String admin = latch.setupAdmin();
            var created = latch.http().postJson("/api/client-tokens", "{\"name\":\"emulator\",\"scopes\":[\"roms.read\"]}",
                    "Authorization", Http.bearer(admin)).json();
            String secret = created.get("token").asText();
            var viaBearer = forward(latch, "GET", "https://roms.example.com/api/roms/1", "Authorization", Http.bearer(secret));
            assertEquals(200, viaBearer.status(), viaBearer.toString());
            assertEquals("admin", viaBearer.header("Remote-User").orElseThrow());
            assertEquals("roms.read", viaBearer.header("Remote-Scopes").orElseThrow());
            assertEquals(200, authRequest(latch, "GET", "https://roms.example.com/api/roms/1", "X-API-Key", secret).status());
            assertEquals(403, forward(latch, "GET", "https://roms.example.com/api/users/1", "X-API-Key", secret).status(),
                    "the token carries roms.read only, not the admin's users.read");
            latch.http().delete("/api/client-tokens/" + created.get("id").asText(), "Authorization", Http.bearer(admin));
            assertEquals(401, forward(latch, "GET", "https://roms.example.com/api/roms/1", "X-API-Key", secret).status());
        });
    }

    @Test
    void aTokenNarrowedBelowItsOwnersRolePassesNoRoleRule() throws Exception {
        run(Map.of(), latch -> {
            String admin = latch.setupAdmin();
            assertEquals(200, forward(latch, "GET", "https://app.example.com/admin/x", "Authorization", Http.bearer(admin)).status());
            String narrow = latch.http().postJson("/api/client-tokens", "{\"name\":\"player\",\"scopes\":[\"roms.read\"]}",
                    "Authorization", Http.bearer(admin)).json().get("token").asText();
            assertEquals(403, forward(latch, "GET", "https://app.example.com/admin/x", "Authorization", Http.bearer(narrow)).status(),
                    "an admin's roms.read token is not an admin");
            var res = latch.http().postForm("/api/token", "grant_type=password&username=admin&password="
                    + URLEncoder.encode(TestLatch.ADMIN_PASSWORD, StandardCharsets.UTF_8) + "&scope=me.read");
            String access = res.json().get("access_token").asText();
            assertEquals(403, forward(latch, "GET", "https://app.example.com/admin/x", "Authorization", Http.bearer(access)).status());
        });
    }

    @Test
    void anAppsOwnBearerTokenDoesNotHideTheLatchCookie() throws Exception {
        run(Map.of(), latch -> {
            String admin = latch.setupAdmin();
            var res = forward(latch, "GET", "https://notes.example.com/", "Authorization", "Bearer the-apps-own-token",
                    "Cookie", cookie(admin));
            assertEquals(200, res.status(), res.toString());
            assertEquals("admin", res.header("Remote-User").orElseThrow());
            assertEquals(401, forward(latch, "GET", "https://notes.example.com/", "Authorization", "Bearer the-apps-own-token").status());
        });
    }

    @Test
    void anonymousBrowsersAreSentToSignInAndApiClientsGet401() throws Exception {
        run(Map.of(), latch -> {
            latch.setupAdmin();
            String url = "https://roms.example.com/api/roms/7?x=1&y=2";
            String expected = "https://auth.example.com/login?rd=" + URLEncoder.encode(url, StandardCharsets.UTF_8);

            var get = forward(latch, "GET", url, "Accept", BROWSER);
            assertEquals(302, get.status());
            assertEquals(expected, get.header("Location").orElseThrow());
            var post = forward(latch, "POST", url, "Accept", BROWSER);
            assertEquals(303, post.status());

            var xhr = forward(latch, "GET", url, "Accept", BROWSER, "X-Requested-With", "XMLHttpRequest");
            assertEquals(401, xhr.status());
            assertEquals("unauthorized", xhr.json().get("error").asText());
            assertEquals(401, forward(latch, "GET", url, "Accept", "application/json").status());
            assertEquals(401, forward(latch, "GET", url).status());

            var nginx = authRequest(latch, "GET", url, "Accept", BROWSER);
            assertEquals(401, nginx.status());
            assertEquals(expected, nginx.header("Location").orElseThrow());

            var stale = forward(latch, "GET", url, "Accept", BROWSER, "Cookie", cookie("not-a-token"));
            assertEquals(302, stale.status());
        });
    }

    /** Proxies copy only the headers they are told to from a pass, but hand a refusal to the browser as it is. */
    @Test
    void refusalsCarryTheBrowserSecurityHeadersAndPassesOnlyIdentity() throws Exception {
        run(Map.of("HSTS_MAX_AGE_SECONDS", "31536000"), latch -> {
            String admin = latch.setupAdmin();
            String url = "https://roms.example.com/api/roms/7";
            var pass = forward(latch, "GET", url, "Cookie", cookie(admin));
            assertEquals(200, pass.status());
            assertEquals("admin", pass.header("Remote-User").orElseThrow());
            for (String browserOnly : List.of("Content-Security-Policy", "X-Frame-Options", "Strict-Transport-Security")) {
                assertFalse(pass.header(browserOnly).isPresent(), browserOnly);
            }

            var refusals = List.of(forward(latch, "GET", url, "Accept", BROWSER), forward(latch, "GET", url),
                    authRequest(latch, "GET", url), forward(latch, "GET", "https://any.example.com/blocked/x", "Cookie", cookie(admin)),
                    latch.http().postJson("/api/authz/forward-auth", "{}"));
            for (var refusal : refusals) {
                assertTrue(refusal.status() >= 300, refusal.toString());
                assertEquals("nosniff", refusal.header("X-Content-Type-Options").orElse(null), refusal.toString());
                assertEquals("DENY", refusal.header("X-Frame-Options").orElse(null), refusal.toString());
                assertTrue(refusal.header("Content-Security-Policy").isPresent(), refusal.toString());
                assertEquals("no-store", refusal.header("Cache-Control").orElse(null), refusal.toString());
            }
            assertTrue(refusals.get(0).header("Strict-Transport-Security").isPresent(), "HTTPS per the trusted proxy");
        });
        run(Map.of("TRUSTED_PROXIES", "10.0.0.0/8"), latch -> {
            var untrusted = forward(latch, "GET", "https://public.example.com/");
            assertEquals(403, untrusted.status());
            assertEquals("DENY", untrusted.header("X-Frame-Options").orElse(null));
        });
    }

    @Test
    void withoutAPublicUrlTheSignInPageIsOnTheHostTheProxyReachedLatchBy() throws Exception {
        run(Map.of("LATCH_PUBLIC_URL", "", "COOKIE_DOMAIN", ""), latch -> {
            latch.setupAdmin();
            var res = authRequest(latch, "GET", "https://roms.example.com/");
            assertTrue(res.header("Location").orElseThrow().startsWith(latch.http().base() + "/login?rd=https%3A%2F%2Froms.example.com%2F"),
                    res.header("Location").orElseThrow());
        });
    }

    @Test
    void rulesDecideByHostPathScopeRoleAndNetwork() throws Exception {
        run(Map.of(), latch -> {
            String admin = latch.setupAdmin();
            createUser(latch, admin, "vic", "viewer", "Vic", "vic@example.com");
            String vic = latch.token("vic", "password-vic");

            assertEquals(200, forward(latch, "GET", "https://public.example.com/anything").status());
            var bypass = forward(latch, "POST", "https://public.example.com/x", "Cookie", cookie(vic));
            assertEquals("vic", bypass.header("Remote-User").orElseThrow());
            assertEquals(200, forward(latch, "GET", "https://any.example.com/public/file.css").status());

            assertEquals(403, forward(latch, "GET", "https://any.example.com/admin/panel", "Cookie", cookie(vic)).status());
            assertEquals(200, forward(latch, "GET", "https://any.example.com/admin/panel", "Cookie", cookie(admin)).status());
            var noScope = forward(latch, "GET", "https://roms.example.com/api/users/1", "Cookie", cookie(vic));
            assertEquals(403, noScope.status());
            assertEquals("forbidden", noScope.json().get("error").asText());
            assertEquals(200, forward(latch, "GET", "https://roms.example.com/api/users/1", "Cookie", cookie(admin)).status());

            var denied = forward(latch, "GET", "https://any.example.com/blocked/x", "Cookie", cookie(admin));
            assertEquals(403, denied.status());
            assertEquals(403, forward(latch, "GET", "https://any.example.com/blocked/x").status());

            assertEquals(200, forward(latch, "GET", "https://LAN.example.com/", "X-Forwarded-For", "192.168.1.20").status());
            assertEquals(401, forward(latch, "GET", "https://lan.example.com/", "X-Forwarded-For", "203.0.113.9").status());
        });
    }

    @Test
    void pathTricksCannotSlipPastARule() throws Exception {
        run(Map.of(), latch -> {
            String admin = latch.setupAdmin();
            createUser(latch, admin, "vic", "viewer", "Vic", "vic@example.com");
            String vic = latch.token("vic", "password-vic");
            for (String uri : List.of("/admin/../admin/x", "/public/../admin/x", "/public/%2e%2e/admin/x", "/public/%2E%2E/admin/",
                    "/public/..%2fadmin/x", "//admin/x", "/./admin/x", "/public/./../admin", "/%61dmin/x", "/public/%2e%2e%2fadmin")) {
                var anon = forward(latch, "GET", "https://app.example.com" + uri);
                assertEquals(401, anon.status(), uri);
                var viewer = forward(latch, "GET", "https://app.example.com" + uri, "Cookie", cookie(vic));
                assertEquals(403, viewer.status(), uri);
            }
            // Paths are case-sensitive (as servers treat them): /ADMIN is not /admin, so the default rule applies.
            assertEquals(401, forward(latch, "GET", "https://app.example.com/ADMIN/x").status());
            assertEquals(200, forward(latch, "GET", "https://app.example.com/ADMIN/x", "Cookie", cookie(vic)).status());
        });
    }

    /** Paths a servlet container such as Tomcat serves as /admin/panel, /.git/config or /api/users once it cuts ";params". */
    static final List<String> PATH_PARAMETER_TRICKS = List.of("/public/..;/admin/panel", "/admin;x/panel", "/.git;/config",
            "/blocked;/x", "/public/%2e%2e;/admin/panel", "/public/..%3B/admin/panel", "/admin%3bx/panel", "/public/%2E%2E%3B/admin/panel",
            "/api/roms/1/content/..;/..;/..;/users");

    @Test
    void pathParametersAreRefusedRatherThanMatchedAsOrdinaryText() throws Exception {
        run(Map.of(), latch -> {
            String admin = latch.setupAdmin();
            createUser(latch, admin, "vic", "viewer", "Vic", "vic@example.com");
            String vic = latch.token("vic", "password-vic");
            for (String uri : PATH_PARAMETER_TRICKS) {
                for (String[] who : List.of(new String[0], new String[] {"Cookie", cookie(vic)}, new String[] {"Cookie", cookie(admin)})) {
                    for (var res : List.of(forward(latch, "GET", "https://app.example.com" + uri, who),
                            authRequest(latch, "GET", "https://app.example.com" + uri, who))) {
                        assertEquals(400, res.status(), uri + " " + res);
                        assertEquals("invalid_uri", res.json().get("error").asText(), uri);
                        assertFalse(res.header("Remote-User").isPresent(), uri);
                    }
                }
            }
            var query = forward(latch, "GET", "https://app.example.com/public/file.css?v=1;2", "Cookie", cookie(vic));
            assertEquals(200, query.status(), "a ';' in the query is not in the path: " + query);
        });
    }

    @Test
    void kioskModeAndTheDownloadBypassDoNotWidenPathParameterTricks() throws Exception {
        run(Map.of("KIOSK_MODE", "true", "DISABLE_DOWNLOAD_ENDPOINT_AUTH", "true"), latch -> {
            latch.setupAdmin();
            assertEquals(200, forward(latch, "GET", "https://roms.example.com/api/roms/1/content/x.zip").status());
            for (String uri : List.of("/api/roms/1/content/..;/..;/..;/admin/panel", "/api/roms/1/content/..%3b/..%3b/..%3b/users",
                    "/api/roms;x/1", "/public/..;/admin/panel")) {
                for (var res : List.of(forward(latch, "GET", "https://roms.example.com" + uri, "Accept", BROWSER),
                        authRequest(latch, "HEAD", "https://roms.example.com" + uri))) {
                    assertEquals(400, res.status(), uri + " " + res);
                    assertFalse(res.header("Remote-Scopes").isPresent(), uri);
                }
            }
        });
    }

    @Test
    void malformedRequestsAreRefusedWith400() throws Exception {
        run(Map.of(), latch -> {
            String admin = latch.setupAdmin();
            var missing = latch.http().get("/api/authz/auth-request", "X-Original-Method", "GET", "Cookie", cookie(admin));
            assertEquals(400, missing.status());
            assertEquals("invalid_request", missing.json().get("error").asText());
            assertTrue(missing.json().get("message").asText().contains("X-Original-URL"));

            for (String url : List.of("https://app.example.com/a%00b", "https://app.example.com/a%0ab", "https://app.example.com/a%zz",
                    "https://app.example.com/a%5c..%5cadmin", "ftp://app.example.com/", "app.example.com/x",
                    "https://user@app.example.com/", "https://app.example.com,evil.com/")) {
                var res = authRequest(latch, "GET", url, "Cookie", cookie(admin));
                assertEquals(400, res.status(), url + " " + res);
                assertTrue(res.json().has("error") && res.json().has("message"), url);
            }
            var noMethod = latch.http().get("/api/authz/forward-auth", "X-Forwarded-Proto", "https",
                    "X-Forwarded-Host", "app.example.com", "X-Forwarded-Uri", "/");
            assertEquals(400, noMethod.status());
            var noUri = latch.http().get("/api/authz/forward-auth", "X-Forwarded-Method", "GET", "X-Forwarded-Proto", "https",
                    "X-Forwarded-Host", "app.example.com");
            assertEquals(400, noUri.status());
            assertEquals(400, forward(latch, "BREW COFFEE", "https://app.example.com/").status());
        });
    }

    @Test
    void forwardedHeadersFromAnUntrustedPeerAreRefused() throws Exception {
        run(Map.of("TRUSTED_PROXIES", "10.0.0.0/8"), latch -> {
            String admin = latch.setupAdmin();
            var res = forward(latch, "GET", "https://public.example.com/", "Cookie", cookie(admin), "X-Forwarded-For", "10.0.0.1");
            assertEquals(403, res.status());
            assertEquals("untrusted_proxy", res.json().get("error").asText());
            assertFalse(res.header("Remote-User").isPresent());
            assertEquals(403, authRequest(latch, "GET", "https://public.example.com/").status());
        });
    }

    @Test
    void kioskModeLetsAnonymousReadsThroughButNeverWritesRolesOrLatchItself() throws Exception {
        run(Map.of("KIOSK_MODE", "true"), latch -> {
            String admin = latch.setupAdmin();
            var read = forward(latch, "GET", "https://roms.example.com/api/roms/3", "Accept", BROWSER);
            assertEquals(200, read.status(), read.toString());
            assertEquals("", read.header("Remote-User").orElseThrow(), "empty, so a proxy overwrites a client's own");
            String scopes = read.header("Remote-Scopes").orElseThrow();
            assertTrue(scopes.contains("roms.read") && scopes.contains("platforms.read"), scopes);
            assertFalse(scopes.contains("write") || scopes.contains("users.read") || scopes.contains("roms.user.write"), scopes);
            assertEquals(200, forward(latch, "HEAD", "https://notes.example.com/").status());

            assertEquals(303, forward(latch, "POST", "https://roms.example.com/api/roms/3", "Accept", BROWSER).status());
            assertEquals(401, forward(latch, "DELETE", "https://roms.example.com/api/roms/3").status());
            assertEquals(401, forward(latch, "GET", "https://roms.example.com/api/users/1").status(), "users.read is not a viewer scope");
            assertEquals(401, forward(latch, "GET", "https://app.example.com/admin/x").status(), "role rules never open");
            assertEquals(401, authRequest(latch, "GET", "https://auth.example.com/api/users").status(), "Latch's own host");
            assertEquals(401, authRequest(latch, "GET", "https://auth.example.com/account").status());

            var signedIn = forward(latch, "POST", "https://roms.example.com/api/roms/3", "Cookie", cookie(admin));
            assertEquals(200, signedIn.status());
            assertEquals("admin", signedIn.header("Remote-User").orElseThrow());
            // Latch's own API is not relaxed by kiosk mode.
            assertEquals(401, latch.http().get("/api/users").status());
            assertEquals(401, latch.http().get("/api/auth/me").status());
        });
    }

    @Test
    void downloadBypassPassesAnonymousGetsOnDownloadPathsOnly() throws Exception {
        run(Map.of("DISABLE_DOWNLOAD_ENDPOINT_AUTH", "true"), latch -> {
            latch.setupAdmin();
            assertEquals(200, forward(latch, "GET", "https://roms.example.com/api/roms/12/content/Game%20(USA).zip").status());
            assertEquals(200, forward(latch, "HEAD", "https://roms.example.com/api/firmware/3/content/bios.bin").status());
            var res = forward(latch, "GET", "https://roms.example.com/api/roms/12/content/x.zip");
            assertEquals("", res.header("Remote-User").orElseThrow());
            assertEquals(401, forward(latch, "POST", "https://roms.example.com/api/roms/12/content/x.zip").status());
            assertEquals(401, forward(latch, "GET", "https://roms.example.com/api/roms/12").status());
            assertEquals(401, forward(latch, "GET", "https://roms.example.com/api/roms/12/content/../../users").status());
            assertEquals(401, forward(latch, "GET", "https://auth.example.com/api/roms/12/content/x").status());
            assertEquals(403, forward(latch, "GET", "https://x.example.com/blocked/api/roms/1/content/x").status());
        });
        run(Map.of("DISABLE_DOWNLOAD_ENDPOINT_AUTH", "true", "DOWNLOAD_ENDPOINT_PATTERNS", "/dl/**"), latch -> {
            assertEquals(200, forward(latch, "GET", "https://files.example.com/dl/a/b.iso").status());
            assertEquals(401, forward(latch, "GET", "https://roms.example.com/api/roms/12/content/x.zip").status());
        });
    }

    @Test
    void signingOutDisablingOrDemotingTakesEffectAtOnce() throws Exception {
        run(Map.of(), latch -> {
            String admin = latch.setupAdmin();
            long bob = createUser(latch, admin, "bob", "admin", "Bob", "bob@example.com");
            String token = latch.token("bob", "password-bob");
            assertEquals(200, forward(latch, "GET", "https://app.example.com/admin/x", "Cookie", cookie(token)).status());
            var before = forward(latch, "GET", "https://app.example.com/", "Cookie", cookie(token));
            assertEquals("admin", before.header("Remote-Groups").orElseThrow());
            assertTrue(before.header("Remote-Scopes").orElseThrow().contains("users.write"));

            latch.http().patchJson("/api/users/" + bob, "{\"role\":\"viewer\",\"display_name\":\"Robert\"}",
                    "Authorization", Http.bearer(admin));
            assertEquals(403, forward(latch, "GET", "https://app.example.com/admin/x", "Cookie", cookie(token)).status());
            // The identity headers are remembered per identity: the new role, scopes and name show at once.
            var after = forward(latch, "GET", "https://app.example.com/", "Cookie", cookie(token));
            assertEquals("viewer", after.header("Remote-Groups").orElseThrow());
            assertEquals("Robert", after.header("Remote-Name").orElseThrow());
            assertFalse(after.header("Remote-Scopes").orElseThrow().contains("users.write"));

            assertEquals(204, latch.http().post("/api/auth/logout", "Authorization", Http.bearer(token)).status());
            assertEquals(401, forward(latch, "GET", "https://app.example.com/", "Cookie", cookie(token)).status());

            String again = latch.token("bob", "password-bob");
            assertEquals(200, forward(latch, "GET", "https://app.example.com/", "Cookie", cookie(again)).status());
            latch.http().patchJson("/api/users/" + bob, "{\"enabled\":false}", "Authorization", Http.bearer(admin));
            assertEquals(401, forward(latch, "GET", "https://app.example.com/", "Cookie", cookie(again)).status());
        });
    }

    @Test
    void theRedirectCheckKeepsOnlyAllowedDomains() throws Exception {
        run(Map.of(), latch -> {
            for (String ok : List.of("https://roms.example.com/game?id=1", "https://public.example.com/", "https://auth.example.com/account", "/admin")) {
                assertEquals(ok, latch.http().get("/api/auth/redirect?rd=" + URLEncoder.encode(ok, StandardCharsets.UTF_8)).json().get("url").asText());
            }
            for (String bad : List.of("//evil.com", "/\\evil.com", "https:evil.com", "https://user@evil.com", "javascript:alert(1)",
                    "https://evil.com/", "https://example.com.evil.com")) {
                assertEquals("/", latch.http().get("/api/auth/redirect?rd=" + URLEncoder.encode(bad, StandardCharsets.UTF_8)).json().get("url").asText(), bad);
            }
            assertEquals("/", latch.http().get("/api/auth/redirect").json().get("url").asText());
        });
    }

    @Test
    void cookiesAreScopedToTheCookieDomain() throws Exception {
        run(Map.of(), latch -> {
            latch.setupAdmin();
            var login = latch.login(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD);
            assertTrue(login.setCookie("latch_token").orElseThrow().toLowerCase().contains("domain=example.com"), login.setCookie("latch_token").orElseThrow());
            var csrf = latch.http().get("/api/auth/csrf");
            assertTrue(csrf.setCookie("latch_csrf").orElseThrow().toLowerCase().contains("domain=example.com"));
        });
        run(Map.of("COOKIE_DOMAIN", ""), latch -> {
            latch.setupAdmin();
            var login = latch.login(TestLatch.ADMIN, TestLatch.ADMIN_PASSWORD);
            assertFalse(login.setCookie("latch_token").orElseThrow().toLowerCase().contains("domain="));
        });
    }

    @Test
    void badForwardAuthSettingsStopTheStart() throws Exception {
        Path rules = dir.resolve("bad.yml");
        Files.writeString(rules, "rules:\n  - paths: /x\n    scope: roms.reed\n");
        Settings settings = TestLatch.settings(dir.resolve("bad"), Map.of("ACCESS_RULES_FILE", rules.toString()));
        var e = assertThrows(InvalidSetting.class, () -> Main.wire(settings, new TestClock()).close());
        assertTrue(e.getMessage().startsWith("ACCESS_RULES_FILE: "), e.getMessage());
        assertTrue(e.getMessage().contains("rule 1") && e.getMessage().contains("roms.reed"), e.getMessage());

        var domain = assertThrows(InvalidSetting.class, () -> TestLatch.settings(dir, Map.of(
                "LATCH_PUBLIC_URL", "https://auth.example.com", "COOKIE_DOMAIN", "other.org")));
        assertTrue(domain.getMessage().startsWith("COOKIE_DOMAIN: "), domain.getMessage());
        assertThrows(InvalidSetting.class, () -> TestLatch.settings(dir, Map.of("COOKIE_DOMAIN", "https://example.com")));
        assertThrows(InvalidSetting.class, () -> TestLatch.settings(dir, Map.of("KIOSK_MODE", "maybe")));
        assertThrows(InvalidSetting.class, () -> TestLatch.settings(dir, Map.of("DOWNLOAD_ENDPOINT_PATTERNS", "roms/**")));
        assertEquals("example.com", TestLatch.settings(dir, Map.of("COOKIE_DOMAIN", ".Example.com")).http().cookies().domain());
    }
}
