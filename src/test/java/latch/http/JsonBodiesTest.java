package latch.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.HandlerType;
import latch.App;
import latch.access.Principal;
import latch.support.Http;
import latch.support.TestLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every route that reads a JSON body answers a malformed one with a 4xx {@code {"error","message"}} (the device
 * token endpoint: {@code {"error","error_description"}}), never a 500: each field in turn is null, a list holding
 * null, of the wrong type, an empty object or an empty array, and the whole body is each of those too. Every
 * request starts from a valid body made fresh for it (a new device request, invite or pairing code), so a mutation
 * reaches the code behind the parser rather than a "code already used".
 */
class JsonBodiesTest {
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final ObjectMapper MAPPER = new ObjectMapper();
    /** Limits per address, bans and token quotas would answer 429/409 before the body is looked at. */
    static final String SFU_SECRET = latch.support.Sfu.SECRET;
    static final Map<String, String> ROOMY = Map.of("TRUSTED_PROXIES", "127.0.0.1,::1", "LOGIN_BAN_MAX_FAILURES", "1000",
            "LATCH_MAX_CLIENT_TOKENS", "10000", "LOGIN_MAX_ATTEMPTS_PER_IP", "1000000", "SFU_MINT_PER_MINUTE", "100000",
            "ROMM_SFU_INTERNAL_SECRET", SFU_SECRET);
    /** Unsafe routes that read no JSON body (the OAuth token endpoint reads a form). */
    static final Set<String> WITHOUT_JSON_BODY = Set.of("POST /api/auth/logout", "POST /api/auth/refresh",
            "DELETE /api/auth/sessions/{id}", "DELETE /api/invites/{id}", "DELETE /api/users/{id}", "POST /api/users/{id}/unban",
            "POST /api/users/{id}/logout-all", "DELETE /api/client-tokens/{id}", "POST /api/client-tokens/{id}/regenerate",
            "POST /api/client-tokens/{id}/pair", "DELETE /api/users/{id}/client-tokens/{tokenId}", "POST /api/token",
            "POST /api/admin/keys/{kid}/retire", "DELETE /api/admin/issuers/{id}", "POST /api/auth/me/identities/openid",
            "DELETE /api/auth/me/identities/{id}", "POST /api/users/{id}/reset-link", "POST /api/admin/alerts/{id}/ack",
            "DELETE /api/admin/apps/{id}", "PUT /api/admin/apps/{id}/icon");

    @TempDir
    Path dir;

    /** A route that reads a JSON body: its headers and a valid body, both made afresh for every request. */
    record Route(String method, String template, String path, Supplier<String[]> headers, Supplier<ObjectNode> body) {
        String name() {
            return method + " " + template;
        }
    }

    private final AtomicInteger requests = new AtomicInteger();

    /** A client address of its own for every request, so no per-address limit answers instead of the route. */
    private String[] from(String... headers) {
        int n = requests.incrementAndGet();
        var all = new ArrayList<>(List.of(headers));
        all.add("X-Forwarded-For");
        all.add("10." + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + (n & 255));
        return all.toArray(String[]::new);
    }

