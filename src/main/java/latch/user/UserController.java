package latch.user;

import io.javalin.http.Context;
import latch.access.AccessGuard;
import latch.http.ApiError;
import latch.http.Json;
import latch.http.Params;
import latch.http.TrustedProxies;
import latch.session.SessionService;
import latch.session.SessionView;

import java.util.List;

/** HTTP for user administration (admin scopes). */
public final class UserController {
    record CreateRequest(String username, String password, String role, String displayName, String email) {}

    record UpdateRequest(String role, Boolean enabled, String password, String displayName, String email) {}

    record SessionsResponse(List<SessionView> sessions) {}

    record EndedResponse(int ended) {}

    private final UserAdministration admin;
    private final SessionService sessions;
    private final TrustedProxies proxies;

    public UserController(UserAdministration admin, SessionService sessions, TrustedProxies proxies) {
        this.admin = admin;
        this.sessions = sessions;
        this.proxies = proxies;
    }

    public void list(Context ctx) {
        Json.send(ctx, admin.list(ctx.queryParam("q"), ctx.queryParam("cursor"), Params.integer(ctx, "limit")));
    }

    public void create(Context ctx) {
        var req = Json.body(ctx, CreateRequest.class);
        Role role = req.role() == null ? Role.VIEWER : UserAdministration.parseRole(req.role());
        User user = admin.create(AccessGuard.principal(ctx), Json.required(req.username(), "username"),
                Json.required(req.password(), "password"), role, req.displayName(), req.email(), proxies.client(ctx));
        Json.send(ctx.status(201), admin.view(user));
    }

    public void get(Context ctx) {
        Json.send(ctx, admin.get(id(ctx)));
    }

    public void update(Context ctx) {
        var req = Json.body(ctx, UpdateRequest.class);
        Role role = req.role() == null ? null : UserAdministration.parseRole(req.role());
        User user = admin.update(AccessGuard.principal(ctx), id(ctx), role, req.enabled(), req.password(), req.displayName(),
                req.email(), proxies.client(ctx));
        Json.send(ctx, admin.view(user));
    }

    public void delete(Context ctx) {
        admin.delete(AccessGuard.principal(ctx), id(ctx), proxies.client(ctx));
        ctx.status(204);
    }

    public void unban(Context ctx) {
        admin.unban(AccessGuard.principal(ctx), id(ctx), proxies.client(ctx));
        ctx.status(204);
    }

    public void sessions(Context ctx) {
        User user = admin.require(id(ctx));
        Json.send(ctx, new SessionsResponse(sessions.list(user.id(), null)));
    }

    public void logoutAll(Context ctx) {
        var principal = AccessGuard.principal(ctx);
        User user = admin.requireManageable(principal, id(ctx));
        // An admin signing themselves out everywhere keeps the session they are using.
        String keep = principal.user().id() == user.id() ? principal.sessionId() : null;
        Json.send(ctx, new EndedResponse(sessions.endAll(user, keep, principal, proxies.client(ctx), "forced logout")));
    }

    static long id(Context ctx) {
        try {
            return Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw ApiError.notFound("There is no user with that id.");
        }
    }
}
