package latch.forwardauth;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpServer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import latch.support.Http;
import latch.support.Nginx;
import latch.support.TestClock;
import latch.support.TestLatch;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end through a real nginx: {@code auth_request} asks Latch, {@code auth_request_set} hands the
 * {@code Remote-*} headers to an upstream that echoes what it received, {@code error_page 401 =302} sends
 * browsers to sign in. This is the snippet the README documents.
 */
class NginxForwardAuthTest {
    static final String BROWSER = "text/html,application/xhtml+xml";
    static final String RULES = String.join("\n",
            "rules:",
            "  - paths: /roms/**",
            "    scope: roms.read",
            "  - paths: /admin/**",
            "    role: admin",
            "  - paths: /settings/**",
            "    scope: users.write",
            "  - paths: /public/**",
            "    require: bypass",
            "  - paths: /.git/**",
            "    require: deny",
            "");

    @TempDir
    Path dir;

    interface Body {
        void run(TestLatch latch, Http nginx) throws Exception;
    }

    @Test
    void signedInUsersPassWithIdentityAndAnonymousOnesAreSentToSignIn() throws Exception {
        withNginx(Map.of(), (latch, nginx) -> {
            String admin = latch.setupAdmin();
            var body = JsonNodeFactory.instance.objectNode().put("username", "vic").put("password", "password-vic")
                    .put("role", "viewer").put("display_name", "Vic Viewer").put("email", "vic@example.com");
            assertEquals(201, latch.http().postJson("/api/users", body.toString(), "Authorization", Http.bearer(admin)).status());
            String vic = latch.token("vic", "password-vic");

            var res = nginx.get("/roms/12?x=1", "Cookie", "latch_token=" + vic, "Remote-User", "admin");
            assertEquals(200, res.status(), res.toString());
            assertEquals("GET /roms/12?x=1\nRemote-User: vic\nRemote-Groups: viewer\nRemote-Name: Vic Viewer\n"
                    + "Remote-Email: vic@example.com\n", res.body().substring(0, res.body().indexOf("Remote-Scopes")));
            assertTrue(res.body().contains("roms.read"), res.body());

            var anonymous = nginx.get("/roms/12?x=1", "Accept", BROWSER);
            assertEquals(302, anonymous.status(), anonymous.toString());
            String rd = "http://localhost:" + nginx.base().substring(nginx.base().lastIndexOf(':') + 1) + "/roms/12?x=1";
            assertEquals(latch.http().base().replace("localhost", "127.0.0.1") + "/login?rd=" + URLEncoder.encode(rd, StandardCharsets.UTF_8),
                    anonymous.header("Location").orElseThrow());

            assertEquals(403, nginx.get("/admin/users", "Cookie", "latch_token=" + vic).status());
            assertEquals(302, nginx.get("/admin/users", "Accept", BROWSER).status());
            assertEquals(200, nginx.get("/admin/users", "Authorization", Http.bearer(admin)).status());
            assertEquals(403, nginx.get("/roms/%2e%2e/admin/users", "Cookie", "latch_token=" + vic).status());

            var write = nginx.send("POST", "/notes", "application/json", "{\"a\":1}", "Cookie", "latch_token=" + vic);
            assertEquals(200, write.status());
            assertTrue(write.body().startsWith("POST /notes\nRemote-User: vic\n"), write.body());

            assertEquals(204, latch.http().post("/api/auth/logout", "Authorization", Http.bearer(vic)).status());
            var afterLogout = nginx.get("/roms/12", "Cookie", "latch_token=" + vic, "Accept", BROWSER);
            assertEquals(302, afterLogout.status(), "a revoked token stops passing at once");
        });
    }

    @Test
    void clientTokensPassWithTheirScopesOnlyAndStopAtOnceWhenRevoked() throws Exception {
        withNginx(Map.of(), (latch, nginx) -> {
            String admin = latch.setupAdmin();
            assertEquals(200, nginx.get("/settings/x", "Authorization", Http.bearer(admin)).status());
            var created = latch.http().postJson("/api/client-tokens", "{\"name\":\"handheld\",\"scopes\":[\"roms.read\"]}",
                    "Authorization", Http.bearer(admin));
            assertEquals(201, created.status(), created.toString());
            String secret = created.json().get("token").asText();

            var viaBearer = nginx.get("/roms/3", "Authorization", Http.bearer(secret));
            assertEquals(200, viaBearer.status(), viaBearer.toString());
            assertTrue(viaBearer.body().contains("Remote-User: admin\n") && viaBearer.body().contains("Remote-Scopes: roms.read\n"),
                    viaBearer.body());
            assertEquals(200, nginx.get("/roms/3", "X-API-Key", secret).status());
            assertEquals(403, nginx.get("/settings/x", "X-API-Key", secret).status(), "a scope rule the token does not carry");
            assertEquals(403, nginx.get("/admin/x", "X-API-Key", secret).status(), "an admin's narrowed token is no admin");

            String id = created.json().get("id").asText();
            assertEquals(204, latch.http().delete("/api/client-tokens/" + id, "Authorization", Http.bearer(admin)).status());
            assertEquals(302, nginx.get("/roms/3", "X-API-Key", secret).status(), "a revoked token stops passing at once (nginx turns the 401 into the sign-in redirect)");
        });
    }