    @Test
    void noJsonBodyAnyRouteReadsIsAnsweredWithA500() {
        TestLatch.run(dir.resolve("setup"), ROOMY, latch -> {
            var problems = new ArrayList<String>();
            fuzz(latch, new Route("POST", "/api/setup/admin", "/api/setup/admin", this::from, () -> object(
                    "username", "root", "password", "password-root", "setup_code", TestLatch.SETUP_CODE)), problems);
            assertEquals(List.of(), problems);
        });
        // Trusting other issuers needs this instance's own issuer set.
        var main = new java.util.HashMap<>(ROOMY);
        main.put("LATCH_PUBLIC_URL", "http://latch.test");
        // Reset by mail answers before it mails: a mail server nobody listens on is enough to accept the request.
        main.putAll(Map.of("SMTP_HOST", "127.0.0.1", "SMTP_PORT", Integer.toString(TestLatch.freePort()),
                "SMTP_SECURITY", "none", "SMTP_FROM", "latch@latch.test"));
        TestLatch.run(dir.resolve("main"), main, latch -> {
            String admin = latch.setupAdmin();
            String[] asAdmin = {"Authorization", Http.bearer(admin)};
            for (String user : List.of("carol", "dave", "bob")) {
                latch.createUser(admin, user, "password-" + user, "viewer");
            }
            long bob = latch.http().get("/api/users?q=bob", asAdmin).json().at("/users/0/id").asLong();
            Supplier<String[]> carol = () -> from("Authorization", Http.bearer(signIn(latch, "carol")));
            long issuerId = latch.http().postJson("/api/admin/issuers", "{\"issuer\":\"https://to-patch.example\"}", asAdmin)
                    .json().get("id").asLong();
            long appId = latch.http().postJson("/api/admin/apps", "{\"name\":\"To patch\",\"url\":\"https://patch.example\"}",
                    asAdmin).json().get("id").asLong();
            Supplier<String[]> admins = () -> from(asAdmin);
            Supplier<String[]> anyone = this::from;
            Supplier<String[]> sfuServer = () -> from("x-romm-sfu-secret", SFU_SECRET);
            Supplier<String> netplayToken = () -> latch.http().postJson("/api/sfu/token", "{\"token_type\":\"write\"}", asAdmin)
                    .json().get("token").asText();

            var commandLine = Principal.system("test", latch.deps().scopes().all());
            var recovery = latch.deps().recovery().service();
            var dave = latch.deps().users().findByUsername("dave").orElseThrow();

            var routes = List.of(
                    new Route("POST", "/api/auth/login", "/api/auth/login", anyone,
                            () -> object("username", "dave", "password", "password-dave")),
                    new Route("POST", "/api/auth/login-link", "/api/auth/login-link", anyone,
                            () -> object("token", recovery.loginLink(commandLine, dave).secret())),
                    new Route("POST", "/api/auth/reset-password", "/api/auth/reset-password", anyone,
                            () -> object("token", recovery.resetLink(commandLine, dave.id(), null).secret(),
                                    "new_password", "password-dave")),
                    new Route("POST", "/api/auth/forgot-password", "/api/auth/forgot-password", anyone,
                            () -> object("username_or_email", "dave")),
                    new Route("PATCH", "/api/auth/me", "/api/auth/me", carol,
                            () -> object("display_name", "Carol", "email", "carol@example.com", "netplay_username", "Caz")),
                    new Route("PUT", "/api/auth/me/password", "/api/auth/me/password", carol,
                            () -> object("current_password", "password-carol", "new_password", "password-carol")),
                    // Every request a new account: the valid body deletes the one it signs in as.
                    new Route("DELETE", "/api/auth/me", "/api/auth/me", () -> from("Authorization", Http.bearer(leaving(latch, admin))),
                            () -> object("current_password", "password-leaving")),
                    new Route("POST", "/api/auth/logout-all", "/api/auth/logout-all", carol,
                            () -> object("include_current", false)),
                    new Route("POST", "/api/auth/register", "/api/auth/register", anyone,
                            () -> object("invite", invite(latch, asAdmin), "username", "new" + requests.get(), "password", "password-new")),
                    new Route("POST", "/api/auth/registration/invite", "/api/auth/registration/invite", anyone,
                            () -> object("invite", invite(latch, asAdmin))),
                    new Route("POST", "/api/invites", "/api/invites", admins,
                            () -> object("role", "viewer", "name", "for the tests", "expires_in_seconds", 3600, "max_uses", 1)),
                    new Route("POST", "/api/users", "/api/users", admins,
                            () -> object("username", "user" + requests.get(), "password", "password-new", "role", "viewer",
                                    "display_name", "New", "email", "new@example.com")),
                    new Route("PATCH", "/api/users/{id}", "/api/users/" + bob, admins,
                            () -> object("role", "viewer", "enabled", true, "password", "password-bob", "display_name", "Bob",
                                    "email", "bob@example.com")),
                    new Route("POST", "/api/client-tokens", "/api/client-tokens", admins,
                            () -> object("name", "script", "scopes", List.of("me.read"), "expires_in_seconds", 3600,
                                    "networks", List.of("10.0.0.0/8"))),
                    new Route("POST", "/api/client-tokens/exchange", "/api/client-tokens/exchange", anyone,
                            () -> object("code", pairingCode(latch, asAdmin))),
                    new Route("POST", "/api/auth/device/init", "/api/auth/device/init", anyone,
                            () -> object("client_name", "tv", "scopes", List.of("me.read"))),
                    new Route("POST", "/api/auth/device/token", "/api/auth/device/token", anyone,
                            () -> object("device_code", approvedDeviceCode(latch, asAdmin))),
                    new Route("POST", "/api/auth/device/approve", "/api/auth/device/approve", admins,
                            () -> object("user_code", deviceRequest(latch).get("user_code").asText(), "name", "tv",
                                    "scopes", List.of("me.read"), "expires_in_seconds", 3600)),
                    new Route("POST", "/api/auth/device/deny", "/api/auth/device/deny", admins,
                            () -> object("user_code", deviceRequest(latch).get("user_code").asText())),
                    new Route("POST", "/api/sfu/token", "/api/sfu/token", admins, () -> object("token_type", "write")),
                    new Route("POST", "/api/sfu/internal/verify", "/api/sfu/internal/verify", sfuServer,
                            () -> object("token", netplayToken.get(), "consume", true)),
                    new Route("POST", "/api/sfu/internal/rooms/upsert", "/api/sfu/internal/rooms/upsert", sfuServer,
                            () -> object("room_name", "room", "current", 1, "max", 4, "hasPassword", false, "nodeId", "n1",
                                    "url", "http://sfu.example:3001")),
                    new Route("POST", "/api/sfu/internal/rooms/delete", "/api/sfu/internal/rooms/delete", sfuServer,
                            () -> object("room_name", "room")),
                    new Route("POST", "/api/admin/keys/rotate", "/api/admin/keys/rotate", admins, () -> object("immediate", true)),
                    new Route("POST", "/api/admin/issuers", "/api/admin/issuers", admins, () -> object(
                            "issuer", "https://peer" + requests.incrementAndGet() + ".example", "jwks_url", "https://keys.example/jwks.json",
                            "algorithms", List.of("RS256", "ES256"), "enabled", true, "list_rooms", true, "note", "a friend's instance")),
                    new Route("PATCH", "/api/admin/issuers/{id}", "/api/admin/issuers/" + issuerId, admins, () -> object(
                            "issuer", "https://patched.example", "jwks_url", "https://keys.example/jwks.json",
                            "algorithms", List.of("ES256"), "enabled", false, "list_rooms", true, "note", "edited")),
                    new Route("POST", "/api/admin/apps", "/api/admin/apps", admins, () -> object(
                            "name", "Films", "url", "https://films.example", "icon", "film", "required_scope", "roms.read")),
                    new Route("PATCH", "/api/admin/apps/{id}", "/api/admin/apps/" + appId, admins, () -> object(
                            "name", "Films", "url", "https://films.example", "icon", "book", "required_scope", "",
                            "position", 1)));

            var problems = new ArrayList<String>();
            for (Route route : routes) {
                fuzz(latch, route, problems);
            }
            assertEquals(List.of(), problems);

            // Every unsafe route is either fuzzed here (setup above) or known to read no JSON body.
            var covered = new TreeSet<String>(WITHOUT_JSON_BODY);
            covered.add("POST /api/setup/admin");
            routes.forEach(r -> covered.add(r.name()));
            var unsafe = new TreeSet<String>();
            App.create(latch.deps(), latch.settings()).unsafe.internalRouter.allHttpHandlers().forEach(e -> {
                HandlerType m = e.endpoint.method;
                if (m == HandlerType.POST || m == HandlerType.PUT || m == HandlerType.PATCH || m == HandlerType.DELETE) {
                    unsafe.add(m.name() + " " + e.endpoint.path);
                }
            });
            assertEquals(unsafe, covered, "a new route that changes state: fuzz its body here, or list it as reading none");
        });
    }

