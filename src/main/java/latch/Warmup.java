package latch;

import io.javalin.Javalin;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code java -XX:ArchiveClassesAtExit=latch.jsa -jar latch.jar warmup}: runs a throw-away Latch on a temporary
 * data directory and loopback port through setup, sign-in and a few API calls, then exits, so the JVM can record
 * the classes a real start needs into a class-data archive (AppCDS). Starting with that archive roughly halves
 * class loading, the larger part of start-up on a small box.
 */
final class Warmup {
    private Warmup() {}

    static int run() {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("latch-warmup");
            Settings settings = Settings.of(Map.of("LATCH_DATA_DIR", dir.toString(), "LATCH_SETUP_CODE", "WARMUP-SETUP-CODE",
                    "LATCH_ARGON2_MEMORY_KIB", "64", "LATCH_ARGON2_ITERATIONS", "1"));
            try (Deps deps = Main.wire(settings, Clock.systemUTC())) {
                Javalin app = App.create(deps, settings).start("127.0.0.1", 0);
                try {
                    exercise("http://127.0.0.1:" + app.port());
                } finally {
                    app.stop();
                }
            }
            return 0;
        } catch (Exception e) {
            System.err.println("latch warmup: " + e);
            return 1;
        } finally {
            deleteQuietly(dir);
        }
    }

    private static void exercise(String base) throws IOException, InterruptedException {
        var http = HttpClient.newHttpClient();
        String admin = "{\"username\":\"warmup\",\"password\":\"warmup password\",\"setup_code\":\"WARMUP-SETUP-CODE\"}";
        String token = field(send(http, post(base + "/api/setup/admin", admin)), "token");
        send(http, post(base + "/api/auth/login", "{\"username\":\"warmup\",\"password\":\"warmup password\"}"));
        send(http, post(base + "/api/auth/login", "{\"username\":\"nobody\",\"password\":\"wrong password\"}"));
        for (String path : new String[] {"/api/health", "/api/auth/me", "/api/auth/sessions", "/api/users", "/api/admin/audit",
                "/login", "/assets/latch.css", "/api/nothing"}) {
            send(http, HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token).build());
        }
        send(http, HttpRequest.newBuilder(URI.create(base + "/api/authz/forward-auth")).header("X-Forwarded-Method", "GET")
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "app.example").header("X-Forwarded-Uri", "/")
                .header("Authorization", "Bearer " + token).build());
        send(http, HttpRequest.newBuilder(URI.create(base + "/api/auth/logout")).header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    private static HttpRequest post(String url, String json) {
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    private static String send(HttpClient http, HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String field(String json, String name) {
        int start = json.indexOf("\"" + name + "\":\"");
        if (start < 0) {
            throw new IllegalStateException("no " + name + " in " + json.length() + " bytes");
        }
        start += name.length() + 4;
        return json.substring(start, json.indexOf('"', start));
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
