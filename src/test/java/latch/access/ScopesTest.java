package latch.access;

import latch.config.InvalidSetting;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScopesTest {
    @TempDir
    Path dir;

    @Test
    void meListsTheEffectiveScopesOfTheRole() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            latch.createUser(admin, "vera", "viewer password", "viewer");
            latch.createUser(admin, "ed", "editor password", "editor");
            var adminScopes = scopes(latch, admin);
            var viewer = scopes(latch, latch.token("vera", "viewer password"));
            var editor = scopes(latch, latch.token("ed", "editor password"));
            // Written out, not read from ScopeCatalog, so a change to the defaults has to change this test too.
            var viewerExpected = Set.of(
                    "me.read", "me.write", "roms.read", "roms.user.read", "roms.user.write", "platforms.read",
                    "assets.read", "assets.write", "devices.read", "devices.write", "firmware.read",
                    "collections.read", "collections.write", "tokens.read", "tokens.write", "sfu.read", "sfu.write");
            var editorExpected = new HashSet<>(viewerExpected);
            editorExpected.addAll(Set.of("roms.write", "platforms.write", "firmware.write", "tasks.run"));
            var adminExpected = new HashSet<>(editorExpected);
            adminExpected.addAll(Set.of("users.read", "users.write", "logs.read", "audit.read", "keys.read", "keys.write",
                    "alerts.read", "alerts.write", "metrics.read", "apps.read", "apps.write"));
            assertEquals(viewerExpected, viewer, "viewer: reads plus writes to their own data");
            assertEquals(editorExpected, editor, "editor: the viewer's plus content writes");
            assertEquals(adminExpected, adminScopes, "admin: everything");
            assertEquals(32, adminScopes.size());
        });
    }

    @Test
    void withoutTheScopeIs403AndWithoutCredentialsIs401() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            latch.createUser(admin, "vera", "viewer password", "viewer");
            String viewer = latch.token("vera", "viewer password");
            var forbidden = latch.http().get("/api/users", "Authorization", "Bearer " + viewer);
            assertEquals(403, forbidden.status());
            assertEquals("insufficient_scope", forbidden.json().get("error").asText());
            assertTrue(forbidden.json().get("message").asText().contains("users.read"));
            var anonymous = latch.http().get("/api/users");
            assertEquals(401, anonymous.status());
            assertTrue(anonymous.header("WWW-Authenticate").isPresent());
            assertEquals(403, latch.http().get("/api/admin/audit", "Authorization", "Bearer " + viewer).status());
            assertEquals(403, latch.http().postJson("/api/invites", "{}", "Authorization", "Bearer " + viewer).status());
        });
    }

    @Test
    void signingOutEverywhereNeedsMeWriteSoANarrowTokenCannotEndItsOwnersSessions() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            String romsOnly = latch.http().postJson("/api/client-tokens", "{\"name\":\"rom sync\",\"scopes\":[\"roms.read\"]}",
                    "Authorization", "Bearer " + admin).json().get("token").asText();
            String romsGrant = latch.http().postForm("/api/token", "grant_type=password&username=admin&password="
                    + java.net.URLEncoder.encode(TestLatch.ADMIN_PASSWORD, java.nio.charset.StandardCharsets.UTF_8) + "&scope=roms.read")
                    .json().get("access_token").asText();
            // Scripts and apps that were given roms.read only must not be able to sign their owner out everywhere.
            for (String narrow : new String[] {romsOnly, romsGrant}) {
                for (String body : new String[] {"{}", "{\"include_current\":true}"}) {
                    var res = latch.http().postJson("/api/auth/logout-all", body, "Authorization", "Bearer " + narrow);
                    assertEquals(403, res.status(), res.toString());
                    assertEquals("insufficient_scope", res.json().get("error").asText());
                    assertTrue(res.json().get("message").asText().contains("me.write"), res.body());
                }
            }
            var sessions = latch.http().get("/api/auth/sessions", "Authorization", "Bearer " + admin);
            assertEquals(200, sessions.status(), "the browser session lives on");
            assertEquals(2, sessions.json().get("sessions").size(), "and so does the OAuth grant: " + sessions);
        });
    }

    @Test
    void operatorsCanAddScopesAndRemapRoles() {
        var config = Map.of("LATCH_EXTRA_SCOPES", "music.read music.write", "LATCH_VIEWER_SCOPES", "me.read,music.read");
        TestLatch.run(dir, config, latch -> {
            String admin = latch.setupAdmin();
            latch.createUser(admin, "vera", "viewer password", "viewer");
            assertEquals(java.util.Set.of("me.read", "music.read"), scopes(latch, latch.token("vera", "viewer password")));
            assertTrue(scopes(latch, admin).contains("music.write"), "admin holds every scope, added ones too");
        });
    }

    @Test
    void anUnknownScopeInARoleMappingStopsTheStart() {
        var e = assertThrows(InvalidSetting.class, () -> TestLatch.settings(dir, Map.of("LATCH_VIEWER_SCOPES", "me.read,rom.read")));
        assertTrue(e.getMessage().startsWith("LATCH_VIEWER_SCOPES:") && e.getMessage().contains("rom.read"), e.getMessage());
    }

    @Test
    void scopesAreListedInSortedOrderForRolesAndForTokens() {
        TestLatch.run(dir, latch -> {
            String admin = latch.setupAdmin();
            assertSorted(listed(latch, admin));
            String clientToken = latch.http().postJson("/api/client-tokens",
                    "{\"name\":\"t\",\"scopes\":[\"users.read\",\"roms.read\",\"me.read\"]}", "Authorization", "Bearer " + admin)
                    .json().get("token").asText();
            assertEquals(java.util.List.of("me.read", "roms.read", "users.read"), listed(latch, clientToken));
        });
    }

    private static java.util.List<String> listed(TestLatch latch, String token) {
        var out = new java.util.ArrayList<String>();
        latch.http().get("/api/auth/me", "Authorization", "Bearer " + token).json().at("/user/scopes").forEach(n -> out.add(n.asText()));
        return out;
    }

    private static void assertSorted(java.util.List<String> scopes) {
        var sorted = new java.util.ArrayList<>(scopes);
        java.util.Collections.sort(sorted);
        assertEquals(sorted, scopes);
        assertEquals(32, scopes.size());
    }

    private static java.util.Set<String> scopes(TestLatch latch, String token) {
        var res = latch.http().get("/api/auth/me", "Authorization", "Bearer " + token);
        assertEquals(200, res.status(), res.toString());
        var out = new HashSet<String>();
        res.json().at("/user/scopes").forEach(n -> out.add(n.asText()));
        return out;
    }
}