    @Test
    void aNullScopeOrNetworkIsA400NotA500() {
        TestLatch.run(dir, ROOMY, latch -> {
            String admin = latch.setupAdmin();
            String[] asAdmin = {"Authorization", Http.bearer(admin)};
            for (String body : List.of("{\"name\":\"t\",\"scopes\":[null]}", "{\"name\":\"t\",\"scopes\":[\"me.read\",null]}",
                    "{\"name\":\"t\",\"scopes\":[\"me.read\"],\"networks\":[null]}")) {
                assertBadRequest(latch.http().postJson("/api/client-tokens", body, asAdmin), body);
            }
            String userCode = deviceRequest(latch).get("user_code").asText();
            String approve = "{\"user_code\":\"" + userCode + "\",\"scopes\":[null]}";
            assertBadRequest(latch.http().postJson("/api/auth/device/approve", approve, asAdmin), approve);
            assertBadRequest(latch.http().postJson("/api/auth/device/init", "{\"client_name\":\"tv\",\"scopes\":[null]}"), "init");
            assertEquals(204, latch.http().postJson("/api/auth/device/approve", "{\"user_code\":\"" + userCode + "\"}", asAdmin).status(),
                    "the refused approval left the request pending");
        });
    }

    private static void assertBadRequest(Http.Response res, String why) {
        assertEquals(400, res.status(), why + ": " + res);
        assertTrue(res.json().get("error").isTextual() && res.json().get("message").isTextual(), why + ": " + res);
        assertTrue(res.json().get("message").asText().contains("scopes") || res.json().get("message").asText().contains("networks"),
                "the message names the field: " + res);
    }

