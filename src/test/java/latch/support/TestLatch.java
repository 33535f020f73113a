package latch.support;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.javalin.Javalin;
import io.javalin.testtools.JavalinTest;
import latch.App;
import latch.Deps;
import latch.Main;
import latch.Settings;
import latch.monitoring.LogSink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs a real Latch (real HTTP, a real SQLite file in the given directory, or a real PostgreSQL database of its own
 * when the run plays the suite against PostgreSQL) for the length of one test body, or,
 * through {@link #start}, until closed. Argon2 is made cheap through settings, never replaced. Every alert it opens
 * is noted for {@link AlertCheck}.
 */
public final class TestLatch implements AutoCloseable {
    public static final String SETUP_CODE = "TEST-SETUP-CODE";
    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = "correct horse battery";
    /**
     * DISABLE_USERPASS_LOGIN=true, with the single sign-on settings Latch requires beside it (a provider nobody
     * contacts: these tests sign in by one-time link, or show that passwords are refused).
     */
    public static final Map<String, String> PASSWORD_LOGIN_OFF = Map.of(
            "DISABLE_USERPASS_LOGIN", "true",
            "OIDC_ENABLED", "true",
            "OIDC_CLIENT_ID", "latch",
            "OIDC_SERVER_APPLICATION_URL", "http://127.0.0.1:9/realms/home",
            "OIDC_REDIRECT_URI", "http://localhost/api/oauth/openid");

    private final Http http;
    private final Deps deps;
    private final TestClock clock;
    private final Settings settings;
    /** The server {@link #start} started, stopped by {@link #close}; null when {@link #run} owns it. */
    private final Javalin server;

    private TestLatch(Http http, Deps deps, TestClock clock, Settings settings, Javalin server) {
        this.http = http;
        this.deps = deps;
        this.clock = clock;
        this.settings = settings;
        this.server = server;
    }

    public interface Body {
        void run(TestLatch latch) throws Exception;
    }

    /** Cheap but real settings for tests, with overrides by variable name. */
    public static Settings settings(Path dataDir, Map<String, String> overrides) {
        var values = new HashMap<String, String>();
        values.put("LATCH_DATA_DIR", dataDir.toString());
        values.put("LATCH_ARGON2_MEMORY_KIB", "256");
        values.put("LATCH_ARGON2_ITERATIONS", "1");
        values.put("LATCH_SETUP_CODE", SETUP_CODE);
        values.putAll(TestDatabases.settingsFor(dataDir));
        values.putAll(overrides);
        return Settings.of(values);
    }

    public static void run(Path dataDir, Body body) {
        run(dataDir, Map.of(), new TestClock(), body);
    }

    public static void run(Path dataDir, Map<String, String> overrides, Body body) {
        run(dataDir, overrides, new TestClock(), body);
    }

    public static void run(Path dataDir, Map<String, String> overrides, TestClock clock, Body body) {
        Settings settings = settings(dataDir, overrides);
        run(settings, Main.wire(settings, clock), clock, body);
    }

    /** Like {@link #run(Path, Map, Body)}, the request and sign-in log lines going to {@code lines}. */
    public static void run(Path dataDir, Map<String, String> overrides, LogSink lines, Body body) {
        Settings settings = settings(dataDir, overrides);
        var clock = new TestClock();
        run(settings, Main.wire(settings, clock, lines), clock, body);
    }

    private static void run(Settings settings, Deps wired, TestClock clock, Body body) {
        try (Deps deps = wired) {
            JavalinTest.test(App.create(deps, settings), (server, client) ->
                    body.run(new TestLatch(new Http(server.port()), deps, clock, settings, null)));
            RaisedAlerts.collect(deps, true);
        }
    }

    /**
     * Starts a complete Latch ({@code Main.wire} and {@code App.create}) that runs until closed, so a test can run
     * several on one data directory, as separate processes would. Its timer is stopped: the test runs each job with
     * {@code deps().jobs().runNow(...)}, so what another instance changed arrives exactly when the test polls (in
     * production the change feed is polled every second) and never in the middle of an assertion. Work a request
     * hands to the background ("last seen") is dropped, as it is at shutdown.
     */
    public static TestLatch start(Path dataDir, Map<String, String> overrides, TestClock clock) {
        return start(settings(dataDir, overrides), 0, clock, false);
    }

    /**
     * Like {@link #start}, with its jobs running on their own schedule as in production (the change feed read every
     * second, and at once when PostgreSQL notifies a change): a node of several, for tests of what crosses nodes in
     * real time. {@code clock} still decides token lifetimes.
     */
    public static TestLatch startNode(Path dataDir, Map<String, String> overrides, TestClock clock) {
        return start(settings(dataDir, overrides), 0, clock, true);
    }

    /**
     * Like {@link #start}, on a free loopback port chosen first, so the instance knows its own address before it
     * starts: {@code LATCH_PUBLIC_URL} (its issuer) is {@code http://127.0.0.1:<port>}, as federation needs. A port
     * another process takes between the choice and the start is chosen again.
     */
    public static TestLatch startPublic(Path dataDir, Map<String, String> overrides, TestClock clock) {
        RuntimeException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = freePort();
            var values = new HashMap<>(overrides);
            values.put("LATCH_PORT", Integer.toString(port));
            values.put("LATCH_PUBLIC_URL", "http://127.0.0.1:" + port);
            try {
                return start(settings(dataDir, values), port, clock, false);
            } catch (RuntimeException e) {
                last = e;
            }
        }
        throw last;
    }

    /** A loopback port nothing listens on now (the kernel's choice), for a server that must know it in advance. */
    public static int freePort() {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TestLatch start(Settings settings, int port, TestClock clock, boolean jobsRun) {
        Deps deps = Main.wire(settings, clock);
        if (!jobsRun) {
            deps.jobs().close();
        }
        try {
            Javalin server = App.create(deps, settings).start(port);
            RaisedAlerts.watch(deps);
            return new TestLatch(new Http(server.port()), deps, clock, settings, server);
        } catch (RuntimeException e) {
            deps.close();
            throw e;
        }
    }

    /** Stops what {@link #start} started; nothing to do for {@link #run}, which stops its own. */
    @Override
    public void close() {
        if (server != null) {
            server.stop();
            RaisedAlerts.collect(deps, true);
            deps.close();
        }
    }

    public Http http() { return http; }
    public Deps deps() { return deps; }
    public TestClock clock() { return clock; }
    public Settings settings() { return settings; }

    /** Claims the instance as {@link #ADMIN}; returns the admin's session token. */
    public String setupAdmin() {
        var body = JsonNodeFactory.instance.objectNode()
                .put("username", ADMIN).put("password", ADMIN_PASSWORD).put("setup_code", SETUP_CODE);
        var res = http.postJson("/api/setup/admin", body.toString());
        if (res.status() != 201) {
            throw new AssertionError("setup failed: " + res);
        }
        return res.json().get("token").asText();
    }

    /** A valid CSRF token, fetched the way a browser page gets one. */
    public String csrf() {
        var res = http.get("/api/auth/csrf");
        return res.json().get("csrf_token").asText();
    }

    /** Cookie and header for a browser-style request authenticated by the session cookie. */
    public String[] cookieAuth(String token) {
        String csrf = csrf();
        return new String[] {"Cookie", "latch_token=" + token + "; latch_csrf=" + csrf, "X-CSRF-Token", csrf};
    }

    /** Creates a user through the admin API and returns their id. */
    public long createUser(String adminToken, String username, String password, String role) {
        var body = JsonNodeFactory.instance.objectNode().put("username", username).put("password", password).put("role", role);
        var res = http.postJson("/api/users", body.toString(), "Authorization", "Bearer " + adminToken);
        if (res.status() != 201) {
            throw new AssertionError("creating " + username + " failed: " + res);
        }
        return res.json().get("id").asLong();
    }

    public Http.Response login(String username, String password) {
        var body = JsonNodeFactory.instance.objectNode().put("username", username).put("password", password);
        return http.postJson("/api/auth/login", body.toString());
    }

    /** {@code POST /api/token} with {@code grant_type=password} (RFC 6749 §4.3), all scopes the user holds. */
    public Http.Response passwordGrant(String username, String password) {
        return http.postForm("/api/token", "grant_type=password&username=" + form(username) + "&password=" + form(password));
    }

    /** {@code POST /api/token} with {@code grant_type=refresh_token} (RFC 6749 §6). */
    public Http.Response refreshGrant(String refreshToken, String... headers) {
        return http.postForm("/api/token", "grant_type=refresh_token&refresh_token=" + form(refreshToken), headers);
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Signs in and returns the token, failing the test if sign-in does not succeed. */
    public String token(String username, String password) {
        var res = login(username, password);
        if (res.status() != 200) {
            throw new AssertionError("sign-in failed: " + res);
        }
        return res.json().get("token").asText();
    }
}
