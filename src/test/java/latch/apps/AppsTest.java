package latch.apps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import latch.support.Http;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The app launcher's API: admins keep the list, each signed-in person sees what their scopes open. */
class AppsTest {
    @TempDir
    Path dir;

    @Test
    void anAdminAddsChangesAndRemovesAnAppAndEachStepIsAudited() {
        TestLatch.run(dir, latch -> {
            String[] admin = asAdmin(latch);
            var added = add(latch, admin, app("Films", "https://films.example/web", "film", null));
            assertEquals(201, added.status(), added.toString());
            JsonNode films = added.json();
            assertEquals("Films", films.get("name").asText());
            assertEquals("https://films.example/web", films.get("url").asText());
            assertEquals("film", films.get("icon").asText());
            assertTrue(films.get("icon_url").isNull());
            assertTrue(films.get("required_scope").isNull());
            assertEquals(1, films.get("position").asInt());
            long id = films.get("id").asLong();

            var changed = latch.http().patchJson("/api/admin/apps/" + id,
                    "{\"name\":\"  Movies \",\"required_scope\":\"roms.read\",\"icon\":\"photo\"}", admin);
            assertEquals(200, changed.status(), changed.toString());
            assertEquals("Movies", changed.json().get("name").asText(), "the name is trimmed");
            assertEquals("roms.read", changed.json().get("required_scope").asText());
            assertEquals("photo", changed.json().get("icon").asText());
            assertEquals("https://films.example/web", changed.json().get("url").asText(), "a field not given stays");
            var cleared = latch.http().patchJson("/api/admin/apps/" + id, "{\"required_scope\":\"\"}", admin);
            assertTrue(cleared.json().get("required_scope").isNull(), "\"\" opens it to everyone signed in again");
            assertEquals(List.of("Movies"), names(latch.http().get("/api/admin/apps", admin)));

            assertEquals(204, latch.http().delete("/api/admin/apps/" + id, admin).status());
            assertEquals(List.of(), names(latch.http().get("/api/admin/apps", admin)));
            for (var gone : List.of(latch.http().delete("/api/admin/apps/" + id, admin),
                    latch.http().patchJson("/api/admin/apps/" + id, "{\"name\":\"x\"}", admin),
                    latch.http().sendBytes("PUT", "/api/admin/apps/" + id + "/icon", "image/png", png(), admin),
                    latch.http().delete("/api/admin/apps/not-a-number", admin))) {
                assertEquals(404, gone.status(), gone.toString());
                assertEquals("app_not_found", gone.json().get("error").asText());
            }

            assertEquals("\"Films\" at https://films.example/web, for everyone signed in", audit(latch, admin, "app_created"));
            var updates = latch.http().get("/api/admin/audit?type=app_updated", admin).json().get("events");
            assertEquals(2, updates.size(), updates.toString());
            assertEquals("\"Movies\": renamed from \"Films\", icon photo, for holders of roms.read",
                    updates.get(1).get("detail").asText());
            assertEquals("admin", updates.get(1).get("actor_name").asText());
            assertEquals("\"Movies\": for everyone signed in", updates.get(0).get("detail").asText());
            assertEquals("\"Movies\"", audit(latch, admin, "app_deleted"));
        });
    }

    @Test
    void onlyAbsoluteHttpAddressesWithoutCredentialsAreTaken() {
        TestLatch.run(dir, latch -> {
            String[] admin = asAdmin(latch);
            for (String url : List.of("javascript:alert(document.cookie)", "JavaScript:alert(1)", " javascript:alert(1)",
                    "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "file:///etc/passwd",
                    "ftp://files.example/", "//films.example/", "/admin", "films.example", "https:films.example",
                    "http://", "https://user:secret@films.example/", "https://films.example@evil.example/",
                    "https://films.example/a b", "https://films.example/\nx", "https://films.example/\tx", "http://films.example/\u0000", "",
                    "https://films.example/" + "a".repeat(2048))) {
                var res = add(latch, admin, app("Films", url, null, null));
                assertEquals(400, res.status(), url + " -> " + res);
                assertEquals("invalid_url", res.json().get("error").asText(), url);
            }
            long id = add(latch, admin, app("Films", "http://192.168.1.20:8096/web/index.html?x=1#home", null, null)).json()
                    .get("id").asLong();
            var patched = latch.http().patchJson("/api/admin/apps/" + id, "{\"url\":\"javascript:alert(1)\"}", admin);
            assertEquals(400, patched.status(), "a change is checked as an addition is");
            assertEquals(List.of("http://192.168.1.20:8096/web/index.html?x=1#home"),
                    field(latch.http().get("/api/apps", admin), "url"));
            assertEquals(201, add(latch, admin, app("Wiki", "HTTPS://wiki.example", null, null)).status(), "schemes in any case");
        });
    }