    /** Sends the body-level and field-level mutations, then the valid body (last, as it may set Latch up). */
    private void fuzz(TestLatch latch, Route route, List<String> problems) {
        for (String whole : List.of("null", "[]", "[null]", "{}", "\"text\"", "7", "true", "[{}]", "{\"x\":[null]}")) {
            check(route, whole, send(latch, route, whole), problems);
        }
        var fields = new ArrayList<String>();
        route.body().get().fieldNames().forEachRemaining(fields::add);
        for (String field : fields) {
            for (JsonNode bad : mutations(route.body().get().get(field))) {
                ObjectNode body = route.body().get();
                body.set(field, bad);
                check(route, body.toString(), send(latch, route, body.toString()), problems);
            }
        }
        var valid = send(latch, route, route.body().get().toString());
        // Scalars are coerced ("username": true is "true"), so a mutation may already have set Latch up.
        boolean setUpAlready = valid.status() == 409 && valid.body().contains("already_set_up");
        if (valid.status() >= 300 && !setUpAlready) {
            problems.add(route.name() + ": the valid body was refused, so the mutations may have tested nothing: " + valid);
        }
    }

    /** A new viewer, signed in: someone about to delete their account. */
    private String leaving(TestLatch latch, String admin) {
        String name = "leaving" + requests.incrementAndGet();
        latch.createUser(admin, name, "password-leaving", "viewer");
        var res = latch.http().postJson("/api/auth/login", "{\"username\":\"" + name + "\",\"password\":\"password-leaving\"}", from());
        assertEquals(200, res.status(), res.toString());
        return res.json().get("token").asText();
    }

    private Http.Response send(TestLatch latch, Route route, String body) {
        return latch.http().send(route.method(), route.path(), "application/json", body, route.headers().get());
    }

