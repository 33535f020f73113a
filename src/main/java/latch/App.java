package latch;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.json.JavalinJackson;
import io.javalin.security.RouteRole;
import jakarta.servlet.DispatcherType;
import latch.access.Scope;
import latch.forwardauth.ForwardAuthController;
import latch.http.ApiError;
import latch.http.BodyCharset;
import latch.http.Csrf;
import latch.http.ErrorMapper;
import latch.http.Json;
import latch.http.JsonErrorHandler;
import latch.http.NoMethodOverride;
import latch.http.NoServletSessions;
import latch.oidc.OidcController;
import latch.oidc.OidcSettings;

import java.io.IOException;
import java.io.OutputStream;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static latch.access.Access.AUTHENTICATED;
import static latch.access.Access.PUBLIC;
import static latch.access.NetworkGate.PASSWORD_GRANT;
import static latch.access.NetworkGate.SIGN_IN;

/** The HTTP surface: every route, who may call it, and how errors look. Used by {@link Main} and the tests. */
public final class App {
    private App() {}

    public static Javalin create(Deps deps, Settings settings) {
        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jsonMapper(new JavalinJackson(Json.mapper(), false));
            config.http.maxRequestSize = settings.http().maxBodyBytes();
            // No response compression: the answers are small, and compressing responses that carry tokens next to
            // reflected input is what BREACH exploits. It also spared a content-type check on every response.
            config.http.compressionStrategy = CompressionStrategy.NONE;
            config.http.prefer405over404 = true;
            ErrorMapper.install(config, deps.refusals());
            // One line and one metrics sample per request, after the answer, with the time Javalin measured.
            config.requestLogger.http(deps.monitoring().log()::answered);
            config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
            config.jetty.modifyServletContextHandler(handler -> {
                handler.setErrorHandler(new JsonErrorHandler());
                handler.setSessionHandler(new NoServletSessions());
                handler.addFilter(NoMethodOverride.class, "/*", EnumSet.of(DispatcherType.REQUEST));
            });

            var r = config.routes;
            var headers = deps.securityHeaders();
            r.before(ctx -> {
                // The proxy endpoints add them to refusals only: see ForwardAuthController.
                if (!ForwardAuthController.isProxyQuestion(ctx)) {
                    headers.apply(ctx);
                }
                refuseOversizedBody(ctx, settings.http().maxBodyBytes());
                BodyCharset.require(ctx);
            });
            r.beforeMatched(ctx -> {
                deps.networks().check(ctx); // first: from outside, even a valid credential opens nothing
                deps.guard().check(ctx);
                deps.csrf().check(ctx);
            });

            // Javalin tries the routes of a method in the order they were added, one regular expression each: the
            // ones a proxy or an app calls on every request come first. Public to the guard: the proxy endpoints
            // answer in the proxy contract (302/401 with Location), not the API's 401.
            var authz = deps.forwardAuth();
            var sessions = deps.sessions();
            get(r, ForwardAuthController.FORWARD_AUTH, authz::forwardAuth, PUBLIC);
            get(r, ForwardAuthController.AUTH_REQUEST, authz::authRequest, PUBLIC);
            get(r, "/api/auth/me", sessions::me, scope("me.read"));

            var pages = deps.pages();
            get(r, "/", pages.page("index"), PUBLIC);
            get(r, "/login", pages.page("login"), PUBLIC);
            get(r, "/setup", pages.page("setup"), PUBLIC);
            get(r, "/register", pages.page("register"), PUBLIC);
            get(r, "/account", pages.page("account"), PUBLIC);
            get(r, "/admin", pages.page("admin"), PUBLIC);
            get(r, "/pair", pages.page("pair"), PUBLIC);
            get(r, "/reset", pages.page("reset"), PUBLIC);
            get(r, "/forgot", pages.page("forgot"), PUBLIC);
            get(r, "/assets/{name}", deps.assets().handler(), PUBLIC);

            get(r, "/api/health", deps.health()::health, PUBLIC);
            get(r, "/api/openapi.json", deps.apiDescription()::serve, PUBLIC);
            get(r, "/api/health/ready", deps.health()::ready, PUBLIC);
            // For Prometheus: METRICS_TOKEN as a Bearer token, or a caller holding metrics.read.
            get(r, "/metrics", deps.monitoring().controller()::scrape, deps.monitoring().access());
            get(r, "/api/setup/status", deps.setup()::status, PUBLIC);
            r.post("/api/setup/admin", deps.setup()::createAdmin, PUBLIC, SIGN_IN);

            get(r, "/api/auth/csrf", ctx -> Json.send(ctx, Map.of("csrf_token", deps.csrf().ensureCookie(ctx))), PUBLIC);
            r.post("/api/auth/login", sessions::login, PUBLIC, SIGN_IN);
            r.post("/api/auth/logout", sessions::logout, PUBLIC);
            r.post("/api/auth/refresh", sessions::refresh, AUTHENTICATED);

            // One-time links and self-service reset: public, and under the CSRF checks like the sign-in form.
            var recovery = deps.recovery().controller();
            r.post("/api/auth/login-link", recovery::signInWithLink, PUBLIC, SIGN_IN);
            r.post("/api/auth/reset-password", recovery::resetPassword, PUBLIC);
            get(r, "/api/auth/forgot-password", recovery::forgotStatus, PUBLIC);
            r.post("/api/auth/forgot-password", recovery::forgotPassword, PUBLIC);

            var account = deps.account();
            r.patch("/api/auth/me", account::updateProfile, scope("me.write"));
            r.put("/api/auth/me/password", account::changePassword, scope("me.write"));
            get(r, "/api/auth/me/events", account::events, scope("me.read"));
            var personalData = deps.personalData();
            get(r, "/api/auth/me/export", personalData::export, scope("me.read"));
            r.delete("/api/auth/me", personalData::erase, scope("me.write"));
            get(r, "/api/auth/sessions", account::sessions, scope("me.read"));
            r.delete("/api/auth/sessions/{id}", account::endSession, scope("me.write"));
            r.post("/api/auth/logout-all", account::logoutAll, scope("me.write"));

            // Single sign-on: the start and the provider's return are browser navigations (GET, no CSRF token; the
            // return is bound to the browser by its own cookie), with the ROM manager's paths.
            var oidc = deps.oidc().controller();
            get(r, "/api/auth/config", oidc::options, PUBLIC);
            // GET only: a HEAD must not start a sign-in or spend a state (without the twin the guard refuses it).
            r.get(OidcController.START_PATH, oidc::start, PUBLIC, SIGN_IN);
            r.get(OidcSettings.CALLBACK_PATH, oidc::callback, PUBLIC, SIGN_IN);
            get(r, "/api/auth/me/identities", oidc::identities, scope("me.read"));
            r.post("/api/auth/me/identities/openid", oidc::startLink, scope("me.write"));
            r.delete("/api/auth/me/identities/{id}", oidc::unlink, scope("me.write"));

            var netplay = deps.netplay();
            var sfu = netplay.controller();
            r.post("/api/sfu/token", sfu::mint, AUTHENTICATED, Csrf.SAME_ORIGIN);
            r.post("/api/sfu/internal/verify", sfu::verify, netplay.secret(), Csrf.EXEMPT);
            var rooms = netplay.rooms();
            r.post("/api/sfu/internal/rooms/upsert", rooms::upsert, netplay.secret(), Csrf.EXEMPT);
            r.post("/api/sfu/internal/rooms/delete", rooms::delete, netplay.secret(), Csrf.EXEMPT);
            get(r, "/api/sfu/internal/rooms/resolve", rooms::resolve, netplay.secret(), Csrf.EXEMPT);
            get(r, "/api/sfu/internal/rooms/list", rooms::list, netplay.secret(), Csrf.EXEMPT);
            get(r, "/api/sfu/rooms", rooms::listForPeople, scope("sfu.read"));
            var keys = netplay.keysController();
            get(r, "/.well-known/jwks.json", keys::jwks, PUBLIC);
            get(r, "/api/admin/keys", keys::list, scope("keys.read"));
            r.post("/api/admin/keys/rotate", keys::rotate, scope("keys.write"));
            r.post("/api/admin/keys/{kid}/retire", keys::retire, scope("keys.write"));

            // Federation: the issuer registry, discovery, and this instance's rooms for trusted peers, who prove
            // themselves with a token signed by their own published key (no shared secret, no cookie: no CSRF).
            var federation = deps.federationController();
            get(r, "/.well-known/latch-configuration", federation::configuration, PUBLIC);
            get(r, "/api/federation/rooms", federation::rooms, deps.federation().peers(), Csrf.EXEMPT);
            get(r, "/api/admin/issuers", federation::list, scope("keys.read"));
            r.post("/api/admin/issuers", federation::add, scope("keys.write"));
            r.patch("/api/admin/issuers/{id}", federation::update, scope("keys.write"));
            r.delete("/api/admin/issuers/{id}", federation::remove, scope("keys.write"));

            var invites = deps.invites();
            get(r, "/api/auth/registration", invites::status, PUBLIC);
            r.post("/api/auth/registration/invite", invites::check, PUBLIC, SIGN_IN);
            r.post("/api/auth/register", invites::register, PUBLIC, SIGN_IN);
            r.post("/api/invites", invites::create, scope("users.write"));
            get(r, "/api/invites", invites::list, scope("users.read"));
            r.delete("/api/invites/{id}", invites::revoke, scope("users.write"));

            var users = deps.adminUsers();
            get(r, "/api/users", users::list, scope("users.read"));
            r.post("/api/users", users::create, scope("users.write"));
            get(r, "/api/users/{id}", users::get, scope("users.read"));
            r.patch("/api/users/{id}", users::update, scope("users.write"));
            r.delete("/api/users/{id}", users::delete, scope("users.write"));
            r.post("/api/users/{id}/unban", users::unban, scope("users.write"));
            get(r, "/api/users/{id}/sessions", users::sessions, scope("users.read"));
            r.post("/api/users/{id}/logout-all", users::logoutAll, scope("users.write"));
            r.post("/api/users/{id}/reset-link", recovery::createResetLink, scope("users.write"));

            get(r, "/api/admin/audit", deps.auditLog()::search, scope("audit.read"));
            get(r, "/api/admin/dashboard", deps.dashboard()::overview, scope("audit.read"));
            var alerts = deps.alertController();
            get(r, "/api/admin/alerts", alerts::list, scope("alerts.read"));
            r.post("/api/admin/alerts/{id}/ack", alerts::acknowledge, scope("alerts.write"));

            // The app launcher: anyone signed in sees the apps their scopes open; admins keep the list.
            var apps = deps.apps();
            get(r, "/api/apps", apps::list, scope("me.read"));
            get(r, "/api/apps/{id}/icon", apps::icon, scope("me.read"));
            get(r, "/api/admin/apps", apps::listAll, scope("apps.read"));
            r.post("/api/admin/apps", apps::add, scope("apps.write"));
            r.patch("/api/admin/apps/{id}", apps::update, scope("apps.write"));
            r.delete("/api/admin/apps/{id}", apps::remove, scope("apps.write"));
            r.put("/api/admin/apps/{id}/icon", apps::uploadIcon, scope("apps.write"));

            var tokens = deps.clientTokens();
            var pairing = deps.pairing();
            r.post("/api/client-tokens", tokens::create, scope("tokens.write"));
            get(r, "/api/client-tokens", tokens::list, scope("tokens.read"));
            r.delete("/api/client-tokens/{id}", tokens::revoke, scope("tokens.write"));
            r.post("/api/client-tokens/{id}/regenerate", tokens::regenerate, scope("tokens.write"));
            r.post("/api/client-tokens/{id}/pair", pairing::pairCode, scope("tokens.write"));
            r.post("/api/client-tokens/exchange", pairing::exchange, PUBLIC);
            get(r, "/api/users/{id}/client-tokens", tokens::listForUser, scope("users.read"));
            r.delete("/api/users/{id}/client-tokens/{tokenId}", tokens::revokeForUser, scope("users.write"));

            r.post("/api/auth/device/init", pairing::init, PUBLIC);
            r.post("/api/auth/device/token", pairing::token, PUBLIC);
            get(r, "/api/auth/device", pairing::describe, scope("tokens.write"));
            r.post("/api/auth/device/approve", pairing::approve, scope("tokens.write"));
            r.post("/api/auth/device/deny", pairing::deny, scope("tokens.write"));

            r.post("/api/token", deps.oauth()::token, PUBLIC, Csrf.EXEMPT, PASSWORD_GRANT);

            get(r, "/api/auth/redirect", authz::redirect, PUBLIC);
        });
    }

    /**
     * A GET route and its HEAD twin with the same roles. Without the twin Javalin answers HEAD with the GET handler
     * but no roles, and the guard, failing closed, refused even HEAD /login and HEAD /api/health with 401.
     */
    private static void get(RoutesConfig r, String path, Handler handler, RouteRole... roles) {
        r.get(path, handler, roles);
        r.head(path, handler, roles);
    }

    private static Scope scope(String name) {
        return Scope.of(name);
    }

    /** Oversized bodies up to this size are read and dropped before the answer; larger ones are not read at all. */
    private static final long DRAINED_AT_MOST = 1024 * 1024;

    /**
     * Refuses by the declared length; Javalin's own limit catches bodies sent without one. Closing a connection with
     * unread bytes in it makes the kernel reset it, and a client still sending then loses the 413 it was sent: a body
     * a little too large is read and dropped first (bounded, as nginx's lingering close is), so its sender hears why.
     */
    private static void refuseOversizedBody(Context ctx, int max) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > max) {
            if (declared <= DRAINED_AT_MOST) {
                drain(ctx);
            }
            throw new ApiError(413, "payload_too_large", "The request body is larger than " + max + " bytes.");
        }
    }

    private static void drain(Context ctx) {
        try {
            ctx.req().getInputStream().transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            // The client went away or stalled past the idle timeout: the answer goes out on a closing connection.
        }
    }
}