    @Test
    void namesIconsAndScopesAreChecked() {
        TestLatch.run(dir, latch -> {
            String[] admin = asAdmin(latch);
            Map<String, ObjectNode> refused = Map.of(
                    "invalid_name", app("   ", "https://a.example", null, null),
                    "invalid_request", app(null, "https://a.example", null, null));
            refused.forEach((code, body) -> assertRefused(add(latch, admin, body), 400, code));
            assertRefused(add(latch, admin, app("x".repeat(81), "https://a.example", null, null)), 400, "invalid_name");
            assertRefused(add(latch, admin, app("Films\u202e", "https://a.example", null, null)), 400, "invalid_name");
            assertRefused(add(latch, admin, app("Fil\u0007ms", "https://a.example", null, null)), 400, "invalid_name");
            assertRefused(add(latch, admin, app("Films", "https://a.example", "rocket", null)), 400, "invalid_icon");
            assertRefused(add(latch, admin, app("Films", "https://a.example", "https://evil.example/i.png", null)), 400,
                    "invalid_icon");
            assertRefused(add(latch, admin, app("Films", "https://a.example", null, "roms.everything")), 400, "unknown_scope");
            assertRefused(add(latch, admin, app("Films", "https://a.example", null, null).put("position", 1)), 400,
                    "invalid_request");

            JsonNode plain = add(latch, admin, app("é".repeat(80), "https://a.example", null, null)).json();
            assertEquals("link", plain.get("icon").asText(), "no icon chosen: the link symbol");
            String path = "/api/admin/apps/" + plain.get("id").asLong();
            assertRefused(latch.http().patchJson(path, "{}", admin), 400, "invalid_request");
            assertRefused(latch.http().patchJson(path, "{\"position\":0}", admin), 400, "invalid_position");
            assertRefused(latch.http().patchJson(path, "{\"required_scope\":\"nope\"}", admin), 400, "unknown_scope");
            assertRefused(latch.http().postJson("/api/admin/apps", "name=Films", admin), 400, "invalid_json");
            assertRefused(latch.http().send("POST", "/api/admin/apps", "text/plain", "{}", admin), 415, "unsupported_media_type");
        });
    }

