package latch.account;

import io.javalin.http.Context;
import latch.access.AccessGuard;
import latch.audit.AuditService;
import latch.http.ClientInfo;
import latch.http.Json;
import latch.http.Params;
import latch.http.TrustedProxies;
import latch.session.MeAnswer;
import latch.session.SessionService;
import latch.session.SessionView;
import latch.session.SignedIn;

import java.util.List;

/** HTTP for the signed-in user's own profile, password, sessions and security events. */
public final class AccountController {
    record ProfileRequest(String displayName, String email, String netplayUsername) {}

    record PasswordRequest(String currentPassword, String newPassword, Boolean revokeClientTokens) {}

    record SessionsResponse(List<SessionView> sessions) {}

    record LogoutAllRequest(Boolean includeCurrent) {}

    record EndedResponse(int ended) {}

    private final AccountService accounts;
    private final SessionService sessions;
    private final SignedIn signedIn;
    private final MeAnswer me;
    private final AuditService audit;
    private final TrustedProxies proxies;

    public AccountController(AccountService accounts, SessionService sessions, SignedIn signedIn, MeAnswer me,
                             AuditService audit, TrustedProxies proxies) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.signedIn = signedIn;
        this.me = me;
        this.audit = audit;
        this.proxies = proxies;
    }

    public void updateProfile(Context ctx) {
        var req = Json.body(ctx, ProfileRequest.class);
        var principal = AccessGuard.principal(ctx);
        var updated = accounts.updateProfile(principal, req.displayName(), req.email(), req.netplayUsername(),
                proxies.client(ctx));
        me.send(ctx, updated, principal.scopes());
    }

    public void changePassword(Context ctx) {
        var req = Json.body(ctx, PasswordRequest.class);
        ClientInfo client = proxies.client(ctx);
        var issued = accounts.changePassword(AccessGuard.principal(ctx), Json.required(req.currentPassword(), "current_password"),
                Json.required(req.newPassword(), "new_password"), !Boolean.FALSE.equals(req.revokeClientTokens()), client);
        if (issued == null) {
            ctx.status(204);
        } else {
            signedIn.answer(ctx, client, issued);
        }
    }

    public void sessions(Context ctx) {
        var principal = AccessGuard.principal(ctx);
        Json.send(ctx, new SessionsResponse(sessions.list(principal.user().id(), principal.sessionId())));
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
        var principal = AccessGuard.principal(ctx);
        ClientInfo client = proxies.client(ctx);
        int ended = sessions.endAll(principal.user(), includeCurrent ? null : principal.sessionId(), principal, client,
                "sign out everywhere");
        if (includeCurrent) {
            signedIn.clear(ctx, client);
        }
        Json.send(ctx, new EndedResponse(ended));
    }

    /** My security events; addresses only where I acted myself. */
    public void events(Context ctx) {
        var principal = AccessGuard.principal(ctx);
        Json.send(ctx, audit.ownEvents(principal.user().id(), Params.integer(ctx, "limit"), ctx.queryParam("cursor")));
    }
}