    @Test
    void kioskAndDownloadBypassLetAnonymousReadsThroughButNotWrites() throws Exception {
        withNginx(Map.of("KIOSK_MODE", "true", "DISABLE_DOWNLOAD_ENDPOINT_AUTH", "true"), (latch, nginx) -> {
            latch.setupAdmin();
            var read = nginx.get("/roms/12", "Accept", BROWSER, "Remote-User", "admin", "Remote-Groups", "admin");
            assertEquals(200, read.status(), read.toString());
            assertFalse(read.body().contains("Remote-User"), "a client's own Remote-User never reaches the app: " + read.body());
            assertFalse(read.body().contains("Remote-Groups"), read.body());
            assertTrue(read.body().contains("Remote-Scopes: ") && read.body().contains("roms.read")
                    && !read.body().contains("write"), read.body());

            assertEquals(302, nginx.send("POST", "/roms/12", "application/json", "{}", "Accept", BROWSER).status());
            assertEquals(302, nginx.get("/admin/x", "Accept", BROWSER).status());

            var download = nginx.get("/api/roms/5/content/Game.zip");
            assertEquals(200, download.status());
            assertFalse(download.body().contains("Remote-User"), download.body());
            assertEquals(302, nginx.send("POST", "/api/roms/5/content/Game.zip", null, null, "Accept", BROWSER).status());
        });
    }

    /**
     * ';' in a path segment, raw or encoded. Tomcat cuts raw ";params" before resolving dots, so it serves these as
     * /admin/panel, /.git/config or /settings/x; servers that decode before cutting read %3B the same way.
     */
    static final List<String> PATH_PARAMETER_TRICKS = List.of("/public/..;/admin/panel", "/admin;x/panel", "/.git;/config",
            "/public/%2e%2e;/admin/panel", "/public/..%3B/admin/panel", "/admin%3Bx/panel", "/roms/..;/settings/x");

    @Test
    void pathParameterTricksNeverReachAnAppServerThatStripsThem() throws Exception {
        var reached = new CopyOnWriteArrayList<String>();
        Upstream tomcat = tomcatEcho(reached);
        withNginx(Map.of(), tomcat, (latch, nginx) -> {
            String admin = latch.setupAdmin();
            latch.createUser(admin, "vic", "password-vic", "viewer");
            String vic = latch.token("vic", "password-vic");
            // The app server resolves the trick as the attack needs: a rule for /public/** would be judging /admin/panel.
            assertEquals("GET /admin/panel\n", new Http(tomcat.port()).get("/public/..;/admin/panel").body());
            assertEquals("GET /.git/config\n", new Http(tomcat.port()).get("/.git;/config").body());
            reached.clear();

            var open = nginx.get("/public/style.css");
            assertEquals(200, open.status(), open.toString());
            assertEquals("GET /public/style.css\n", open.body());
            var signedIn = nginx.get("/admin/panel", "Cookie", "latch_token=" + admin);
            assertEquals(200, signedIn.status(), signedIn.toString());
            assertTrue(signedIn.body().startsWith("GET /admin/panel\nRemote-User: admin\n"), signedIn.body());
            assertEquals(403, nginx.get("/admin/panel", "Cookie", "latch_token=" + vic).status());

            for (String trick : PATH_PARAMETER_TRICKS) {
                for (String[] who : List.of(new String[0], new String[] {"Cookie", "latch_token=" + vic})) {
                    // Latch answers 400 invalid_uri; nginx turns an auth answer other than 2xx, 401 or 403 into 500.
                    var res = nginx.get(trick, who);
                    assertEquals(500, res.status(), trick + " " + res);
                }
            }
            assertEquals(List.of("/public/style.css", "/admin/panel"), reached, "only the plain requests reached the app");
        });
    }

    @Test
    void kioskAndDownloadBypassPassNoPathParameterTrickToTheAppServer() throws Exception {
        var reached = new CopyOnWriteArrayList<String>();
        withNginx(Map.of("KIOSK_MODE", "true", "DISABLE_DOWNLOAD_ENDPOINT_AUTH", "true"), tomcatEcho(reached), (latch, nginx) -> {
            latch.setupAdmin();
            var download = nginx.get("/api/roms/5/content/Game.zip");
            assertEquals(200, download.status(), download.toString());
            var kiosk = nginx.get("/roms/12", "Accept", BROWSER);
            assertEquals(200, kiosk.status(), kiosk.toString());
            for (String trick : List.of("/api/roms/5/content/..;/..;/..;/..;/admin/panel", "/api/roms/5/content/..%3b/..%3b/..%3b/..%3b/settings/x",
                    "/roms/..;/settings/x", "/roms/12;/..;/..;/admin/panel")) {
                assertEquals(500, nginx.get(trick, "Accept", BROWSER).status(), trick);
            }
            assertEquals(List.of("/api/roms/5/content/Game.zip", "/roms/12"), reached, "only the plain requests reached the app");
        });
    }

