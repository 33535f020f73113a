package latch.account;

import io.javalin.http.Context;
import latch.access.AccessGuard;
import latch.http.Json;
import latch.http.Params;
import latch.http.TrustedProxies;
import latch.session.SessionService;
import latch.session.SessionView;
import latch.user.Role;
import latch.user.User;

import java.util.List;

/** HTTP for user administration (the users.* scopes; acting on an admin stays an admin's). */
public final class AdminUserController {
    record CreateRequest(String username, String password, String role, String displayName, String email) {}

    record UpdateRequest(String role, Boolean enabled, String password, String displayName, String email, Boolean keepTokens) {}

    record SessionsResponse(List<SessionView> sessions) {}

    record EndedResponse(int ended) {}

    private final UserAdministration admin;
    private final Accounts accounts;
    private final SessionService sessions;
    private final TrustedProxies proxies;

    public AdminUserController(UserAdministration admin, Accounts accounts, SessionService sessions, TrustedProxies proxies) {
        this.admin = admin;
        this.accounts = accounts;
        this.sessions = sessions;
        this.proxies = proxies;
    }

    public void list(Context ctx) {
        Json.send(ctx, admin.list(ctx.queryParam("q"), ctx.queryParam("cursor"), Params.integer(ctx, "limit")));
    }

    public void create(Context ctx) {
        var req = Json.body(ctx, CreateRequest.class);
        Role role = req.role() == null ? Role.VIEWER : AccountRules.parseRole(req.role());
        var actor = AccessGuard.principal(ctx);
        var prepared = accounts.prepare(actor, Json.required(req.username(), "username"), Json.required(req.password(), "password"),
                role, req.displayName(), req.email());
        User user = accounts.create(prepared, actor, proxies.client(ctx), "by an admin");
        Json.send(ctx.status(201), admin.view(user));
    }

    public void get(Context ctx) {
        Json.send(ctx, admin.get(id(ctx)));
    }

    public void update(Context ctx) {
        var req = Json.body(ctx, UpdateRequest.class);
        Role role = req.role() == null ? null : AccountRules.parseRole(req.role());
        User user = admin.update(AccessGuard.principal(ctx), id(ctx), new UserAdministration.Update(role, req.enabled(),
                req.password(), req.displayName(), req.email(), Boolean.TRUE.equals(req.keepTokens())), proxies.client(ctx));
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
        User user = admin.requireManageable(AccessGuard.principal(ctx), id(ctx));
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
        return Params.id(ctx, "There is no user with that id.");
    }
}
