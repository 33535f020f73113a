package latch.session;

import io.javalin.http.Context;
import latch.access.AccessGuard;
import latch.access.Credentials;
import latch.access.PerIdentity;
import latch.access.ScopeCatalog;
import latch.http.ClientInfo;
import latch.http.Json;
import latch.http.TrustedProxies;
import latch.user.User;
import latch.user.UserView;

/** HTTP for sign-in, the current user, refresh and sign-out. */
public final class SessionController {
    record LoginRequest(String username, String password) {}

    /** What sign-in, setup, registration and refresh answer; the token is in the body and in the HttpOnly cookie. */
    public record SessionResponse(UserView user, String token, String expiresAt) {
        static SessionResponse of(IssuedSession issued) {
            return new SessionResponse(issued.user().view(), issued.token(), issued.expiresAt().toString());
        }
    }

    record Me(long id, String username, String role, String displayName, String email, java.util.List<String> scopes) {}

    record MeResponse(Me user) {}

    private final SignIn signIn;
    private final SessionService sessions;
    private final SessionCookie cookie;
    private final TrustedProxies proxies;
    private final AccessGuard guard;
    /** Apps ask /me on every page load; the answer changes only with the caller's identity. */
    private final PerIdentity<byte[]> meBodies = new PerIdentity<>(4096);

    public SessionController(SignIn signIn, SessionService sessions, SessionCookie cookie, TrustedProxies proxies, AccessGuard guard) {
        this.signIn = signIn;
        this.sessions = sessions;
        this.cookie = cookie;
        this.proxies = proxies;
        this.guard = guard;
    }

    public void login(Context ctx) {
        var req = Json.body(ctx, LoginRequest.class);
        ClientInfo client = proxies.client(ctx);
        User user = signIn.verify(Json.required(req.username(), "username"), Json.required(req.password(), "password"),
                client, guard.optionalPrincipal(ctx));
        signedIn(ctx, client, sessions.signIn(user, client, "password"));
    }

    /** Answers a fresh session the same way everywhere: cookie plus body. */
    public void signedIn(Context ctx, ClientInfo client, IssuedSession issued) {
        cookie.set(ctx, client, issued);
        Json.send(ctx, SessionResponse.of(issued));
    }

    public void clearCookie(Context ctx, ClientInfo client) {
        cookie.clear(ctx, client);
    }

    public void me(Context ctx) {
        me(ctx, AccessGuard.principal(ctx).user());
    }

    /** The caller's view of themselves, with {@code u} as it is now (e.g. right after an update). */
    public void me(Context ctx, User u) {
        byte[] body = meBodies.get(u, AccessGuard.principal(ctx).scopes(), (user, scopes) -> Json.encode(ctx,
                new MeResponse(new Me(user.id(), user.username(), user.role().wireName(), user.displayName(), user.email(),
                        ScopeCatalog.sorted(scopes)))));
        Json.sendEncoded(ctx, body);
    }

    public void refresh(Context ctx) {
        ClientInfo client = proxies.client(ctx);
        signedIn(ctx, client, sessions.refresh(AccessGuard.principal(ctx), client));
    }

    /** Always clears the cookie; revokes the presented token only if it is valid, so no one can fill the blocklist. */
    public void logout(Context ctx) {
        String token = Credentials.tokenIfAny(ctx);
        ClientInfo client = proxies.client(ctx);
        if (token != null) {
            sessions.logout(token, client);
        }
        cookie.clear(ctx, client);
        ctx.status(204);
    }
}
