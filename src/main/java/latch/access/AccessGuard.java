package latch.access;

import io.javalin.http.Context;
import io.javalin.security.RouteRole;
import latch.http.ApiError;
import latch.http.TrustedProxies;

/**
 * The one access check, run by {@code beforeMatched} for every matched route: {@link Access#PUBLIC} routes pass,
 * a route for servers runs its {@link ServerCredential}, and every other route needs a valid credential (401) and
 * each {@link Scope} it names (403).
 */
public final class AccessGuard {
    private static final String PRINCIPAL = "latch.principal";
    private static final String IN_HEADER = "latch.credential-in-header";
    private final Authenticator authenticator;
    private final TrustedProxies proxies;

    public AccessGuard(Authenticator authenticator, TrustedProxies proxies) {
        this.authenticator = authenticator;
        this.proxies = proxies;
    }

    /** Checks a presented token as this request's client; for endpoints that identify callers themselves. */
    public Principal authenticate(Context ctx, String token) {
        return authenticator.authenticate(token, () -> proxies.client(ctx));
    }

    public void check(Context ctx) {
        var roles = ctx.routeRoles();
        if (roles.contains(Access.PUBLIC)) {
            return; // a route without roles falls through to "signed in": fail closed
        }
        for (RouteRole role : roles) {
            if (role instanceof ServerCredential server) {
                server.verify(ctx);
                return;
            }
        }
        String token = Credentials.token(ctx);
        if (token == null) {
            throw ApiError.unauthorized("Sign in first: send a Bearer token or the session cookie.");
        }
        Principal principal = authenticate(ctx, token);
        for (RouteRole role : roles) {
            if (role instanceof Scope && !principal.has(((Scope) role).name())) {
                throw new ApiError(403, "insufficient_scope", "This needs the scope '" + ((Scope) role).name() + "'.");
            }
        }
        ctx.attribute(PRINCIPAL, principal);
        ctx.attribute(IN_HEADER, Credentials.tokenInHeader(ctx));
    }

    /**
     * Whether a valid Latch credential in a header (Bearer, X-API-Key) authenticates this request, rather than the
     * cookie; for CSRF. A protected route recorded where its credential came from; on a public route the headers'
     * tokens are checked here, so an empty, foreign-scheme or made-up one counts as none.
     */
    public boolean credentialInHeader(Context ctx) {
        Boolean recorded = ctx.attribute(IN_HEADER);
        if (recorded != null) {
            return recorded;
        }
        for (String token : Credentials.inHeaders(ctx)) {
            try {
                authenticate(ctx, token);
                return true;
            } catch (ApiError e) {
                // not a valid Latch credential: it proves nothing
            }
        }
        return false;
    }

    /** The caller of a route that required authentication. */
    public static Principal principal(Context ctx) {
        Principal p = ctx.attribute(PRINCIPAL);
        if (p == null) {
            throw new IllegalStateException("route reads the principal but is not protected");
        }
        return p;
    }

    /** The caller this check let through, or null (a public route, or a request refused before or by it). */
    public static Principal principalIfAny(Context ctx) {
        return ctx.attribute(PRINCIPAL);
    }

    /** The caller if the request presented a valid credential, else null; for public routes that behave better when signed in. */
    public Principal optionalPrincipal(Context ctx) {
        Principal p = ctx.attribute(PRINCIPAL);
        if (p != null) {
            return p;
        }
        String token = Credentials.tokenIfAny(ctx);
        if (token == null) {
            return null;
        }
        try {
            return authenticate(ctx, token);
        } catch (ApiError e) {
            return null;
        }
    }
}