    /** A success, or a 4xx whose body is {"error","message"}; anything else is a problem. */
    private static void check(Route route, String body, Http.Response res, List<String> problems) {
        String what = route.name() + " " + body + " -> " + res;
        if (res.status() >= 500) {
            problems.add(what);
            return;
        }
        if (res.status() < 400) {
            return;
        }
        JsonNode json;
        try {
            json = MAPPER.readTree(res.body());
        } catch (Exception e) {
            problems.add("not JSON: " + what);
            return;
        }
        // The device flow's token endpoint answers as RFC 6749 §5.2 says: the sentence is error_description.
        String sentence = route.template().equals("/api/auth/device/token") ? "error_description" : "message";
        if (json == null || !json.path("error").isTextual() || json.get("error").asText().isEmpty()
                || !json.path(sentence).isTextual() || json.get(sentence).asText().isEmpty()) {
            problems.add("not {\"error\",\"" + sentence + "\"}: " + what);
        }
    }

    /** null, a list holding null, an empty object and array, and values of the wrong type for {@code valid}. */
    static List<JsonNode> mutations(JsonNode valid) {
        var out = new ArrayList<JsonNode>(List.of(NODES.nullNode(), NODES.arrayNode().addNull(), NODES.objectNode(), NODES.arrayNode()));
        if (valid.isTextual()) {
            out.addAll(List.of(NODES.numberNode(7), NODES.booleanNode(true), NODES.arrayNode().add("a")));
        } else if (valid.isNumber()) {
            out.addAll(List.of(NODES.textNode("seven"), NODES.booleanNode(true), NODES.numberNode(1e300), NODES.numberNode(-1),
                    NODES.textNode("99999999999999999999999")));
        } else if (valid.isBoolean()) {
            out.addAll(List.of(NODES.textNode("maybe"), NODES.numberNode(7)));
        } else if (valid.isArray()) {
            out.addAll(List.of(NODES.textNode("text"), NODES.numberNode(7), NODES.arrayNode().add(NODES.objectNode()),
                    NODES.arrayNode().add(NODES.arrayNode()), NODES.arrayNode().add(7), ((ArrayNode) valid.deepCopy()).addNull()));
        }
        return out;
    }

    private static ObjectNode object(Object... pairs) {
        ObjectNode node = NODES.objectNode();
        for (int i = 0; i < pairs.length; i += 2) {
            node.set((String) pairs[i], MAPPER.valueToTree(pairs[i + 1]));
        }
        return node;
    }

    private String signIn(TestLatch latch, String user) {
        var res = latch.http().postJson("/api/auth/login", "{\"username\":\"" + user + "\",\"password\":\"password-" + user + "\"}", from());
        assertEquals(200, res.status(), res.toString());
        return res.json().get("token").asText();
    }

    private String invite(TestLatch latch, String[] asAdmin) {
        return latch.http().postJson("/api/invites", "{}", asAdmin).json().get("token").asText();
    }

    private String pairingCode(TestLatch latch, String[] asAdmin) {
        String id = latch.http().postJson("/api/client-tokens", "{\"name\":\"paired\",\"scopes\":[\"me.read\"]}", asAdmin).json().get("id").asText();
        return latch.http().post("/api/client-tokens/" + id + "/pair", asAdmin).json().get("code").asText();
    }

    private String approvedDeviceCode(TestLatch latch, String[] asAdmin) {
        JsonNode request = deviceRequest(latch);
        var approved = latch.http().postJson("/api/auth/device/approve", "{\"user_code\":\"" + request.get("user_code").asText() + "\"}",
                from(asAdmin));
        assertEquals(204, approved.status(), approved.toString());
        return request.get("device_code").asText();
    }

    private JsonNode deviceRequest(TestLatch latch) {
        var res = latch.http().postJson("/api/auth/device/init", "{\"client_name\":\"tv\",\"scopes\":[\"me.read\"]}", from());
        assertEquals(200, res.status(), res.toString());
        return res.json();
    }
}
