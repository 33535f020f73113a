import io.javalin.Javalin;
import latch.App;
import latch.Deps;
import latch.Main;
import latch.Settings;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Latch with a large household's worth of data: 100,000 users and 1,000,000 audit rows in SQLite. Measures
 * sign-in, user search and the first audit pages over real HTTP on loopback. Argon2 is set to its cheapest
 * cost here because the figure excludes hashing time (the login benchmark measures that separately).
 *
 * Run: bench/scale.sh   (builds the jar if needed; prints a table)
 */
public final class ScaleBench {
    static final int USERS = Integer.getInteger("users", 100_000);
    static final int AUDIT_ROWS = Integer.getInteger("auditRows", 1_000_000);
    static final int ROUNDS = Integer.getInteger("rounds", 300);

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("latch-scale");
        Settings settings = Settings.of(Map.of(
                "LATCH_DATA_DIR", dir.toString(),
                "LATCH_ARGON2_MEMORY_KIB", "8", "LATCH_ARGON2_ITERATIONS", "1",
                "LATCH_SETUP_CODE", "SCALE-BENCH-CODE",
                "LOGIN_MAX_ATTEMPTS_PER_IP", "1000000"));
        try (Deps deps = Main.wire(settings, Clock.systemUTC())) {
            Javalin app = App.create(deps, settings).start("127.0.0.1", 0);
            try {
                run(deps, app.port());
            } finally {
                app.stop();
            }
        }
    }

    static void run(Deps deps, int port) throws Exception {
        var http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + port;
        String admin = token(post(http, base + "/api/setup/admin",
                "{\"username\":\"admin\",\"password\":\"scale bench password\",\"setup_code\":\"SCALE-BENCH-CODE\"}"));
        // Every bulk user gets the admin's (cheap) hash: identical rows are fine for measuring lookups.
        long started = System.nanoTime();
        deps.db().inTransaction(tx -> {
            var c = tx.connection();
            String hash;
            try (var rs = c.createStatement().executeQuery("SELECT password_hash FROM users WHERE id = 1")) {
                rs.next();
                hash = rs.getString(1);
            }
            try (var ps = c.prepareStatement("INSERT INTO users(username, password_hash, role, enabled, display_name, email, created_at, updated_at)"
                    + " VALUES (?,?,?,1,?,?,?,?)")) {
                for (int i = 0; i < USERS; i++) {
                    ps.setString(1, String.format("user%06d", i));
                    ps.setString(2, hash);
                    ps.setString(3, i % 10 == 0 ? "editor" : "viewer");
                    ps.setString(4, "Person " + i);
                    ps.setString(5, "person" + i + "@home.example");
                    ps.setLong(6, 1_700_000_000L + i);
                    ps.setLong(7, 1_700_000_000L + i);
                    ps.addBatch();
                    if (i % 10_000 == 9_999) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            String[] types = {"sign_in", "sign_in_failed", "logout", "refresh", "token_granted", "session_ended"};
            try (var ps = c.prepareStatement("INSERT INTO audit_events(at, type, outcome, actor_id, actor_name, subject_id, subject_name, ip, user_agent, detail)"
                    + " VALUES (?,?,?,?,?,?,?,?,?,?)")) {
                for (int i = 0; i < AUDIT_ROWS; i++) {
                    long subject = 2 + (i % USERS);
                    ps.setLong(1, 1_700_000_000L + i * 30L);
                    ps.setString(2, types[i % types.length]);
                    ps.setString(3, i % 6 == 1 ? "failure" : "success");
                    ps.setLong(4, subject);
                    ps.setString(5, String.format("user%06d", subject - 2));
                    ps.setLong(6, subject);
                    ps.setString(7, String.format("user%06d", subject - 2));
                    ps.setString(8, "192.168.1." + (i % 250));
                    ps.setString(9, "Mozilla/5.0 (bench)");
                    ps.setString(10, null);
                    ps.addBatch();
                    if (i % 20_000 == 19_999) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            return null;
        });
        deps.db().inTransaction(tx -> tx.connection().createStatement().execute("ANALYZE"));
        System.out.printf("seeded %,d users and %,d audit rows in %.1f s%n", USERS, AUDIT_ROWS, (System.nanoTime() - started) / 1e9);

        String auth = "Bearer " + admin;
        var results = new ArrayList<String>();
        results.add(measure("sign-in (POST /api/auth/login, Argon2 at minimum cost)", () -> {
            int n = (int) (Math.random() * USERS);
            var res = post(http, base + "/api/auth/login", "{\"username\":\"" + String.format("user%06d", n) + "\",\"password\":\"scale bench password\"}");
            check(res, 200);
        }));
        results.add(measure("user search (GET /api/users?q=<substring>)", () -> {
            int n = (int) (Math.random() * USERS);
            check(get(http, base + "/api/users?q=" + String.format("%06d", n).substring(1), auth), 200);
        }));
        results.add(measure("user list, first page (GET /api/users)", () -> check(get(http, base + "/api/users", auth), 200)));
        results.add(measure("audit, first page (GET /api/admin/audit)", () -> check(get(http, base + "/api/admin/audit", auth), 200)));
        results.add(measure("audit, first page for one user and type", () -> {
            int n = (int) (Math.random() * USERS);
            check(get(http, base + "/api/admin/audit?type=sign_in&user=" + (2 + n), auth), 200);
        }));
        results.add(measure("audit, one day a month back (since/until)", () -> {
            long since = 1_700_000_000L + (long) AUDIT_ROWS * 30L - 30L * 86400;
            check(get(http, base + "/api/admin/audit?since=" + since + "&until=" + (since + 86400), auth), 200);
        }));
        System.out.println();
        System.out.println("| operation | median ms | p95 ms | p99 ms |");
        System.out.println("|---|---|---|---|");
        results.forEach(System.out::println);
    }

    interface Call {
        void run() throws Exception;
    }

    static String measure(String name, Call call) throws Exception {
        for (int i = 0; i < 30; i++) {
            call.run(); // warm-up
        }
        double[] ms = new double[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            long t = System.nanoTime();
            call.run();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        return String.format("| %s | %.2f | %.2f | %.2f |", name, ms[ROUNDS / 2], ms[(int) (ROUNDS * 0.95)], ms[(int) (ROUNDS * 0.99)]);
    }

    static HttpResponse<String> post(HttpClient http, String url, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(HttpClient http, String url, String auth) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", auth).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static void check(HttpResponse<String> res, int status) {
        if (res.statusCode() != status) {
            throw new IllegalStateException(res.statusCode() + " " + res.body());
        }
    }

    static String token(HttpResponse<String> res) {
        check(res, 201);
        String body = res.body();
        int i = body.indexOf("\"token\":\"") + 9;
        return body.substring(i, body.indexOf('"', i));
    }

}