    @Test
    void everyBuiltInSymbolIsDrawnByThePagesAndNoOtherIs() throws IOException {
        String module;
        try (InputStream in = AppsTest.class.getResourceAsStream("/web/assets/app-symbols.js")) {
            module = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        var drawn = new TreeSet<String>();
        var body = module.substring(module.indexOf("export const SYMBOLS = {"), module.indexOf("};"));
        Pattern.compile("(?m)^  (\\w+): \\[").matcher(body).results().forEach(m -> drawn.add(m.group(1)));
        assertEquals(new TreeSet<>(AppsService.SYMBOLS), drawn);
    }

    @Test
    void anUploadedIconIsCheckedByItsBytesAndServedAsAPictureOnly() {
        TestLatch.run(dir, latch -> {
            String[] admin = asAdmin(latch);
            long id = add(latch, admin, app("Photos", "https://photos.example", "photo", null)).json().get("id").asLong();
            String upload = "/api/admin/apps/" + id + "/icon";
            byte[] png = png();

            // The type is read from the bytes: a PNG that says it is a GIF is stored and served as a PNG.
            var stored = latch.http().sendBytes("PUT", upload, "image/gif", png, admin);
            assertEquals(200, stored.status(), stored.toString());
            assertTrue(stored.json().get("icon").isNull(), "the image replaces the symbol");
            String iconUrl = stored.json().get("icon_url").asText();
            assertTrue(iconUrl.startsWith("/api/apps/" + id + "/icon?v="), iconUrl);

            var served = latch.http().getBytes(iconUrl, admin);
            assertEquals(200, served.statusCode());
            assertArrayEquals(png, served.body());
            var headers = served.headers();
            assertEquals("image/png", headers.firstValue("Content-Type").orElseThrow());
            assertEquals("nosniff", headers.firstValue("X-Content-Type-Options").orElseThrow());
            assertEquals("default-src 'none'; sandbox", headers.firstValue("Content-Security-Policy").orElseThrow());
            assertEquals("same-origin", headers.firstValue("Cross-Origin-Resource-Policy").orElseThrow());
            assertEquals("inline; filename=\"app-icon.png\"", headers.firstValue("Content-Disposition").orElseThrow());
            assertEquals("private, no-cache", headers.firstValue("Cache-Control").orElseThrow());
            String etag = headers.firstValue("ETag").orElseThrow();
            assertEquals(304, latch.http().getBytes(iconUrl, "Authorization", admin[1], "If-None-Match", etag).statusCode());
            assertEquals(401, latch.http().getBytes(iconUrl).statusCode(), "only for people signed in");

            // Each raster format by its signature; nothing else, whatever the request says it is.
            assertEquals(200, latch.http().sendBytes("PUT", upload, "image/jpeg", bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10), admin).status());
            assertEquals("image/jpeg", latch.http().getBytes(iconUrl.replaceAll("\\?.*", ""), admin).headers()
                    .firstValue("Content-Type").orElseThrow());
            assertEquals(200, latch.http().sendBytes("PUT", upload, "image/gif", ascii("GIF89a\u0001\u0000\u0001\u0000"), admin).status());
            assertEquals(200, latch.http().sendBytes("PUT", upload, "image/webp", ascii("RIFF\u0010\u0000\u0000\u0000WEBPVP8 "), admin).status());
            for (var attack : Map.of(
                    "image/svg+xml", "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
                    "image/png", "<html><script>alert(document.cookie)</script></html>",
                    "application/octet-stream", "<?xml version=\"1.0\"?><svg/>",
                    "image/x-icon", "\u0000\u0000\u0001\u0000").entrySet()) {
                var res = latch.http().sendBytes("PUT", upload, attack.getKey(), ascii(attack.getValue()), admin);
                assertRefused(res, 415, "unsupported_icon_type");
            }
            assertRefused(latch.http().sendBytes("PUT", upload, "image/png", new byte[0], admin), 400, "invalid_icon");
            assertEquals("image/webp", latch.http().getBytes("/api/apps/" + id + "/icon", admin).headers()
                    .firstValue("Content-Type").orElseThrow(), "a refused upload keeps the icon there was");

            // Choosing a symbol drops the image.
            var symbol = latch.http().patchJson("/api/admin/apps/" + id, "{\"icon\":\"film\"}", admin);
            assertTrue(symbol.json().get("icon_url").isNull(), symbol.toString());
            assertEquals(404, latch.http().getBytes("/api/apps/" + id + "/icon", admin).statusCode());
        });
    }

    @Test
    void anIconOver64KiBIsRefusedWith413() {
        // With the default body limit (64 KiB) the request is refused before it is read; above, by the icon's own limit.
        TestLatch.run(dir.resolve("default"), latch -> {
            String[] admin = asAdmin(latch);
            long id = add(latch, admin, app("Photos", "https://photos.example", null, null)).json().get("id").asLong();
            String upload = "/api/admin/apps/" + id + "/icon";
            assertEquals(200, latch.http().sendBytes("PUT", upload, "image/png", pngOf(IconImage.MAX_BYTES), admin).status(),
                    "exactly 64 KiB is taken");
            var tooLarge = latch.http().sendBytes("PUT", upload, "image/png", pngOf(IconImage.MAX_BYTES + 1), admin);
            assertEquals(413, tooLarge.status(), tooLarge.toString());
            assertTrue(tooLarge.json().get("message").isTextual());
        });
        TestLatch.run(dir.resolve("roomy"), Map.of("LATCH_MAX_BODY_BYTES", "1048576"), latch -> {
            String[] admin = asAdmin(latch);
            long id = add(latch, admin, app("Photos", "https://photos.example", null, null)).json().get("id").asLong();
            var res = latch.http().sendBytes("PUT", "/api/admin/apps/" + id + "/icon", "image/png", pngOf(200_000), admin);
            assertRefused(res, 413, "icon_too_large");
            assertTrue(res.json().get("message").asText().contains("at most 64 KiB"), res.toString());
            assertEquals("link", latch.http().get("/api/admin/apps", admin).json().at("/apps/0/icon").asText());
        });
    }

