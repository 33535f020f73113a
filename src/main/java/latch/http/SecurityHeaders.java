package latch.http;

import io.javalin.http.Context;

/** Headers every response carries; pages get a strict CSP, and nothing under /api is ever cached. */
public final class SecurityHeaders {
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";

    /** JSON is never rendered as a page: the API gets the short policy OWASP's REST cheat sheet recommends. */
    static final String API_CSP = "default-src 'none'; frame-ancestors 'none'";

    private SecurityHeaders() {}

    public static void apply(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("X-Frame-Options", "DENY");
        if (ctx.path().startsWith("/api/")) {
            ctx.header("Content-Security-Policy", API_CSP);
            ctx.header("Cache-Control", "no-store");
            return;
        }
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("Cross-Origin-Opener-Policy", "same-origin");
        ctx.header("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    }
}
