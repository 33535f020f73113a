package latch.account;

import io.javalin.http.Context;
import latch.access.AccessGuard;
import latch.audit.AuditPage;
import latch.audit.AuditService;
import latch.http.ClientInfo;
import latch.http.Json;
import latch.http.Params;
import latch.http.TrustedProxies;
import latch.session.SessionController;
import latch.session.SessionService;
import latch.session.SessionView;

import java.util.List;

/** HTTP for the signed-in user's own profile, password, sessions and security events. */
public final class AccountController {
    record ProfileRequest(String displayName, String email) {}

    record PasswordRequest(String currentPassword, String newPassword) {}

    record SessionsResponse(List<SessionView> sessions) {}

    record LogoutAllRequest(Boolean includeCurrent) {}

    record EndedResponse(int ended) {}

    private final AccountService accounts;
    private final SessionService sessions;
    private final SessionController sessionHttp;
    private final AuditService audit;
    private final TrustedProxies proxies;

    public AccountController(AccountService accounts, SessionService sessions, SessionController sessionHttp,
                             AuditService audit, TrustedProxies proxies) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.sessionHttp = sessionHttp;
        this.audit = audit;
        this.proxies = proxies;
    }

    public void updateProfile(Context ctx) {
        var req = Json.body(ctx, ProfileRequest.class);
        var updated = accounts.updateProfile(AccessGuard.principal(ctx), req.displayName(), req.email(), proxies.client(ctx));
        sessionHttp.me(ctx, updated);
    }

    public void changePassword(Context ctx) {
        var req = Json.body(ctx, PasswordRequest.class);
        ClientInfo client = proxies.client(ctx);
        var issued = accounts.changePassword(AccessGuard.principal(ctx), Json.required(req.currentPassword(), "current_password"),
                Json.required(req.newPassword(), "new_password"), client);
        if (issued == null) {
            ctx.status(204);
        } else {
            sessionHttp.signedIn(ctx, client, issued);
        }
    }

    public void sessions(Context ctx) {
        var me = AccessGuard.principal(ctx);
        Json.send(ctx, new SessionsResponse(sessions.list(me.user().id(), me.sessionId())));
    }

    public void endSession(Context ctx) {
        sessions.endOwn(AccessGuard.principal(ctx), ctx.pathParam("id"), proxies.client(ctx));
        ctx.status(204);
    }

    /** Ends all my other sessions, or with {@code include_current} every one of them, this one too. */
    public void logoutAll(Context ctx) {
        boolean includeCurrent = false;
        if (ctx.contentLength() > 0) {
            var req = Json.body(ctx, LogoutAllRequest.class);
            includeCurrent = Boolean.TRUE.equals(req.includeCurrent());
        }
        var me = AccessGuard.principal(ctx);
        ClientInfo client = proxies.client(ctx);
        int ended = sessions.endAll(me.user(), includeCurrent ? null : me.sessionId(), me, client, "sign out everywhere");
        if (includeCurrent) {
            sessionHttp.clearCookie(ctx, client);
        }
        Json.send(ctx, new EndedResponse(ended));
    }

    public void events(Context ctx) {
        var me = AccessGuard.principal(ctx);
        AuditPage page = audit.search(me.user().id(), null, null, null, Params.integer(ctx, "limit"), ctx.queryParam("cursor"));
        Json.send(ctx, page);
    }
}