    @Test
    void onlyAdminsKeepTheList() {
        TestLatch.run(dir, latch -> {
            String adminToken = latch.setupAdmin();
            String[] admin = {"Authorization", Http.bearer(adminToken)};
            long id = add(latch, admin, app("Films", "https://films.example", null, null)).json().get("id").asLong();
            latch.createUser(adminToken, "vera", "viewer password", "viewer");
            latch.createUser(adminToken, "ed", "editor password", "editor");
            for (String[] who : List.of(bearer(latch, "vera", "viewer password"), bearer(latch, "ed", "editor password"))) {
                for (var res : List.of(latch.http().get("/api/admin/apps", who),
                        add(latch, who, app("Mine", "https://mine.example", null, null)),
                        latch.http().patchJson("/api/admin/apps/" + id, "{\"url\":\"https://evil.example\"}", who),
                        latch.http().delete("/api/admin/apps/" + id, who),
                        latch.http().sendBytes("PUT", "/api/admin/apps/" + id + "/icon", "image/png", png(), who))) {
                    assertRefused(res, 403, "insufficient_scope");
                }
            }
            assertEquals(401, latch.http().get("/api/apps").status());
            assertEquals(401, add(latch, new String[0], app("Mine", "https://mine.example", null, null)).status());
            assertEquals(List.of("https://films.example"), field(latch.http().get("/api/admin/apps", admin), "url"));
            // A signed-in browser still needs the CSRF header for a change.
            var csrfless = latch.http().postJson("/api/admin/apps", app("Mine", "https://mine.example", null, null).toString(),
                    "Cookie", "latch_token=" + adminToken);
            assertEquals(403, csrfless.status(), csrfless.toString());
            assertEquals(201, latch.http().postJson("/api/admin/apps", app("Mine", "https://mine.example", null, null).toString(),
                    latch.cookieAuth(adminToken)).status());
        });
    }

    @Test
    void eachPersonSeesOnlyTheAppsTheirScopesOpen() {
        TestLatch.run(dir, latch -> {
            String adminToken = latch.setupAdmin();
            String[] admin = {"Authorization", Http.bearer(adminToken)};
            add(latch, admin, app("Films", "https://films.example", "film", null));
            add(latch, admin, app("Library", "https://library.example", "book", "roms.write"));
            long accounts = add(latch, admin, app("Accounts", "https://accounts.example", null, "users.read")).json().get("id").asLong();
            latch.http().sendBytes("PUT", "/api/admin/apps/" + accounts + "/icon", "image/png", png(), admin);
            latch.createUser(adminToken, "vera", "viewer password", "viewer");
            latch.createUser(adminToken, "ed", "editor password", "editor");
            String[] viewer = bearer(latch, "vera", "viewer password");

            assertEquals(List.of("Films"), names(latch.http().get("/api/apps", viewer)));
            assertEquals(List.of("Films", "Library"), names(latch.http().get("/api/apps", bearer(latch, "ed", "editor password"))));
            var forAdmin = latch.http().get("/api/apps", admin);
            assertEquals(List.of("Films", "Library", "Accounts"), names(forAdmin));
            JsonNode shown = forAdmin.json().get("apps").get(0);
            assertEquals(Set.of("id", "name", "url", "icon", "icon_url"), fieldNames(shown), "the launcher needs no more");

            // A narrow token sees what it carries, not what its owner could: here, only apps that need no scope.
            var token = latch.http().postJson("/api/client-tokens", "{\"name\":\"tv\",\"scopes\":[\"me.read\"]}", admin);
            assertEquals(List.of("Films"), names(latch.http().get("/api/apps", "X-API-Key", token.json().get("token").asText())));

            // The icon of an app hidden from someone is as absent as one that does not exist.
            String icon = "/api/apps/" + accounts + "/icon";
            assertEquals(200, latch.http().getBytes(icon, admin).statusCode());
            var hidden = latch.http().get(icon, viewer);
            assertRefused(hidden, 404, "app_not_found");
            assertRefused(latch.http().get("/api/apps/999/icon", viewer), 404, "app_not_found");
        });
    }

