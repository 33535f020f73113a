package latch.web;

import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pages' scripts, style sheet and icon: every file in web/assets is served, revalidated, and nothing else is. */
class AssetsTest {
    private static final Path SOURCE = Path.of("web", "assets");
    private static final Map<String, String> TYPES = Map.of(
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml");

    @TempDir
    Path dir;

    @Test
    void everyFileInWebAssetsIsServedAsItIsWithItsType() throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(SOURCE)) {
            files = listing.sorted().toList();
        }
        assertTrue(files.size() >= 10, "web/assets as the build packs it: " + files);
        TestLatch.run(dir, latch -> {
            for (Path file : files) {
                String name = file.getFileName().toString();
                var res = latch.http().get("/assets/" + name);
                assertEquals(200, res.status(), name + " (a file added to web/assets is also listed in Main)");
                assertEquals(TYPES.get(name.substring(name.lastIndexOf('.') + 1)), res.header("Content-Type").orElse(null), name);
                assertEquals(Files.readString(file, StandardCharsets.UTF_8), res.body(), name);
                assertEquals("no-cache", res.header("Cache-Control").orElse(null), name);
                assertEquals("nosniff", res.header("X-Content-Type-Options").orElse(null), "security headers on " + name);
            }
        });
    }

    @Test
    void everyAssetAPageOrScriptNamesExists() throws IOException {
        var reference = Pattern.compile("(?:/assets/|from '\\./)([\\w.-]+)");
        try (Stream<Path> sources = Stream.concat(Files.list(Path.of("web")), Files.list(SOURCE))) {
            for (Path source : sources.filter(Files::isRegularFile).toList()) {
                var m = reference.matcher(Files.readString(source, StandardCharsets.UTF_8));
                while (m.find()) {
                    assertTrue(Files.isRegularFile(SOURCE.resolve(m.group(1))), source + " names " + m.group(1));
                }
            }
        }
    }

    @Test
    void aKnownVersionIsNotSentAgain() {
        TestLatch.run(dir, latch -> {
            var first = latch.http().get("/assets/latch.css");
            String etag = first.header("ETag").orElseThrow();
            var again = latch.http().get("/assets/latch.css", "If-None-Match", etag);
            assertEquals(304, again.status());
            assertEquals("", again.body());
            assertEquals(304, latch.http().get("/assets/latch.css", "If-None-Match", "\"other\", W/" + etag).status());
            var changed = latch.http().get("/assets/latch.css", "If-None-Match", "\"an older version\"");
            assertEquals(200, changed.status());
            assertEquals(first.body(), changed.body());
            assertFalse(etag.equals(latch.http().get("/assets/api.js").header("ETag").orElseThrow()), "one tag per file");
        });
    }

    @Test
    void anythingElseUnderAssetsIsA404InJson() {
        TestLatch.run(dir, latch -> {
            for (String path : List.of("/assets/nothing.js", "/assets/", "/assets/%2e%2e%2flatch.db", "/assets/..%2Fweb%2Flogin.html",
                    "/assets/sub/api.js", "/assets/API.JS")) {
                var res = latch.http().get(path);
                assertTrue(res.status() == 404 || res.status() == 400, path + ": " + res);
                assertTrue(res.json().has("error"), path + ": " + res);
            }
            assertEquals(405, latch.http().postJson("/assets/api.js", "{}").status());
            var head = latch.http().send("HEAD", "/assets/api.js", null, null);
            assertEquals(200, head.status());
        });
    }
}
