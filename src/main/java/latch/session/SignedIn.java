package latch.session;

import io.javalin.http.Context;
import latch.http.ClientInfo;
import latch.http.Json;
import latch.user.UserView;

/**
 * How every way of signing in answers (sign-in, setup, registration, refresh, a password change): the token in
 * the HttpOnly cookie and in the body. Shared by the features that sign people in, so none calls another's controller.
 */
public final class SignedIn {
    /** The body: who, the token, and when it stops working. */
    public record SessionResponse(UserView user, String token, String expiresAt) {
        static SessionResponse of(IssuedSession issued) {
            return new SessionResponse(issued.user().view(), issued.token(), issued.expiresAt().toString());
        }
    }

    private final SessionCookie cookie;

    public SignedIn(SessionCookie cookie) {
        this.cookie = cookie;
    }

    public void answer(Context ctx, ClientInfo client, IssuedSession issued) {
        cookie.set(ctx, client, issued);
        Json.send(ctx, SessionResponse.of(issued));
    }

    /** Signs the browser out: the cookie goes. */
    public void clear(Context ctx, ClientInfo client) {
        cookie.clear(ctx, client);
    }
}