    @Test
    void movingAnAppShiftsTheOthersAndKeepsTheOrderDense() {
        TestLatch.run(dir, latch -> {
            String[] admin = asAdmin(latch);
            var ids = new ArrayList<Long>();
            for (String name : List.of("A", "B", "C", "D")) {
                ids.add(add(latch, admin, app(name, "https://" + name.toLowerCase() + ".example", null, null)).json().get("id").asLong());
            }
            var moved = move(latch, admin, ids.get(3), 1);
            assertEquals(1, moved.json().get("position").asInt(), moved.toString());
            assertEquals(List.of("D", "A", "B", "C"), names(latch.http().get("/api/admin/apps", admin)));
            move(latch, admin, ids.get(3), 99);
            assertEquals(List.of("A", "B", "C", "D"), names(latch.http().get("/api/admin/apps", admin)));
            move(latch, admin, ids.get(0), 3);
            assertEquals(List.of("B", "C", "A", "D"), names(latch.http().get("/api/admin/apps", admin)));
            assertEquals(204, latch.http().delete("/api/admin/apps/" + ids.get(1), admin).status());
            move(latch, admin, ids.get(3), 2);
            var listed = latch.http().get("/api/admin/apps", admin);
            assertEquals(List.of("C", "D", "A"), names(listed));
            assertEquals(List.of("1", "2", "3"), field(listed, "position"));
            assertEquals(4, add(latch, admin, app("E", "https://e.example", null, null)).json().get("position").asInt(),
                    "a new app goes last");
            assertEquals("\"D\": moved to place 2", latch.http().get("/api/admin/audit?type=app_updated&limit=1", admin)
                    .json().at("/events/0/detail").asText());
        });
    }

    @Test
    void theLauncherHoldsAtMostAHundredApps() {
        TestLatch.run(dir, latch -> {
            String[] admin = asAdmin(latch);
            for (int i = 0; i < AppsService.MAX_APPS; i++) {
                assertEquals(201, add(latch, admin, app("App " + i, "https://app" + i + ".example", null, null)).status());
            }
            assertRefused(add(latch, admin, app("One more", "https://more.example", null, null)), 409, "too_many_apps");
        });
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static String[] asAdmin(TestLatch latch) {
        return new String[] {"Authorization", Http.bearer(latch.setupAdmin())};
    }

    private static String[] bearer(TestLatch latch, String username, String password) {
        return new String[] {"Authorization", Http.bearer(latch.token(username, password))};
    }

    private static ObjectNode app(String name, String url, String icon, String scope) {
        return JsonNodeFactory.instance.objectNode().put("name", name).put("url", url).put("icon", icon)
                .put("required_scope", scope);
    }

    private static Http.Response add(TestLatch latch, String[] auth, ObjectNode body) {
        return latch.http().postJson("/api/admin/apps", body.toString(), auth);
    }

    private static Http.Response move(TestLatch latch, String[] auth, long id, int place) {
        var res = latch.http().patchJson("/api/admin/apps/" + id, "{\"position\":" + place + "}", auth);
        assertEquals(200, res.status(), res.toString());
        return res;
    }

    private static List<String> names(Http.Response res) {
        return field(res, "name");
    }

    private static List<String> field(Http.Response res, String field) {
        assertEquals(200, res.status(), res.toString());
        var out = new ArrayList<String>();
        res.json().get("apps").forEach(a -> out.add(a.get(field).asText()));
        return out;
    }

    private static Set<String> fieldNames(JsonNode node) {
        var out = new TreeSet<String>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static String audit(TestLatch latch, String[] admin, String type) {
        var events = latch.http().get("/api/admin/audit?type=" + type, admin).json().get("events");
        assertEquals(1, events.size(), events.toString());
        return events.get(0).get("detail").asText();
    }

    private static void assertRefused(Http.Response res, int status, String code) {
        assertEquals(status, res.status(), res.toString());
        assertEquals(code, res.json().get("error").asText(), res.toString());
        assertFalse(res.json().get("message").asText().isBlank(), res.toString());
    }

    /** A real 16 by 16 PNG. */
    static byte[] png() {
        var image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_ARGB);
        image.setRGB(3, 3, 0xff2266cc);
        var out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    /** A PNG signature padded to {@code size} bytes: the size is what is under test. */
    private static byte[] pngOf(int size) {
        byte[] png = png();
        return Arrays.copyOf(png, size);
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
