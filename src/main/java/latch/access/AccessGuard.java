package latch.access;

import io.javalin.http.Context;
import latch.http.ApiError;

/** The one access check, run by {@code beforeMatched} for every matched route according to its roles. */
public final class AccessGuard {
    private static final String PRINCIPAL = "latch.principal";
    private final Authenticator authenticator;

    public AccessGuard(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    public void check(Context ctx) {
        var roles = ctx.routeRoles();
        if (roles.contains(Access.PUBLIC)) {
            return; // a route without roles falls through to "signed in": fail closed
        }
        String token = Credentials.token(ctx);
        if (token == null) {
            throw ApiError.unauthorized("Sign in first: send a Bearer token or the session cookie.");
        }
        ctx.attribute(PRINCIPAL, authenticator.authenticate(token));
    }

    /** The caller of a route that required authentication. */
    public static Principal principal(Context ctx) {
        Principal p = ctx.attribute(PRINCIPAL);
        if (p == null) {
            throw new IllegalStateException("route reads the principal but is not protected");
        }
        return p;
    }
}
