package latch.http;

import io.javalin.http.Context;

/**
 * Headers every response carries: pages get a strict CSP, nothing under /api is ever cached, and an answer that
 * went over HTTPS (directly, or per a trusted proxy's X-Forwarded-Proto) tells the browser to stay on HTTPS.
 */
public final class SecurityHeaders {
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";

    /** JSON is never rendered as a page: the API gets the short policy OWASP's REST cheat sheet recommends. */
    static final String API_CSP = "default-src 'none'; frame-ancestors 'none'";

    private final TrustedProxies proxies;
    /** Null when HSTS is off. RFC 6797 §7.2: sent only over secure transport, where a browser will heed it. */
    private final String hsts;

    public SecurityHeaders(HttpSettings settings, TrustedProxies proxies) {
        this.proxies = proxies;
        this.hsts = settings.hstsMaxAgeSeconds() <= 0 ? null
                : "max-age=" + settings.hstsMaxAgeSeconds() + (settings.hstsIncludeSubdomains() ? "; includeSubDomains" : "");
    }

    public void apply(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("X-Frame-Options", "DENY");
        if (hsts != null && proxies.isHttps(ctx)) {
            ctx.header("Strict-Transport-Security", hsts);
        }
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
