package latch.session;

import io.javalin.http.Context;
import latch.access.AccessGuard;
import latch.access.Credentials;
import latch.http.ClientInfo;
import latch.http.Json;
import latch.http.TrustedProxies;
import latch.user.User;

import java.util.Map;
import java.util.Optional;

/** HTTP for sign-in, the current user, refresh and sign-out. */
public final class SessionController {
    record LoginRequest(String username, String password) {}

    private final SignIn signIn;
    private final SessionService sessions;
    private final SignedIn signedIn;
    private final MeAnswer me;
    private final TrustedProxies proxies;
    private final SignOutFollowUp followUp;

    public SessionController(SignIn signIn, SessionService sessions, SignedIn signedIn, MeAnswer me, TrustedProxies proxies,
                             SignOutFollowUp followUp) {
        this.signIn = signIn;
        this.sessions = sessions;
        this.signedIn = signedIn;
        this.me = me;
        this.proxies = proxies;
        this.followUp = followUp;
    }

    public void login(Context ctx) {
        var req = Json.body(ctx, LoginRequest.class);
        ClientInfo client = proxies.client(ctx);
        User user = signIn.verify(Json.required(req.username(), "username"), Json.required(req.password(), "password"), client);
        signedIn.answer(ctx, client, sessions.signIn(user, client, "password"));
    }

    public void me(Context ctx) {
        var principal = AccessGuard.principal(ctx);
        me.send(ctx, principal.user(), principal.scopes());
    }

    public void refresh(Context ctx) {
        ClientInfo client = proxies.client(ctx);
        signedIn.answer(ctx, client, sessions.refresh(AccessGuard.principal(ctx), client));
    }

    /**
     * Always clears the cookie; revokes the presented token only if it is valid, so no one can fill the blocklist.
     * 204, or 200 with {@code redirect} when the browser should go on to end another session (the provider's).
     */
    public void logout(Context ctx) {
        String token = Credentials.tokenIfAny(ctx);
        ClientInfo client = proxies.client(ctx);
        Optional<String> ended = token == null ? Optional.empty() : sessions.logout(token, client);
        signedIn.clear(ctx, client);
        Optional<String> next = ended.flatMap(followUp::continueAt);
        if (next.isPresent()) {
            Json.send(ctx, Map.of("redirect", next.get()));
        } else {
            ctx.status(204);
        }
    }
}