    private void withNginx(Map<String, String> settings, Body body) throws Exception {
        HttpServer echo = echoServer();
        withNginx(settings, new Upstream(echo.getAddress().getPort(), () -> echo.stop(0)), body);
    }

    /** The app behind nginx: its port, and how to stop it once the test is done. */
    record Upstream(int port, Runnable stop) {}

    private void withNginx(Map<String, String> settings, Upstream upstream, Body body) throws Exception {
        Path rules = dir.resolve("rules.yml");
        Files.writeString(rules, RULES);
        var values = new HashMap<String, String>(settings);
        values.put("TRUSTED_PROXIES", "127.0.0.1,::1");
        values.put("ACCESS_RULES_FILE", rules.toString());
        try {
            TestLatch.run(dir.resolve("data"), values, new TestClock(), latch -> {
                int latchPort = Integer.parseInt(latch.http().base().substring(latch.http().base().lastIndexOf(':') + 1));
                try (var nginx = Nginx.start(dir.resolve("nginx"), "", server(latchPort, upstream.port()))) {
                    body.run(latch, nginx.http());
                }
            });
        } finally {
            upstream.stop().run();
        }
    }

    private static String server(int latchPort, int upstreamPort) {
        return String.join("\n",
                "    location / {",
                "      auth_request /internal-authz;",
                "      auth_request_set $latch_user $upstream_http_remote_user;",
                "      auth_request_set $latch_groups $upstream_http_remote_groups;",
                "      auth_request_set $latch_name $upstream_http_remote_name;",
                "      auth_request_set $latch_email $upstream_http_remote_email;",
                "      auth_request_set $latch_scopes $upstream_http_remote_scopes;",
                "      auth_request_set $latch_login $upstream_http_location;",
                "      proxy_set_header Remote-User $latch_user;",
                "      proxy_set_header Remote-Groups $latch_groups;",
                "      proxy_set_header Remote-Name $latch_name;",
                "      proxy_set_header Remote-Email $latch_email;",
                "      proxy_set_header Remote-Scopes $latch_scopes;",
                "      error_page 401 =302 $latch_login;",
                "      proxy_pass http://127.0.0.1:" + upstreamPort + ";",
                "    }",
                "    location = /internal-authz {",
                "      internal;",
                "      proxy_pass http://127.0.0.1:" + latchPort + "/api/authz/auth-request;",
                "      proxy_pass_request_body off;",
                "      proxy_set_header Content-Length \"\";",
                "      proxy_set_header X-Original-URL $scheme://$http_host$request_uri;",
                "      proxy_set_header X-Original-Method $request_method;",
                "      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
                "    }");
    }

    /**
     * An app server that strips path parameters: an embedded Tomcat, which cuts ";..." from every segment (servlet
     * containers carry ";jsessionid=" that way) before resolving dot segments. It answers the method, the path it
     * resolved and the Remote-User it received, and records each resolved path in {@code reached}.
     */
    private Upstream tomcatEcho(List<String> reached) throws Exception {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createDirectories(dir.resolve("tomcat")).toString());
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        Context app = tomcat.addContext("", null);
        Tomcat.addServlet(app, "echo", new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
                String resolved = req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
                reached.add(resolved);
                String user = req.getHeader("Remote-User");
                res.setContentType("text/plain;charset=utf-8");
                res.getWriter().write(req.getMethod() + " " + resolved + "\n" + (user == null || user.isEmpty() ? "" : "Remote-User: " + user + "\n"));
            }
        });
        app.addServletMappingDecoded("/*", "echo");
        tomcat.start();
        return new Upstream(tomcat.getConnector().getLocalPort(), () -> {
            try {
                tomcat.stop();
                tomcat.destroy();
            } catch (LifecycleException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** The app behind the proxy: answers the method, URI and every Remote-* header it received, one per line. */
    private static HttpServer echoServer() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            var out = new StringBuilder(exchange.getRequestMethod() + " " + exchange.getRequestURI().toString() + "\n");
            for (String name : List.of("Remote-User", "Remote-Groups", "Remote-Name", "Remote-Email", "Remote-Scopes")) {
                String value = exchange.getRequestHeaders().getFirst(name);
                if (value != null) {
                    out.append(name).append(": ").append(value).append("\n");
                }
            }
            exchange.getRequestBody().readAllBytes();
            byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return server;
    }
}
