package latch.session;

import io.javalin.http.Context;
import latch.access.AccessGuard;
import latch.access.Credentials;
import latch.http.ClientInfo;
import latch.http.Json;
import latch.http.TrustedProxies;
import latch.user.UserView;

/** HTTP for sign-in, the current user, refresh and sign-out. */
public final class SessionController {
    record LoginRequest(String username, String password) {}

    /** What sign-in, setup and refresh answer; the token is in the body and in the HttpOnly cookie. */
    public record SessionResponse(UserView user, String token, String expiresAt) {
        static SessionResponse of(IssuedSession issued) {
            return new SessionResponse(issued.user().view(), issued.token(), issued.expiresAt().toString());
        }
    }

    record MeResponse(UserView user) {}

    private final SessionService sessions;
    private final SessionCookie cookie;
    private final TrustedProxies proxies;

    public SessionController(SessionService sessions, SessionCookie cookie, TrustedProxies proxies) {
        this.sessions = sessions;
        this.cookie = cookie;
        this.proxies = proxies;
    }

    public void login(Context ctx) {
        var req = Json.body(ctx, LoginRequest.class);
        ClientInfo client = proxies.client(ctx);
        var issued = sessions.login(Json.required(req.username(), "username"), Json.required(req.password(), "password"), client);
        signedIn(ctx, client, issued);
    }

    /** Answers a fresh session the same way everywhere: cookie plus body. */
    public void signedIn(Context ctx, ClientInfo client, IssuedSession issued) {
        cookie.set(ctx, client, issued);
        ctx.json(SessionResponse.of(issued));
    }

    public void me(Context ctx) {
        ctx.json(new MeResponse(AccessGuard.principal(ctx).user().view()));
    }

    public void refresh(Context ctx) {
        var issued = sessions.refresh(AccessGuard.principal(ctx));
        signedIn(ctx, proxies.client(ctx), issued);
    }

    /** Always clears the cookie; revokes the presented token only if it is valid, so no one can fill the blocklist. */
    public void logout(Context ctx) {
        String token = Credentials.token(ctx);
        if (token != null) {
            sessions.logout(token);
        }
        cookie.clear(ctx, proxies.client(ctx));
        ctx.status(204);
    }
}
