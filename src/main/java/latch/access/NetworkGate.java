package latch.access;

import io.javalin.http.Context;
import io.javalin.security.RouteRole;
import latch.http.ApiError;
import latch.http.Cidr;
import latch.http.ErrorMapper;
import latch.http.TrustedProxies;
import latch.user.Role;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * ADMIN_ALLOWED_NETWORKS and LOGIN_ALLOWED_NETWORKS, checked for every matched route before any credential is: the
 * client is the address {@link TrustedProxies} resolved, so a forwarded header from an untrusted peer proves nothing.
 * Admin routes are found, not listed, so a new one cannot be forgotten: under {@code /api/admin}, {@code /api/users},
 * {@code /api/invites}, the {@code /admin} page, or needing a scope only admins hold. Ways of signing in carry
 * {@link #SIGN_IN} in the route table.
 */
public final class NetworkGate {
    /** The error code of a refusal. */
    public static final String REFUSED = "network_not_allowed";

    /** A route that signs someone in. */
    public static final RouteRole SIGN_IN = new RouteRole() {
        @Override
        public String toString() {
            return "SIGN_IN";
        }
    };
    /** The OAuth token endpoint: signing in only for {@code grant_type=password}. */
    public static final RouteRole PASSWORD_GRANT = new RouteRole() {
        @Override
        public String toString() {
            return "PASSWORD_GRANT";
        }
    };

    private static final List<String> ADMIN_PREFIXES = List.of("/api/admin/", "/api/users/", "/api/invites/");
    private static final Set<String> ADMIN_PATHS = Set.of("/admin", "/api/admin", "/api/users", "/api/invites");

    private final List<Cidr> admin;
    private final List<Cidr> login;
    private final Set<String> adminOnlyScopes;
    private final TrustedProxies proxies;

    public NetworkGate(NetworkSettings settings, ScopeCatalog scopes, TrustedProxies proxies) {
        this.admin = settings.admin();
        this.login = settings.login();
        var adminOnly = new HashSet<>(scopes.all());
        adminOnly.removeAll(scopes.of(Role.VIEWER));
        adminOnly.removeAll(scopes.of(Role.EDITOR));
        this.adminOnlyScopes = Set.copyOf(adminOnly);
        this.proxies = proxies;
    }

    public void check(Context ctx) {
        if (admin.isEmpty() && login.isEmpty()) {
            return;
        }
        Set<RouteRole> roles = ctx.routeRoles();
        if (!admin.isEmpty() && isAdminRoute(routePath(ctx), roles)) {
            require(ctx, admin, "The admin pages and API cannot be used from this network.");
        }
        if (!login.isEmpty() && (roles.contains(SIGN_IN)
                || (roles.contains(PASSWORD_GRANT) && "password".equals(ctx.formParam("grant_type"))))) {
            require(ctx, login, "Signing in is not allowed from this network.");
        }
    }

    /** The matched route's template (/api/users/{id}), never the raw path a client wrote. */
    private static String routePath(Context ctx) {
        var matched = ctx.endpoints().matchedHttpEndpoint();
        return matched == null ? ctx.path() : matched.path;
    }

    private boolean isAdminRoute(String path, Set<RouteRole> roles) {
        if (ADMIN_PATHS.contains(path) || ADMIN_PREFIXES.stream().anyMatch(path::startsWith)) {
            return true;
        }
        for (RouteRole role : roles) {
            if (role instanceof Scope scope && adminOnlyScopes.contains(scope.name())) {
                return true;
            }
        }
        return false;
    }

    private void require(Context ctx, List<Cidr> allowed, String message) {
        String ip = proxies.client(ctx).ip();
        for (Cidr network : allowed) {
            if (network.contains(ip)) {
                return;
            }
        }
        if (!ctx.path().startsWith("/api/") || ctx.routeRoles().contains(SIGN_IN) && "GET".equals(ctx.method().name())) {
            ErrorMapper.answerAsPage(ctx); // a browser's navigation: a person reads the answer
        }
        throw ApiError.forbidden(REFUSED, message);
    }
}
